"""`rw audit trail` shows each consume under the message it consumed; exports keep every hashed field."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from rich.console import Console

from cli.audit import trail_tree, write_export
from shared.contracts.audit import (
    ConsumeOutcome,
    ConsumeRecorded,
    ExportedRecord,
    ExportLedgerReply,
    TrailRecord,
)

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _record(seq: int, message_id: str, subject: str, *, cause: str | None, service: str) -> TrailRecord:
    return TrailRecord(
        seq=seq,
        subject=subject,
        type=f"be.raderwerk.{subject}.v1",
        service=service,
        message_id=message_id,
        correlation_id="corr",
        causation_id=cause,
        entity="gemeente",
        confidentiality="public",
        captured_at=T0 + dt.timedelta(seconds=seq),
        row_hash=f"{seq:02d}" * 32,
    )


def _consume(seq: int, of: str, consumer: str, outcome: ConsumeOutcome, delivery: int = 1) -> TrailRecord:
    body = ConsumeRecorded(
        consumer=consumer,
        stream="MEETINGS",
        stream_seq=3,
        subject="meetings.decision.adopted",
        message_id=of,
        delivery=delivery,
        outcome=outcome,
        retry_in_s=0.5 if outcome == "retried" else None,
        error="OperationalError: gone" if outcome == "retried" else None,
    )
    base = _record(seq, f"rec-{seq}", "audit.consume.recorded", cause=of, service=consumer.split("_", maxsplit=1)[0])
    return base.model_copy(update={"consume": body})


def _text(tree: object) -> str:
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(tree)
    return out.getvalue()


def test_the_trail_shows_every_consume_under_the_message_it_consumed() -> None:
    records = [
        _record(1, "m1", "cmd.meetings.vote_on_item", cause=None, service="cli"),
        _record(2, "m2", "meetings.decision.adopted", cause="m1", service="meetings"),
        _consume(3, "m2", "finance_decisions", "retried"),
        _record(4, "m4", "finance.commitment.recorded", cause="m2", service="finance"),
        _consume(5, "m2", "finance_decisions", "acked", delivery=2),
        _consume(6, "m2", "organisation_decisions", "acked"),
    ]
    lines = _text(trail_tree("corr", records)).splitlines()
    assert "3 messages, 3 consumes" in lines[0]
    adopted = next(i for i, line in enumerate(lines) if "meetings.decision.adopted" in line)
    under = lines[adopted + 1 : adopted + 4]
    assert "retried by finance_decisions" in under[0]
    assert "delivery 1" in under[0]
    assert "retry in 0.5 s" in under[0]
    assert "acked by finance_decisions" in under[1]
    assert "delivery 2" in under[1]
    assert "acked by organisation_decisions" in under[2]
    assert any("finance.commitment.recorded" in line for line in lines[adopted + 4 :])


def test_an_export_keeps_every_hashed_field(tmp_path: Path) -> None:
    record = ExportedRecord(
        seq=1,
        capture_seq=1,
        source_stream="MEETINGS",
        source_seq=1,
        subject="meetings.decision.adopted",
        message_id="m1",
        type="be.raderwerk.meetings.decision.adopted.v1",
        correlation_id="corr",
        causation_id=None,
        entity="gemeente",
        confidentiality="closed",
        service="meetings",
        headers={"ce-id": "m1"},
        payload='{"x": "é"}',
        payload_encoding="utf-8",
        captured_at=T0,
        prev_hash="0" * 64,
        row_hash="a" * 64,
    )
    page = ExportLedgerReply(command_id="cmd-00001", records=(record,), more=False, checkpoint=None)
    count, last = write_export([page], tmp_path / "out.jsonl", "jsonl")
    assert (count, last) == (1, page)
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert ExportedRecord.model_validate(line) == record
    count, _ = write_export([page], tmp_path / "out.csv", "csv")
    header, row = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert header.split(",")[:3] == ["seq", "capture_seq", "source_stream"]
    assert '"{""ce-id"": ""m1""}"' in row
