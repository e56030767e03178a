"""The outbox relay: publishes committed outbox rows to JetStream, then marks them sent.

Work-queue style (`published_at IS NULL ... FOR UPDATE SKIP LOCKED`) rather than a position
cursor, because identity values commit out of order and a cursor could skip rows. A crash between
publishing and marking republishes the same `Nats-Msg-Id`, which JetStream drops as a duplicate
inside the stream's duplicate window.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from nats.js import JetStreamContext
from opentelemetry.trace import SpanKind
from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db.tables import MessagingTables
from shared.logging import get_logger
from shared.topology import stream_of_subject
from shared.tracing import CORRELATION_ATTRIBUTE, inject_current, span_under

__all__ = ["OutboxRelay"]

log = get_logger(__name__)


class OutboxRelay:
    """Drains one service's outbox to JetStream, woken on commit and by a poll timer."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        jetstream: Callable[[], JetStreamContext],
        *,
        batch: int = 200,
        poll_s: float = 0.5,
        publish_timeout_s: float = 5.0,
        max_backoff_s: float = 10.0,
        coalesce_s: float = 0.002,
    ) -> None:
        self._sessions = session_factory
        self._outbox = tables.outbox
        # A provider, because the broker's JetStream context exists only once it connected.
        self._jetstream = jetstream
        self._batch = batch
        self._poll_s = poll_s
        self._timeout = publish_timeout_s
        self._max_backoff = max_backoff_s
        self._coalesce_s = coalesce_s
        self._wake = asyncio.Event()
        self._stopping = False
        self.published_total = 0
        self.last_error: str | None = None

    def wake(self) -> None:
        """Called after a commit that wrote outbox rows: publish now instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the current batch and return from `run()`."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Publish until stopped; back off (bounded) while NATS or PostgreSQL is unavailable."""
        failures = 0
        while not self._stopping:
            try:
                sent = await self.drain_once()
                failures = 0
                self.last_error = None
            except Exception as exc:  # noqa: BLE001 - the relay must outlive any outage
                failures += 1
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("outbox relay failed", error=self.last_error, failures=failures)
                sent = 0
                await self._idle(min(self._max_backoff, 0.2 * 2**failures))
                continue
            if sent == self._batch:
                continue  # more is waiting
            await self._idle(self._poll_s)

    async def _idle(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        if self._wake.is_set() and self._coalesce_s > 0 and not self._stopping:
            # Commits come in bursts: wakes that arrive meanwhile are served by the same drain.
            await asyncio.sleep(self._coalesce_s)
        self._wake.clear()

    async def drain_once(self) -> int:
        """Publish one batch of unpublished rows in outbox order; answer how many were sent.

        One statement claims the batch and marks it sent (`UPDATE ... WHERE id IN (SELECT ... FOR
        UPDATE SKIP LOCKED) RETURNING`); the publishes are pipelined; the commit keeps the marks.
        Rows whose publish failed are unmarked again, with their error, in one more statement.
        """
        o = self._outbox
        now = dt.datetime.now(dt.UTC)
        batch = (
            select(o.c.id)
            .where(o.c.published_at.is_(None))
            .order_by(o.c.seq)
            .limit(self._batch)
            .with_for_update(skip_locked=True)
        )
        async with self._sessions() as session, session.begin():
            claimed = (
                await session.execute(
                    update(o)
                    .where(o.c.id.in_(batch.scalar_subquery()))
                    .values(published_at=now)
                    .returning(o.c.seq, o.c.id, o.c.subject, o.c.headers, o.c.payload)
                )
            ).all()
            if not claimed:
                return 0
            rows = sorted(claimed, key=lambda r: r.seq)
            # Publishes are written to the connection in call order, so concurrent awaiting keeps
            # the stream order of the batch while PubAcks come back pipelined.
            results = await asyncio.gather(
                *(self._publish(r.subject, r.payload, r.headers) for r in rows),
                return_exceptions=True,
            )
            failed = [
                {"b_id": r.id, "b_error": f"{type(res).__name__}: {res}"}
                for r, res in zip(rows, results, strict=True)
                if isinstance(res, BaseException)
            ]
            if failed:
                await session.execute(
                    update(o)
                    .where(o.c.id == bindparam("b_id"))
                    .values(published_at=None, attempts=o.c.attempts + 1, last_error=bindparam("b_error")),
                    failed,
                )
        sent = len(rows) - len(failed)
        self.published_total += sent
        if failed:
            raise RuntimeError(f"{len(failed)} of {len(rows)} publishes failed; first: {failed[0]['b_error']}")
        return sent

    async def _publish(self, subject: str, payload: bytes, headers: dict[str, Any]) -> None:
        sent = {k: str(v) for k, v in headers.items()}
        # The row kept the context of the span that wrote it: the publish is that span's child, and
        # the message carries the publish span on, so the trace runs through the outbox unbroken.
        with span_under(
            f"{subject} publish",
            sent,
            kind=SpanKind.PRODUCER,
            attributes={CORRELATION_ATTRIBUTE: sent.get("ce-correlationid", ""), "messaging.destination.name": subject},
        ):
            inject_current(sent)
            ack = await self._jetstream().publish(
                subject,
                payload,
                timeout=self._timeout,
                stream=stream_of_subject(subject),
                headers=sent,
            )
        if ack.duplicate:
            log.info("outbox row was already published", message_id=headers.get("Nats-Msg-Id"))

    async def backlog(self) -> int:
        """Rows still waiting to be published (for health and `rw status`)."""
        from sqlalchemy import func

        o = self._outbox
        async with self._sessions() as session:
            count = await session.scalar(select(func.count()).select_from(o).where(o.c.published_at.is_(None)))
        return int(count or 0)
