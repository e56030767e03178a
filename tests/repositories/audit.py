"""The contract of audit's ledger repository.

The ledger refuses UPDATE, DELETE and TRUNCATE; the SQL half writes in a transaction that is
rolled back, which the refusal does not touch. A broken chain cannot be made through the port
(that is the point of it), so tampering is checked against the domain's verifier in the unit tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.audit.domain.checkpoints import Checkpoint
from services.audit.domain.ledger import (
    PAYLOAD_BASE64,
    CapturedMessage,
    ChainHead,
    LedgerFilter,
    TrailEntry,
    VerifyResult,
    chain,
)

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def captured(seq: int, **overrides: Any) -> CapturedMessage:
    """A message as CAPTURE delivers it at `seq`, with plausible metadata."""
    values: dict[str, Any] = {
        "capture_seq": seq,
        "source_stream": "MEETINGS",
        "source_seq": seq + 100,
        "subject": "meetings.decision.adopted",
        "message_id": f"id-{seq}",
        "ce_type": "be.raderwerk.meetings.decision.adopted.v1",
        "correlation_id": "corr-1",
        "causation_id": None,
        "entity": "gemeente",
        "confidentiality": "public",
        "service": "meetings",
        "headers": {"ce-id": f"id-{seq}", "ce-source": "/raderwerk/meetings"},
        "payload": f'{{"n": {seq}}}',
        "payload_encoding": "utf-8",
        "captured_at": T0 + dt.timedelta(seconds=seq, microseconds=seq),
    }
    values.update(overrides)
    return CapturedMessage(**values)


async def _capture_order(uow: Any, correlation_id: str = "corr-1") -> list[str | None]:
    return [e.message_id for e in await uow.ledger.trail(correlation_id, limit=100)]


class LedgerContract:
    """Appended in capture order, once each; trails by correlation in ledger order; an intact chain."""

    async def test_an_empty_ledger_is_intact_and_has_no_trails_and_no_archives(self, uow: Any) -> None:
        assert await uow.ledger.archives() == []
        assert await uow.ledger.verify() == VerifyResult(ok=True, checked=0)
        assert await uow.ledger.trail("corr-1", limit=10) == []

    async def test_a_batch_is_chained_in_capture_order(self, uow: Any) -> None:
        plan = await uow.ledger.append([captured(2), captured(1), captured(3)])
        assert [m.capture_seq for m in plan.write] == [1, 2, 3]
        assert (plan.duplicates, plan.held) == ((), ())
        trail = await uow.ledger.trail("corr-1", limit=10)
        assert [(e.seq, e.message_id) for e in trail] == [(1, "id-1"), (2, "id-2"), (3, "id-3")]
        assert await uow.ledger.verify() == VerifyResult(ok=True, checked=3)

    async def test_every_trail_field_is_what_was_captured_and_hashed(self, uow: Any) -> None:
        first = captured(1)
        second = captured(
            2,
            source_stream=None,
            source_seq=None,
            message_id="cmd-7",
            ce_type="be.raderwerk.cmd.meetings.propose_agenda_item.v1",
            causation_id="id-1",
            entity="ocmw",
            confidentiality="social",
            service="cli",
            subject="cmd.meetings.propose_agenda_item",
        )
        await uow.ledger.append([first, second])
        records, _ = chain(ChainHead(), [first, second])
        expected = [
            TrailEntry(
                seq=r.seq,
                subject=r.subject,
                ce_type=r.ce_type,
                service=r.service,
                message_id=r.message_id,
                correlation_id=r.correlation_id,
                causation_id=r.causation_id,
                entity=r.entity,
                confidentiality=r.confidentiality,
                captured_at=r.captured_at,
                row_hash=r.row_hash,
            )
            for r in records
        ]
        assert await uow.ledger.trail("corr-1", limit=10) == expected

    async def test_what_a_trail_leaves_out_is_kept_exactly(self, uow: Any) -> None:
        # Verification re-hashes every stored field: it only passes if headers and payloads
        # (text, unicode, base64, empty metadata) come back exactly as they were appended.
        await uow.ledger.append(
            [
                captured(1, payload='{"naam": "Zoë Peeters", "bedrag": "120.00", "€": true}'),
                captured(2, headers={"ce-id": "id-2", "x-persoon": "Zoë", "Nats-Msg-Id": "id-2"}),
                captured(3, payload="AAEC/w==", payload_encoding=PAYLOAD_BASE64),
                captured(4, headers={}, message_id=None, ce_type=None, correlation_id=None, entity=None),
            ]
        )
        assert await uow.ledger.verify() == VerifyResult(ok=True, checked=4)

    async def test_a_redelivered_message_is_skipped(self, uow: Any) -> None:
        await uow.ledger.append([captured(1), captured(2)])
        plan = await uow.ledger.append([captured(2), captured(3)])
        assert plan.duplicates == (2,)
        assert [m.capture_seq for m in plan.write] == [3]
        assert await _capture_order(uow) == ["id-1", "id-2", "id-3"]
        assert await uow.ledger.verify() == VerifyResult(ok=True, checked=3)

    async def test_messages_after_a_gap_wait_until_it_closes(self, uow: Any) -> None:
        await uow.ledger.append([captured(1)])
        held = await uow.ledger.append([captured(3), captured(4)])
        assert (held.write, held.held) == ((), (3, 4))
        assert await _capture_order(uow) == ["id-1"]
        closed = await uow.ledger.append([captured(4), captured(2), captured(3)])
        assert [m.capture_seq for m in closed.write] == [2, 3, 4]
        assert await _capture_order(uow) == ["id-1", "id-2", "id-3", "id-4"]

    async def test_a_forced_gap_is_passed_and_a_late_arrival_still_written(self, uow: Any) -> None:
        await uow.ledger.append([captured(1)])
        forced = await uow.ledger.append([captured(3)], force=True)
        assert [m.capture_seq for m in forced.write] == [3]
        late = await uow.ledger.append([captured(2), captured(4)])
        assert [m.capture_seq for m in late.write] == [2, 4]
        assert await _capture_order(uow) == ["id-1", "id-3", "id-2", "id-4"]
        again = await uow.ledger.append([captured(2)])
        assert (again.write, again.duplicates) == ((), (2,))
        assert await uow.ledger.verify() == VerifyResult(ok=True, checked=4)

    async def test_a_redelivery_after_a_late_arrival_is_a_duplicate(self, uow: Any) -> None:
        # The last record (2) is not the highest capture (3): the head must know the highest.
        await uow.ledger.append([captured(1)])
        await uow.ledger.append([captured(3)], force=True)
        await uow.ledger.append([captured(2)])
        again = await uow.ledger.append([captured(3)])
        assert (again.write, again.duplicates) == ((), (3,))

    async def test_a_trail_is_one_correlation_in_ledger_order_up_to_its_limit(self, uow: Any) -> None:
        await uow.ledger.append(
            [captured(seq, correlation_id="corr-a" if seq % 2 else "corr-b") for seq in range(1, 8)]
        )
        assert [e.seq for e in await uow.ledger.trail("corr-a", limit=10)] == [1, 3, 5, 7]
        assert [e.seq for e in await uow.ledger.trail("corr-a", limit=2)] == [1, 3]
        assert [e.seq for e in await uow.ledger.trail("corr-b", limit=10)] == [2, 4, 6]
        assert await uow.ledger.trail("corr-c", limit=10) == []

    async def test_verify_walks_the_chain_in_chunks(self, uow: Any) -> None:
        await uow.ledger.append([captured(seq) for seq in range(1, 8)])
        assert await uow.ledger.verify(chunk=2) == VerifyResult(ok=True, checked=7)
        assert await uow.ledger.verify(chunk=7) == VerifyResult(ok=True, checked=7)

    async def test_the_head_is_the_last_record(self, uow: Any) -> None:
        assert await uow.ledger.head() == ChainHead()
        await uow.ledger.append([captured(seq) for seq in range(1, 4)])
        head = await uow.ledger.head()
        assert (head.seq, head.capture_seq) == (3, 3)
        assert head.row_hash == (await uow.ledger.trail("corr-1", limit=10))[-1].row_hash

    async def test_checkpoints_are_stored_and_read_in_seq_order(self, uow: Any) -> None:
        assert await uow.ledger.checkpoints() == []
        late = Checkpoint(seq=5, head_hash="b" * 64, signed_at=T0, key_id="k1", signature="00")
        early = Checkpoint(seq=2, head_hash="a" * 64, signed_at=T0, key_id="k1", signature="01")
        await uow.ledger.add_checkpoint(late)
        await uow.ledger.add_checkpoint(early)
        assert await uow.ledger.checkpoints() == [early, late]

    async def test_verify_holds_the_chain_to_checkpoints_and_walks_in_stretches(self, uow: Any) -> None:
        await uow.ledger.append([captured(seq) for seq in range(1, 8)])
        head = await uow.ledger.head()
        first = await uow.ledger.verify(limit=3)
        assert (first.ok, first.checked, first.last_seq) == (True, 3, 3)
        rest = await uow.ledger.verify(after_seq=first.last_seq, prev_hash=first.last_hash, chunk=2)
        assert (rest.ok, rest.checked, rest.last_seq, rest.last_hash) == (True, 4, 7, head.row_hash)
        wrong = await uow.ledger.verify(checkpoints={5: "f" * 64})
        assert (wrong.ok, wrong.first_broken_seq) == (False, 5)
        beyond = await uow.ledger.verify(checkpoints={9: "f" * 64})
        assert (beyond.ok, beyond.first_broken_seq) == (False, 8)
        assert beyond.reason.startswith("tail_removed")

    async def test_search_and_export_select_by_every_filter_in_ledger_order(self, uow: Any) -> None:
        await uow.ledger.append(
            [
                captured(1),
                captured(2, subject="finance.commitment.recorded", entity="ocmw", payload='{"who": "Jan Peeters"}'),
                captured(3, subject="finance.credit.exhausted", correlation_id="corr-2"),
                captured(4, ce_type="be.raderwerk.audit.consume.recorded.v1", subject="audit.consume.recorded"),
            ]
        )

        async def seqs(after_seq: int = 0, limit: int = 10, **filters: Any) -> list[int]:
            found = await uow.ledger.search(LedgerFilter(**filters), after_seq=after_seq, limit=limit)
            return [e.seq for e in found]

        assert await seqs() == [1, 2, 3, 4]
        assert await seqs(subject="finance.>") == [2, 3]
        assert await seqs(subject="finance.*.recorded") == [2]
        assert await seqs(subject="finance.credit.exhausted") == [3]
        assert await seqs(entity="ocmw") == [2]
        assert await seqs(correlation_id="corr-2") == [3]
        assert await seqs(body="jan peeters") == [2]
        assert await seqs(ce_type="be.raderwerk.audit.consume.recorded.v1") == [4]
        assert await seqs(since=T0 + dt.timedelta(seconds=2), until=T0 + dt.timedelta(seconds=4)) == [2, 3]
        assert await seqs(after_seq=1, limit=2) == [2, 3]
        exported = await uow.ledger.export(LedgerFilter(subject="finance.>"), after_seq=0, limit=10)
        assert [(r.seq, r.payload) for r in exported] == [(2, '{"who": "Jan Peeters"}'), (3, '{"n": 3}')]
        assert exported[0].headers == captured(2).headers
