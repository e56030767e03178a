"""The ledger writer: CAPTURE, in stream order, into the hash chain (ADR 0003).

Not a FastStream subscriber: FastStream handles the messages of a pulled batch concurrently,
and the ledger must be written in capture order at thousands of messages a second. The writer
binds the provisioned durable `audit_ledger` with nats-py and, for every fetched batch:

1. sorts it by CAPTURE sequence (merged with messages still held from earlier batches);
2. appends it in ONE transaction (advisory lock, read the head, skip what the ledger already
   holds, hash, insert) and commits;
3. only then acks: written and already-present messages are acked, messages after a gap are
   held (kept in progress) until the gap closes or outlives `gap_timeout_s`.

On a database error nothing is acked: the batch stays pending in the writer, kept in progress,
and is retried with a growing delay. It is not nak'd, because every redelivery counts against the
consumer's `max_deliver`, and a message JetStream gives up on would leave a hole in the ledger.
On shutdown whatever is pending is nak'd without delay, so another replica takes it over at once.
A crash between commit and ack redelivers messages that are then skipped by their capture
sequence; the gap rule keeps newer messages from overtaking redelivered ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from nats.aio.msg import Msg
from opentelemetry.trace import SpanKind

from services.audit.domain.ledger import AppendPlan, CapturedMessage
from shared.logging import get_logger
from shared.tracing import CORRELATION_ATTRIBUTE, context_of, tracer

__all__ = ["LedgerAppender", "LedgerWriter", "PullSubscription"]

log = get_logger(__name__)


class LedgerAppender(Protocol):
    """Appends a batch in one transaction and answers what it did (see `plan_append`)."""

    async def append(self, messages: Sequence[CapturedMessage], *, force: bool = False) -> AppendPlan: ...


class PullSubscription(Protocol):
    """The part of nats-py's `JetStreamContext.PullSubscription` the writer uses."""

    async def fetch(self, batch: int = 1, timeout: float | None = 5, heartbeat: float | None = None) -> list[Msg]: ...

    async def unsubscribe(self) -> None: ...


@dataclass
class _Pending:
    message: CapturedMessage
    deliveries: list[Msg] = field(default_factory=list)


