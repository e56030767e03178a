"""The ledger in PostgreSQL: appending batches under a lock, trails, and chunked verification."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import case, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from services.audit.adapters.tables import archives, checkpoints, ledger
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

#: The CloudEvents type of consume records, whose bodies a trail shows (they hold no message payload).
CONSUME_RECORD_TYPE = ConsumeRecorded.ce_type()

__all__ = ["LEDGER_LOCK", "SqlLedger", "SqlLedgerAppender", "row_from_record"]

#: One advisory lock per ledger (schema): two writer replicas never interleave their appends.
LEDGER_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.ledger'))")

_RECORD_COLUMNS = (
    ledger.c.seq,
    ledger.c.capture_seq,
    ledger.c.source_stream,
    ledger.c.source_seq,
    ledger.c.subject,
    ledger.c.message_id,
    ledger.c.ce_type,
    ledger.c.correlation_id,
    ledger.c.causation_id,
    ledger.c.entity,
    ledger.c.confidentiality,
    ledger.c.service,
    ledger.c.headers,
    ledger.c.payload,
    ledger.c.payload_encoding,
    ledger.c.captured_at,
    ledger.c.prev_hash,
    ledger.c.row_hash,
)


# `headers::text`: decoding it here is cheaper than through the driver's registered JSON codec.
_CHUNK_SQL = (
    f"SELECT {', '.join(f'{c.name}::text' if c.name == 'headers' else c.name for c in _RECORD_COLUMNS)} "  # noqa: S608
    "FROM ledger WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
)
_json_object = json.JSONDecoder().decode


def row_from_record(record: LedgerRecord) -> dict[str, Any]:
    """The `ledger` row of a record."""
    return {
        "seq": record.seq,
        "capture_seq": record.capture_seq,
        "source_stream": record.source_stream,
        "source_seq": record.source_seq,
        "subject": record.subject,
        "message_id": record.message_id,
        "ce_type": record.ce_type,
        "correlation_id": record.correlation_id,
        "causation_id": record.causation_id,
        "entity": record.entity,
        "confidentiality": record.confidentiality,
        "service": record.service,
        "headers": dict(record.headers),
        "payload": record.payload,
        "payload_encoding": record.payload_encoding,
        "captured_at": record.captured_at,
        "prev_hash": record.prev_hash,
        "row_hash": record.row_hash,
    }


def _record_from_values(values: Sequence[Any]) -> LedgerRecord:
    # Positional: reading a million rows by column name costs more than hashing them.
    (
        seq,
        capture_seq,
        source_stream,
        source_seq,
        subject,
        message_id,
        ce_type,
        correlation_id,
        causation_id,
        entity,
        confidentiality,
        service,
        headers,
        payload,
        payload_encoding,
        captured_at,
        prev_hash,
        row_hash,
    ) = values
    return LedgerRecord(
        seq=seq,
        capture_seq=capture_seq,
        source_stream=source_stream,
        source_seq=source_seq,
        subject=subject,
        message_id=message_id,
        ce_type=ce_type,
        correlation_id=correlation_id,
        causation_id=causation_id,
        entity=entity,
        confidentiality=confidentiality,
        service=service,
        headers=_json_object(headers) if type(headers) is str else headers,
        payload=payload,
        payload_encoding=payload_encoding,
        captured_at=captured_at,
        prev_hash=prev_hash,
        row_hash=row_hash,
    )


_TRAIL_COLUMNS = (
    ledger.c.seq,
    ledger.c.subject,
    ledger.c.ce_type,
    ledger.c.service,
    ledger.c.message_id,
    ledger.c.correlation_id,
    ledger.c.causation_id,
    ledger.c.entity,
    ledger.c.confidentiality,
    ledger.c.captured_at,
    ledger.c.row_hash,
    case((ledger.c.ce_type == CONSUME_RECORD_TYPE, ledger.c.payload), else_=None).label("consume_record"),
)


def _trail_entry(r: Any) -> TrailEntry:
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
        consume_record=r.consume_record,
    )


def nats_pattern_regex(pattern: str) -> str:
    """A PostgreSQL regex matching the subjects a NATS pattern matches (`*` one token, a final `>` the rest).

    Only ASCII punctuation is escaped: in PostgreSQL a backslash before a letter or digit (of any
    script) starts an escape of its own, while one before punctuation makes it literal.
    """
    parts = []
    for part in pattern.split("."):
        if part == "*":
            parts.append("[^.]+")
        elif part == ">":
            parts.append(".+")
        else:
            parts.append("".join(f"\\{c}" if c.isascii() and not c.isalnum() else c for c in part))
    return "^" + r"\.".join(parts) + "$"


def _conditions(filters: LedgerFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.subject:
        if "*" in filters.subject or ">" in filters.subject:
            conditions.append(ledger.c.subject.regexp_match(nats_pattern_regex(filters.subject)))
        else:
            conditions.append(ledger.c.subject == filters.subject)
    if filters.ce_type:
        conditions.append(ledger.c.ce_type == filters.ce_type)
    if filters.entity:
        conditions.append(ledger.c.entity == filters.entity)
    if filters.correlation_id:
        conditions.append(ledger.c.correlation_id == filters.correlation_id)
    if filters.body:
        conditions.append(ledger.c.payload.icontains(filters.body, autoescape=True))
    if filters.since:
        conditions.append(ledger.c.captured_at >= filters.since)
    if filters.until:
        conditions.append(ledger.c.captured_at < filters.until)
    return conditions


async def _head(session: AsyncSession) -> ChainHead:
    # The highest capture sequence is usually the last record's; not after a late arrival was
    # written behind a forced gap. Read in the same statement: the writer does this once per batch.
    highest = select(func.max(ledger.c.capture_seq)).scalar_subquery()
    stmt = select(ledger.c.seq, ledger.c.row_hash, highest.label("highest")).order_by(ledger.c.seq.desc()).limit(1)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        return ChainHead()
    return ChainHead(seq=row.seq, row_hash=row.row_hash, capture_seq=int(row.highest or 0))


class SqlLedger:
    """The ledger in the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, messages: Sequence[CapturedMessage], *, force: bool = False) -> AppendPlan:
        """Lock the ledger, skip what it already holds, chain and insert the rest.

        The lock is held until the transaction ends; what `write` names is stored once it commits.
        """
        session = self._session
        await session.execute(LEDGER_LOCK)
        head = await _head(session)
        # Only a redelivery can already be in the ledger, and it is at or below the head.
        seen = [m.capture_seq for m in messages if m.capture_seq <= head.capture_seq]
        present: set[int] = set()
        if seen:
            stmt = select(ledger.c.capture_seq).where(ledger.c.capture_seq.in_(seen))
            present = set((await session.scalars(stmt)).all())
        plan = plan_append(head.capture_seq, present, messages, force=force)
        records, _ = chain(head, plan.write)
        if records:
            await session.execute(insert(ledger), [row_from_record(r) for r in records])
        return plan

    async def trail(self, correlation_id: str, *, limit: int) -> list[TrailEntry]:
        """Metadata of the records of one correlation id, in ledger order (no payloads)."""
        rows = await self._session.execute(
            select(*_TRAIL_COLUMNS).where(ledger.c.correlation_id == correlation_id).order_by(ledger.c.seq).limit(limit)
        )
        return [_trail_entry(r) for r in rows]

    async def search(self, filters: LedgerFilter, *, after_seq: int, limit: int) -> list[TrailEntry]:
        """Records that match every given filter, in ledger order after `after_seq` (metadata only)."""
        stmt = (
            select(*_TRAIL_COLUMNS)
            .where(ledger.c.seq > after_seq, *_conditions(filters))
            .order_by(ledger.c.seq)
            .limit(limit)
        )
        return [_trail_entry(r) for r in await self._session.execute(stmt)]

    async def export(self, filters: LedgerFilter, *, after_seq: int, limit: int) -> list[LedgerRecord]:
        """Whole records that match, in ledger order after `after_seq`."""
        stmt = (
            select(*_RECORD_COLUMNS)
            .where(ledger.c.seq > after_seq, *_conditions(filters))
            .order_by(ledger.c.seq)
            .limit(limit)
        )
        return [_record_from_values(tuple(r)) for r in await self._session.execute(stmt)]

    async def archives(self) -> list[Archive]:
        """The closed periods moved to archive files, in seq order."""
        rows = await self._session.execute(select(archives).order_by(archives.c.last_seq))
        return [Archive(**row._mapping) for row in rows]

    async def records(self, first: int, last: int) -> list[LedgerRecord]:
        """Whole records from `first` to `last`, in seq order (what an archive file holds)."""
        stmt = select(*_RECORD_COLUMNS).where(ledger.c.seq.between(first, last)).order_by(ledger.c.seq)
        return [_record_from_values(tuple(r)) for r in await self._session.execute(stmt)]

    async def head(self) -> ChainHead:
        """The last record (or the genesis state of an empty ledger)."""
        return await _head(self._session)

    async def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store a signed checkpoint (append-only, like the ledger)."""
        await self._session.execute(
            insert(checkpoints).values(
                seq=checkpoint.seq,
                head_hash=checkpoint.head_hash,
                signed_at=checkpoint.signed_at,
                key_id=checkpoint.key_id,
                signature=checkpoint.signature,
            )
        )

    async def checkpoints(self) -> list[Checkpoint]:
        """Every stored checkpoint, by seq."""
        rows = await self._session.execute(select(checkpoints).order_by(checkpoints.c.seq))
        return [
            Checkpoint(seq=r.seq, head_hash=r.head_hash, signed_at=r.signed_at, key_id=r.key_id, signature=r.signature)
            for r in rows
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
        """Walk the chain up to the head seen at the start, `chunk` records at a time.

        Keyset pages by `seq` (the primary key), so memory stays at about two chunks whatever
        the size of the ledger. Each chunk is hashed in a worker thread while the next one is
        read, so the database and the hashing overlap and the event loop keeps serving.
        `after_seq`/`prev_hash`/`limit` walk one stretch of a longer walk (a progress bar's step);
        the record at each signed checkpoint's seq must carry the checkpoint's hash.
        """
        head = await self._session.scalar(select(func.max(ledger.c.seq)))
        verifier = ChainVerifier.resume(after_seq, prev_hash, checkpoints)
        if head is None or head <= after_seq:
            return verifier.finish(head)
        last = head if limit is None else min(head, after_seq + limit)
        reading: asyncio.Task[list[LedgerRecord]] | None = asyncio.ensure_future(self._chunk(after_seq, last, chunk))
        while reading is not None:
            records = await reading
            reading = None
            if not records:
                break
            if records[-1].seq < last:
                reading = asyncio.ensure_future(self._chunk(records[-1].seq, last, chunk))
            if not await asyncio.to_thread(verifier.feed_many, records):
                if reading is not None:
                    await reading  # let the query finish: the session allows one at a time
                break
        if verifier.broken or last < head:
            return verifier.result()
        return verifier.finish(head)

    async def _chunk(self, after: int, last: int, size: int) -> list[LedgerRecord]:
        # Straight through the session's asyncpg connection (same transaction): SQLAlchemy's
        # result rows cost ~12 µs a row here, more than hashing the record.
        connection = await self._session.connection()
        driver = (await connection.get_raw_connection()).driver_connection
        if driver is None:
            raise RuntimeError("the ledger connection has no asyncpg driver connection")
        rows = await driver.fetch(_CHUNK_SQL, after, last, size)
        return [_record_from_values(row) for row in rows]


class SqlLedgerAppender:
    """Appends batches to the ledger, each in one transaction of its own (the ledger writer's)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def append(self, messages: Sequence[CapturedMessage], *, force: bool = False) -> AppendPlan:
        """Append as `SqlLedger.append` does, and commit: `write` is stored when this returns."""
        async with self._sessions() as session, session.begin():
            return await SqlLedger(session).append(messages, force=force)
