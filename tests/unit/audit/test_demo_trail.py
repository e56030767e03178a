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
