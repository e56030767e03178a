"""`rw demo` shows the trail audit answers as a causation tree, with ledger positions."""

from __future__ import annotations

import datetime as dt
import io

from rich.console import Console

from cli.demo import DemoResult, render
from shared.contracts.audit import TrailRecord

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _record(seq: int, message_id: str, ce_type: str, *, cause: str | None, service: str | None) -> TrailRecord:
    return TrailRecord(
        seq=seq,
        subject=ce_type,
        type=f"be.raderwerk.{ce_type}.v1",
        service=service,
        message_id=message_id,
        correlation_id="corr",
        causation_id=cause,
        entity="gemeente",
        confidentiality="public",
        captured_at=T0 + dt.timedelta(seconds=seq),
        row_hash=f"{seq:02d}" * 32,
    )


def test_the_trail_is_shown_as_its_causation_tree_in_ledger_order() -> None:
    trail = [
        _record(1, "m1", "cmd.meetings.propose_agenda_item", cause=None, service="cli"),
        _record(4, "m4", "organisation.task.created", cause="m2", service="organisation"),
        _record(2, "m2", "meetings.decision.adopted", cause="m1", service="meetings"),
        _record(3, "m3", "finance.commitment.recorded", cause="m2", service="finance"),
        _record(5, "m5", "notifications.inbox_entry.created", cause="gone", service="notifications"),
    ]
    out = io.StringIO()
    render(DemoResult("corr", "dec", trail, [], {}, None, 1.5), Console(file=out, width=160, color_system=None))
    lines = out.getvalue().splitlines()
    assert lines[:6] == [
        "correlation corr · decision dec",
        "├── cmd.meetings.propose_agenda_item from cli · gemeente/public · ledger #1 010101010101…",
        "│   └── meetings.decision.adopted from meetings · gemeente/public · ledger #2 020202020202…",
        "│       ├── finance.commitment.recorded from finance · gemeente/public · ledger #3 030303030303…",
        "│       └── organisation.task.created from organisation · gemeente/public · ledger #4 040404040404…",
        "└── notifications.inbox_entry.created from notifications · gemeente/public · ledger #5 050505050505…",
    ]
    assert lines[-1] == "flow complete in 1.50 s — 5 audited messages"


def test_a_retried_command_is_one_node_the_first_try_with_the_codes_of_its_refused_tries() -> None:
    trail = [
        _record(1, "c1", "cmd.meetings.propose_agenda_item", cause=None, service="cli"),
        _record(2, "e1", "meetings.agenda_item.proposed", cause="c1", service="meetings"),
        _record(3, "c2", "cmd.meetings.convene_meeting", cause=None, service="cli"),
        _record(4, "e2", "finance.budget_check.passed", cause="e1", service="finance"),
        _record(5, "c2", "cmd.meetings.convene_meeting", cause=None, service="cli"),
        _record(6, "e3", "meetings.agenda.published", cause="c2", service="meetings"),
        _record(7, "c3", "cmd.meetings.vote_on_item", cause=None, service="cli"),
        _record(8, "e4", "meetings.decision.adopted", cause="c3", service="meetings"),
    ]
    attempts: dict[str, tuple[str, ...]] = {
        "c1": ("accepted",),
        "c2": ("budget_check_missing", "accepted"),
        "c3": ("accepted",),
    }
    out = io.StringIO()
    result = DemoResult("corr", "dec", trail, [], {}, None, 1.2, attempts=attempts, meeting_id="m1")
    render(result, Console(file=out, width=200, color_system=None))
    lines = out.getvalue().splitlines()
    assert lines[0] == "correlation corr · decision dec · college session m1"
    convene = [line for line in lines if "cmd.meetings.convene_meeting" in line]
    assert convene == [
        "├── cmd.meetings.convene_meeting from cli · gemeente/public · ledger #3, #5 030303030303… "
        "rejected budget_check_missing, then accepted"
    ], "the retried command appears once, with every try's ledger position and the refused try's code"
    assert sum("meetings.agenda.published" in line for line in lines) == 1, "its effect appears once"
    assert "accepted" not in next(line for line in lines if "propose_agenda_item" in line), "a first-time success"
    assert lines[-1] == "flow complete in 1.20 s — 8 audited messages"


def test_repeated_refusals_are_counted() -> None:
    trail = [_record(i, "c1", "cmd.meetings.open_session", cause=None, service="cli") for i in (1, 2, 3)]
    out = io.StringIO()
    attempts: dict[str, tuple[str, ...]] = {"c1": ("session_not_due", "session_not_due", "accepted")}
    render(DemoResult("corr", "dec", trail, [], {}, None, 1.0, attempts=attempts), Console(file=out, width=200))
    assert "rejected session_not_due ×2, then accepted" in out.getvalue()
    assert out.getvalue().count("cmd.meetings.open_session") == 1
