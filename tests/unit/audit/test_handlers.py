"""audit's queries: trails show metadata only; verification reports the first broken link."""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.audit.domain.ledger import ChainHead, chain
from services.audit.service_layer import handlers
from shared.contracts.audit import GetTrail, VerifyLedger
from shared.messaging.envelope import Envelope
from tests.unit.audit.fakes import FakeAuditUnitOfWork, captured

ENVELOPE = Envelope(
    id="q-1", type=GetTrail.ce_type(), source="/raderwerk/cli", time=dt.datetime.now(dt.UTC), correlation_id="q-1"
)
TRAIL_KEYS = {
    "seq",
    "subject",
    "type",
    "service",
    "message_id",
    "causation_id",
    "entity",
    "confidentiality",
    "captured_at",
    "row_hash",
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
    reply = await handlers.get_trail(_uow(), GetTrail(command_id="cmd-00001", correlation_id="corr-a"), ENVELOPE)
    assert reply.accepted
    records = reply.data["records"]
    assert isinstance(records, list)
    assert [r["seq"] for r in records] == [1, 3]
    assert records[1]["causation_id"] == "id-1"
    assert records[1]["type"] == "be.raderwerk.meetings.decision.adopted.v1"
    assert records[1]["captured_at"] == "2026-11-25T10:00:03.000000Z"
    assert reply.data["truncated"] is False


async def test_a_trail_never_carries_payloads_or_headers() -> None:
    reply = await handlers.get_trail(_uow(), GetTrail(command_id="cmd-00001", correlation_id="corr-a"), ENVELOPE)
    records = reply.data["records"]
    assert isinstance(records, list)
    for record in records:
        assert set(record) == TRAIL_KEYS
    assert "Jan Peeters" not in reply.model_dump_json()


async def test_a_long_trail_is_truncated() -> None:
    uow = FakeAuditUnitOfWork()
    uow.ledger.records, _ = chain(ChainHead(), [captured(i) for i in range(1, handlers.TRAIL_LIMIT + 6)])
    reply = await handlers.get_trail(uow, GetTrail(command_id="cmd-00001", correlation_id="corr-1"), ENVELOPE)
    records = reply.data["records"]
    assert isinstance(records, list)
    assert len(records) == handlers.TRAIL_LIMIT
    assert reply.data["truncated"] is True


async def test_an_unknown_correlation_has_an_empty_trail() -> None:
    reply = await handlers.get_trail(_uow(), GetTrail(command_id="cmd-00001", correlation_id="nope"), ENVELOPE)
    assert reply.accepted
    assert reply.data["records"] == []


async def test_verify_reports_an_intact_ledger() -> None:
    reply = await handlers.verify_ledger(_uow(), VerifyLedger(command_id="cmd-00002"), ENVELOPE)
    assert reply.accepted
    assert reply.data == {"ok": True, "checked": 3, "first_broken_seq": None, "reason": ""}


async def test_verify_names_the_first_broken_link() -> None:
    uow = _uow()
    uow.ledger.records[1] = dataclasses.replace(uow.ledger.records[1], payload="{}")
    reply = await handlers.verify_ledger(uow, VerifyLedger(command_id="cmd-00002"), ENVELOPE)
    assert reply.data["ok"] is False
    assert reply.data["first_broken_seq"] == 2
    assert str(reply.data["reason"]).startswith("row_hash_mismatch")
    # The reply travels as JSON.
    assert '"first_broken_seq":2' in reply.model_dump_json()
