"""In-memory fakes of audit's ports, and real nats-py messages over a fake connection."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import nats.errors
from nats.aio.msg import Msg

from services.audit.domain.checkpoints import Checkpoint
from services.audit.domain.ledger import (
    GENESIS_HASH,
    AppendPlan,
    Archive,
    CapturedMessage,
    ChainHead,
    ChainVerifier,
    LedgerFilter,
    LedgerRecord,
    TrailEntry,
    VerifyResult,
    chain,
    plan_append,
)
from shared.contracts.audit import ConsumeRecorded
from shared.kernel import DomainEvent
from shared.topology import subject_matches

T0 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


class FakeLedger:
    """The ledger in a list: appends, reads and verifies like `SqlLedger` (and `SqlLedgerAppender`)."""

    def __init__(self, events: list[str] | None = None) -> None:
        self.records: list[LedgerRecord] = []
        self.checkpoint_rows: list[Checkpoint] = []
        self.fail_next = 0
        self.events = events if events is not None else []

    def _head(self) -> ChainHead:
        if not self.records:
            return ChainHead()
        last = self.records[-1]
        return ChainHead(last.seq, last.row_hash, max(r.capture_seq for r in self.records))

    async def append(self, messages: Sequence[CapturedMessage], *, force: bool = False) -> AppendPlan:
        if self.fail_next:
            self.fail_next -= 1
            self.events.append("append-failed")
            raise ConnectionError("database unavailable")
        present = {r.capture_seq for r in self.records}
        head = self._head()
        plan = plan_append(head.capture_seq, present & {m.capture_seq for m in messages}, messages, force=force)
        records, _ = chain(head, plan.write)
        self.records.extend(records)
        self.events.append(f"commit {[r.capture_seq for r in records]}")
        return plan

    async def trail(self, correlation_id: str, *, limit: int) -> list[TrailEntry]:
        return [_entry(r) for r in sorted(self.records, key=lambda r: r.seq) if r.correlation_id == correlation_id][
            :limit
        ]

    async def verify(
        self,
        *,
        chunk: int = 10_000,
        checkpoints: Mapping[int, str] | None = None,
        after_seq: int = 0,
        prev_hash: str = GENESIS_HASH,
        limit: int | None = None,
    ) -> VerifyResult:
        ordered = sorted(self.records, key=lambda r: r.seq)
        head = ordered[-1].seq if ordered else 0
        last = head if limit is None else min(head, after_seq + limit)
        verifier = ChainVerifier.resume(after_seq, prev_hash, checkpoints)
        for record in ordered:
            if after_seq < record.seq <= last and not verifier.feed(record):
                return verifier.result()
        return verifier.finish(head) if last == head else verifier.result()

    def _matching(self, filters: LedgerFilter, after_seq: int) -> list[LedgerRecord]:
        def ok(r: LedgerRecord) -> bool:
            return (
                r.seq > after_seq
                and (filters.subject is None or subject_matches(filters.subject, r.subject))
                and (filters.ce_type is None or r.ce_type == filters.ce_type)
                and (filters.entity is None or r.entity == filters.entity)
                and (filters.correlation_id is None or r.correlation_id == filters.correlation_id)
                and (filters.body is None or filters.body.lower() in r.payload.lower())
                and (filters.since is None or r.captured_at >= filters.since)
                and (filters.until is None or r.captured_at < filters.until)
            )

        return [r for r in sorted(self.records, key=lambda r: r.seq) if ok(r)]

    async def search(self, filters: LedgerFilter, *, after_seq: int, limit: int) -> list[TrailEntry]:
        return [_entry(r) for r in self._matching(filters, after_seq)][:limit]

    async def export(self, filters: LedgerFilter, *, after_seq: int, limit: int) -> list[LedgerRecord]:
        return self._matching(filters, after_seq)[:limit]

    async def archives(self) -> list[Archive]:
        return []  # the fake keeps every record: it never archives

    async def head(self) -> ChainHead:
        return self._head()

    async def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        if any(c.seq == checkpoint.seq for c in self.checkpoint_rows):
            raise ValueError(f"a checkpoint at seq {checkpoint.seq} exists")
        self.checkpoint_rows.append(checkpoint)

    async def checkpoints(self) -> list[Checkpoint]:
        return sorted(self.checkpoint_rows, key=lambda c: c.seq)


def _entry(r: LedgerRecord) -> TrailEntry:
    return TrailEntry(
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
        consume_record=r.payload if r.ce_type == ConsumeRecorded.ce_type() else None,
    )


@dataclass
class FakeAuditUnitOfWork:
    ledger: FakeLedger = field(default_factory=FakeLedger)
    events: list[DomainEvent] = field(default_factory=list)
    committed: bool = False

    def emit(self, event: DomainEvent) -> object:
        self.events.append(event)
        return event

    async def commit(self) -> None:
        self.committed = True


class FakeConnection:
    """Records what messages publish back: acks, naks, in-progress (by reply subject)."""

    def __init__(self, events: list[str]) -> None:
        self.events = events

    async def publish(self, subject: str, payload: bytes = b"", reply: str = "", headers: Any = None) -> None:
        seq = int(subject.split(".")[5])
        if payload == b"":
            self.events.append(f"ack {seq}")
        elif payload.startswith(b"-NAK"):
            self.events.append(f"nak {seq} {payload[5:].decode()}")
        elif payload == b"+WPI":
            self.events.append(f"wpi {seq}")
        else:
            self.events.append(f"{payload!r} {seq}")


def capture_msg(
    connection: FakeConnection,
    seq: int,
    *,
    subject: str = "meetings.decision.adopted",
    headers: dict[str, str] | None = None,
    data: bytes = b'{"x": 1}',
    delivered: int = 1,
) -> Msg:
    """A real nats-py message as the CAPTURE consumer delivers it."""
    ts = int((T0 + dt.timedelta(milliseconds=seq)).timestamp() * 1_000_000_000)
    return Msg(
        _client=cast("Any", connection),
        subject=subject,
        reply=f"$JS.ACK.CAPTURE.audit_ledger.{delivered}.{seq}.{seq}.{ts}.0",
        data=data,
        headers=headers if headers is not None else {"ce-id": f"id-{seq}", "Nats-Msg-Id": f"id-{seq}"},
    )


class FakeSubscription:
    """Answers `fetch` with prepared batches, then times out like nats-py."""

    def __init__(self, batches: list[list[Msg]] | None = None) -> None:
        self.batches = list(batches or [])
        self.unsubscribed = False
        self.fetches = 0

    async def fetch(self, batch: int = 1, timeout: float | None = 5, heartbeat: float | None = None) -> list[Msg]:
        self.fetches += 1
        if not self.batches:
            await asyncio.sleep(min(timeout or 0.0, 0.001))  # nats-py waits out the timeout
            raise nats.errors.TimeoutError
        return self.batches.pop(0)[:batch]

    async def unsubscribe(self) -> None:
        self.unsubscribed = True


def captured(seq: int, **overrides: Any) -> CapturedMessage:
    """A captured message with plausible defaults."""
    values: dict[str, Any] = {
        "capture_seq": seq,
        "source_stream": "MEETINGS",
        "source_seq": seq,
        "subject": "meetings.decision.adopted",
        "message_id": f"id-{seq}",
        "ce_type": "be.raderwerk.meetings.decision.adopted.v1",
        "correlation_id": "corr-1",
        "causation_id": None,
        "entity": "gemeente",
        "confidentiality": "public",
        "service": "meetings",
        "headers": {"ce-id": f"id-{seq}", "ce-source": "/raderwerk/meetings"},
        "payload": '{"x": 1}',
        "payload_encoding": "utf-8",
        "captured_at": T0 + dt.timedelta(seconds=seq),
    }
    values.update(overrides)
    return CapturedMessage(**values)
