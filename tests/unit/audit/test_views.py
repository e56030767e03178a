"""audit's queries: trails show metadata only; verification reports the first broken link."""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.audit.domain.ledger import ChainHead, chain
from services.audit.service_layer import views
from shared.contracts.audit import (
    ConsumeRecorded,
    ExportLedger,
    GetTrail,
    GetTrailReply,
    TrailRecord,
    VerifyLedger,
    VerifyLedgerReply,
)
from tests.unit.audit.fakes import T0, FakeAuditUnitOfWork, captured

TRAIL_KEYS = {
    "seq",
    "subject",
    "type",
    "service",
    "message_id",
    "correlation_id",
    "causation_id",
    "entity",
    "confidentiality",
    "captured_at",
    "row_hash",
    "consume",
}


def _uow() -> FakeAuditUnitOfWork:
    uow = FakeAuditUnitOfWork()
    messages = [
        captured(1, correlation_id="corr-a"),
        captured(2, correlation_id="corr-b"),
        captured(
            3,
            correlation_id="corr-a",
            confidentiality="social",
            payload='{"client": "Jan Peeters", "amount": "120.00"}',
            headers={"ce-id": "id-3", "x-person": "Jan Peeters"},
            causation_id="id-1",
        ),
    ]
    uow.ledger.records, _ = chain(ChainHead(), messages)
    return uow


async def test_a_trail_lists_the_records_of_one_correlation_in_ledger_order() -> None:
    uow = _uow()
    reply = await views.get_trail(uow, GetTrail(command_id="cmd-00001", correlation_id="corr-a"))
    assert isinstance(reply, GetTrailReply)
    assert reply.status == "accepted"
    assert reply.correlation_id == "corr-a"
    records = reply.records
    assert [r.seq for r in records] == [1, 3]
    assert records[1].causation_id == "id-1"
    assert records[1].correlation_id == "corr-a"
    assert records[1].type == "be.raderwerk.meetings.decision.adopted.v1"
    assert records[1].confidentiality == "social"
    assert (records[1].service, records[1].entity, records[1].message_id) == ("meetings", "gemeente", "id-3")
    assert records[1].subject == "meetings.decision.adopted"
    assert records[1].captured_at == T0 + dt.timedelta(seconds=3)
    assert records[1].row_hash == uow.ledger.records[2].row_hash
    assert reply.truncated is False
    # The reply travels as JSON, with the keys the trail always had.
    wire = reply.model_dump(mode="json")
    assert wire["records"][1]["captured_at"] == "2026-11-25T10:00:03Z"
    assert wire["records"][1]["type"] == "be.raderwerk.meetings.decision.adopted.v1"
    assert GetTrailReply.model_validate_json(reply.model_dump_json()) == reply


async def test_a_trail_never_carries_payloads_or_headers() -> None:
    reply = await views.get_trail(_uow(), GetTrail(command_id="cmd-00001", correlation_id="corr-a"))
    assert set(TrailRecord.model_fields) == TRAIL_KEYS
    for record in reply.model_dump(mode="json")["records"]:
        assert set(record) == TRAIL_KEYS
    assert "Jan Peeters" not in reply.model_dump_json()


async def test_a_long_trail_is_truncated() -> None:
    uow = FakeAuditUnitOfWork()
    uow.ledger.records, _ = chain(ChainHead(), [captured(i) for i in range(1, views.TRAIL_LIMIT + 6)])
    reply = await views.get_trail(uow, GetTrail(command_id="cmd-00001", correlation_id="corr-1"))
    assert len(reply.records) == views.TRAIL_LIMIT
    assert reply.records[-1].seq == views.TRAIL_LIMIT
    assert reply.truncated is True


async def test_a_trail_of_exactly_the_limit_is_not_truncated() -> None:
    uow = FakeAuditUnitOfWork()
    uow.ledger.records, _ = chain(ChainHead(), [captured(i) for i in range(1, views.TRAIL_LIMIT + 1)])
    reply = await views.get_trail(uow, GetTrail(command_id="cmd-00001", correlation_id="corr-1"))
    assert len(reply.records) == views.TRAIL_LIMIT
    assert reply.truncated is False


async def test_an_unknown_correlation_has_an_empty_trail() -> None:
    reply = await views.get_trail(_uow(), GetTrail(command_id="cmd-00001", correlation_id="nope"))
    assert reply.status == "accepted"
    assert reply.records == ()


async def test_verify_reports_an_intact_ledger() -> None:
    reply = await views.LedgerViews(dict).verify_ledger(_uow(), VerifyLedger(command_id="cmd-00002"))
    assert isinstance(reply, VerifyLedgerReply)
    assert reply.status == "accepted"
    assert (reply.ok, reply.checked, reply.first_broken_seq, reply.reason) == (True, 3, None, "")


async def test_verify_names_the_first_broken_link() -> None:
    uow = _uow()
    uow.ledger.records[1] = dataclasses.replace(uow.ledger.records[1], payload="{}")
    reply = await views.LedgerViews(dict).verify_ledger(uow, VerifyLedger(command_id="cmd-00002"))
    assert reply.ok is False
    assert reply.first_broken_seq == 2
    assert reply.checked == 2
    assert reply.reason.startswith("row_hash_mismatch")
    # The reply travels as JSON.
    assert '"first_broken_seq":2' in reply.model_dump_json()


async def test_a_consume_record_shows_what_the_consumer_did_under_the_message_it_consumed() -> None:
    uow = FakeAuditUnitOfWork()
    body = ConsumeRecorded(
        consumer="finance_decisions",
        stream="MEETINGS",
        stream_seq=7,
        subject="meetings.decision.adopted",
        message_id="id-1",
        delivery=2,
        outcome="retried",
        retry_in_s=1.0,
        error="OperationalError: connection reset",
    )
    await uow.ledger.append(
        [
            captured(1, correlation_id="corr-c"),
            captured(
                2,
                subject="audit.consume.recorded",
                ce_type=ConsumeRecorded.ce_type(),
                correlation_id="corr-c",
                causation_id="id-1",
                payload=body.model_dump_json(),
            ),
        ]
    )
    reply = await views.get_trail(uow, GetTrail(command_id="cmd-00001", correlation_id="corr-c"))
    first, second = reply.records
    assert first.consume is None
    assert second.consume == body
    assert second.causation_id == "id-1"


async def test_an_export_page_stays_inside_one_nats_message() -> None:
    uow = FakeAuditUnitOfWork()
    big = "x" * (views.EXPORT_PAGE_BYTES // 3)
    await uow.ledger.append([captured(i, payload=big) for i in range(1, 5)] + [captured(5, payload="é" * 600_000)])
    first = await views.LedgerViews(dict).export_ledger(uow, ExportLedger(command_id="cmd-00001", limit=10))
    assert [r.seq for r in first.records] == [1, 2]
    assert first.more
    assert len(first.model_dump_json().encode()) < 1024 * 1024
    last = await views.LedgerViews(dict).export_ledger(uow, ExportLedger(command_id="cmd-00002", after_seq=4, limit=10))
    assert [(r.seq, r.payload_omitted, r.payload) for r in last.records] == [(5, True, "")]
    assert not last.more