class LedgerWriter:
    """Pulls CAPTURE and appends it to the ledger until stopped or cancelled."""

    def __init__(
        self,
        appender: LedgerAppender,
        subscribe: Callable[[], Awaitable[PullSubscription]],
        *,
        batch: int = 256,
        fetch_timeout_s: float = 1.0,
        retry_delay_s: float = 1.0,
        gap_timeout_s: float = 120.0,
        progress_every_s: float = 10.0,
        max_backoff_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._appender = appender
        self._subscribe = subscribe
        self._batch = batch
        self._fetch_timeout = fetch_timeout_s
        self._retry_delay = retry_delay_s
        self._gap_timeout = gap_timeout_s
        self._progress_every = progress_every_s
        self._max_backoff = max_backoff_s
        self._clock = clock
        self._sub: PullSubscription | None = None
        self._prefetch: asyncio.Future[list[Msg]] | None = None
        self._pending: dict[int, _Pending] = {}
        self._gap_since: float | None = None
        self._last_progress: float | None = None
        self._failures = 0
        self._stopping = False
        self.appended_total = 0
        self.duplicates_total = 0
        self.last_error: str | None = None

    @property
    def held(self) -> int:
        """Messages waiting behind a gap in the capture sequence."""
        return len(self._pending)

    @property
    def stopping(self) -> bool:
        """Whether a stop was asked for (`stop` or `close`)."""
        return self._stopping

    def stop(self) -> None:
        """Return from `run()` after the current step."""
        self._stopping = True

    async def run(self) -> None:
        """Append until stopped; back off (bounded) while NATS or the consumer is unavailable."""
        failures = 0
        try:
            while not self._stopping:
                try:
                    await self.step()
                    failures = 0
                except Exception as exc:  # noqa: BLE001 - the writer must outlive any outage
                    failures += 1
                    self.last_error = f"{type(exc).__name__}: {exc}"
                    log.warning("ledger writer: fetch failed", error=self.last_error, failures=failures)
                    await self._drop_subscription()
                    await asyncio.sleep(min(self._max_backoff, 0.2 * 2**failures))
        finally:
            await self._nak_pending()
            await self._drop_subscription()

    async def step(self) -> int:
        """Fetch one batch and append what can be appended; answers how many records were written."""
        if self._sub is None:
            self._sub = await self._subscribe()
        prefetch, self._prefetch = self._prefetch, None
        fetched = await prefetch if prefetch is not None else await self._fetch(self._sub)
        for msg in fetched:
            self._take(msg)
        if not self._pending:
            return 0
        if len(fetched) == self._batch:
            # A full batch means a backlog: pull the next one while this one is written. Order is
            # still safe: whatever arrives is merged, sorted and gap-checked before it is written.
            self._prefetch = asyncio.ensure_future(self._fetch(self._sub))
        return await self._flush()

    async def _fetch(self, sub: PullSubscription) -> list[Msg]:
        # While messages are held, come back soon: another replica may close the gap.
        timeout = min(self._fetch_timeout, 0.25) if self._pending else self._fetch_timeout
        try:
            return await sub.fetch(self._batch, timeout=timeout)
        except TimeoutError:  # nats-py: nothing arrived in time
            return []

    def _take(self, msg: Msg) -> None:
        meta = msg.metadata
        seq = meta.sequence.stream
        pending = self._pending.get(seq)
        if pending is None:
            message = CapturedMessage.from_nats(
                capture_seq=seq,
                subject=msg.subject,
                headers=msg.headers,
                data=msg.data,
                captured_at=meta.timestamp,
            )
            pending = self._pending[seq] = _Pending(message)
        pending.deliveries.append(msg)  # a redelivery of a held message: ack both later

    async def _flush(self) -> int:
        now = self._clock()
        force = self._gap_since is not None and now - self._gap_since >= self._gap_timeout
        ordered = sorted(self._pending.values(), key=lambda p: p.message.capture_seq)
        if force:
            log.error(
                "ledger writer: capture gap outlived its timeout; appending past it",
                first_waiting=ordered[0].message.capture_seq,
                waited_s=round(now - (self._gap_since or now), 1),
            )
        started_ns = time.time_ns()
        try:
            plan = await self._appender.append([p.message for p in ordered], force=force)
        except Exception as exc:  # noqa: BLE001 - never ack before commit: keep the batch, retry
            self._failures += 1
            self.last_error = f"{type(exc).__name__}: {exc}"
            delay = min(self._max_backoff, self._retry_delay * 2 ** (self._failures - 1))
            log.warning(
                "ledger writer: append failed; batch kept for a retry",
                error=self.last_error,
                messages=len(ordered),
                failures=self._failures,
                retry_in_s=delay,
            )
            await self._keep_in_progress(now)
            await asyncio.sleep(delay)
            return 0
        self._failures = 0
        self.last_error = None
        _trace_appended(plan.write, started_ns)
        for seq in (*(m.capture_seq for m in plan.write), *plan.duplicates):
            pending = self._pending.pop(seq, None)
            if pending is not None:
                for msg in pending.deliveries:
                    await self._settle(msg.ack)
        self.appended_total += len(plan.write)
        self.duplicates_total += len(plan.duplicates)
        if plan.duplicates:
            log.info("ledger writer: redelivered messages already in the ledger", count=len(plan.duplicates))
        if not self._pending:
            self._gap_since = None
        elif self._gap_since is None:
            self._gap_since = now
            log.info("ledger writer: waiting for a gap in the capture sequence", held=len(self._pending))
        await self._keep_in_progress(now)
        return len(plan.write)

    async def _keep_in_progress(self, now: float) -> None:
        # Messages kept across steps (behind a gap, or while the database is down) would be
        # redelivered after the consumer's ack wait; tell JetStream they are being worked on.
        if not self._pending:
            self._last_progress = None
            return
        if self._last_progress is None:
            self._last_progress = now
        elif now - self._last_progress >= self._progress_every:
            self._last_progress = now
            for pending in list(self._pending.values()):
                await self._settle(pending.deliveries[-1].in_progress)

    async def _nak_pending(self) -> None:
        # On shutdown: hand what was not written to another replica now, not after the ack wait.
        pending, self._pending = self._pending, {}
        self._gap_since = None
        self._last_progress = None
        for entry in pending.values():
            for msg in entry.deliveries:
                await self._settle(msg.nak)

    async def _settle(self, action: Callable[[], Awaitable[None]]) -> None:
        # An ack that does not arrive means a redelivery, which the ledger skips; never crash on it.
        try:
            await action()
        except Exception as exc:  # noqa: BLE001
            log.debug("ledger writer: ack not sent", error=f"{type(exc).__name__}: {exc}")

    async def close(self) -> None:
        """Stop and leave the connection now (before the broker drains it, see `AuditRuntime`)."""
        self._stopping = True
        await self._nak_pending()
        await self._drop_subscription()

    async def _drop_subscription(self) -> None:
        # Unsubscribing first matters: nats-py removes the subscription from the connection
        # before its first await, so a drain that starts right after no longer waits for it.
        sub, self._sub = self._sub, None
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            # Messages it may still deliver are not acked, so they are redelivered after ack_wait.
            prefetch.cancel()
        if sub is not None:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
        if prefetch is not None:
            with contextlib.suppress(BaseException):
                await prefetch


def _trace_appended(written: Sequence[CapturedMessage], started_ns: int) -> None:
    """One `append` span per ledger record, a child of the span that published the message."""
    if not written:
        return
    ended_ns = time.time_ns()
    spans = tracer()
    for message in written:
        if "traceparent" not in message.headers:
            continue
        span = spans.start_span(
            "audit.ledger append",
            context=context_of(message.headers),
            kind=SpanKind.CONSUMER,
            start_time=started_ns,
            attributes={
                CORRELATION_ATTRIBUTE: message.correlation_id or "",
                "messaging.destination.name": message.subject,
                "raderwerk.capture_seq": message.capture_seq,
            },
        )
        span.end(end_time=ended_ns)
