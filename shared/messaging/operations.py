"""Dead letters and replays, served by every service with durable consumers (`shared.contracts.operations`).

* `list_dead_letters` / `show_dead_letter` read the service's `dead_letters` table; a letter is
  `handled` once the consumer's inbox holds its message id.
* `retry_dead_letter` hands the stored message to its consumer's pipeline again: the inbox makes
  it take effect at most once, and the consume record (`via = dlq_retry`) audits the retry. The
  dead letter row stays, as the record of what happened.
* `replay_consumer` reads the consumer's stream from a sequence (or the first message at or after
  a time) with `$JS.API.STREAM.MSG.GET` and hands every message the consumer's filter matches to
  its pipeline, in stream order, up to `limit`. The durable consumer keeps its position; the inbox
  turns whatever was handled before into a duplicate, so no effect is doubled. It stops at the first
  message that fails for a passing reason (answering where), so a replay never skips one.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

from faststream.nats import NatsBroker
from nats.js.errors import NotFoundError
from sqlalchemy import Table, and_, exists, select

from shared.actor import ActorVerifier
from shared.contracts.operations import (
    OPERATION_SERVICES,
    SHOWN_BYTES,
    DeadLetter,
    DeadLetterDetail,
    DeadLettersReply,
    ListDeadLetters,
    ReplayConsumer,
    RetryDeadLetter,
    ShowDeadLetter,
    operations_of,
)
from shared.db.tables import MessagingTables
from shared.kernel import Accepted, RuleViolation
from shared.logging import get_logger
from shared.messaging.broker import jetstream_of
from shared.messaging.commands import bind_command, bind_query
from shared.messaging.subscriber import ConsumerPipeline, Delivery
from shared.topology import subject_matches

__all__ = ["DeadLetterOperations", "bind_operations"]

log = get_logger(__name__)


def _payload(data: bytes) -> tuple[str, Literal["utf-8", "base64"]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), "base64"
    return (text, "utf-8") if "\x00" not in text else (base64.b64encode(data).decode("ascii"), "base64")


def _stream_time(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        # RFC 3339 with nanoseconds: Python keeps microseconds.
        text = re.sub(r"\.(\d{1,6})\d*", lambda m: "." + m.group(1).ljust(6, "0"), value).replace("Z", "+00:00")
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    return None


class DeadLetterOperations:
    """The operations of one service, over its tables and its consumers' pipelines."""

    def __init__(
        self,
        service: str,
        tables: MessagingTables,
        pipelines: Mapping[str, ConsumerPipeline],
        jetstream: Callable[[], Any],
    ) -> None:
        self.service = service
        self._dead: Table = tables.dead_letters
        self._inbox: Table = tables.inbox
        self._pipelines = pipelines
        self._jetstream = jetstream
        self.contracts = operations_of(service)

    def _handled(self) -> Any:
        inbox, dead = self._inbox, self._dead
        return exists().where(and_(inbox.c.consumer == dead.c.consumer, inbox.c.message_id == dead.c.message_id))

    async def list_dead_letters(self, uow: Any, query: ListDeadLetters) -> DeadLettersReply:
        """The dead letters, newest first (handled ones only when asked)."""
        dead = self._dead
        handled = self._handled()
        stmt = select(dead, handled.label("handled")).order_by(dead.c.id.desc()).limit(query.limit + 1)
        if query.consumer:
            stmt = stmt.where(dead.c.consumer == query.consumer)
        if not query.include_handled:
            stmt = stmt.where(~handled)
        rows = (await uow.session.execute(stmt)).all()
        letters = tuple(_letter(r) for r in rows[: query.limit])
        reply: DeadLettersReply = self.contracts.list_reply(
            command_id=query.command_id, service=self.service, letters=letters, truncated=len(rows) > query.limit
        )
        return reply

    async def _row(self, uow: Any, letter_id: int) -> Any:
        dead = self._dead
        row = (
            await uow.session.execute(select(dead, self._handled().label("handled")).where(dead.c.id == letter_id))
        ).one_or_none()
        if row is None:
            raise RuleViolation("unknown_dead_letter", f"{self.service} has no dead letter {letter_id}")
        return row

    async def show_dead_letter(self, uow: Any, query: ShowDeadLetter) -> Any:
        """One dead letter with its headers and body."""
        row = await self._row(uow, query.id)
        body = bytes(row.payload)
        payload, encoding = _payload(body[:SHOWN_BYTES])
        detail = DeadLetterDetail(
            **_letter(row).model_dump(),
            headers=dict(row.headers),
            payload=payload,
            payload_encoding=encoding,
            payload_size=len(body),
            payload_truncated=len(body) > SHOWN_BYTES,
        )
        return self.contracts.show_reply(command_id=query.command_id, service=self.service, letter=detail)

    async def retry_dead_letter(self, uow: Any, command: RetryDeadLetter) -> Accepted:
        """Hand the dead letter to its consumer again; at most one effect (the inbox), audited."""
        row = await self._row(uow, command.id)
        pipeline = self._pipelines.get(row.consumer)
        if pipeline is None:
            raise RuleViolation("unknown_consumer", f"{self.service} runs no consumer {row.consumer}")
        delivery = Delivery(
            subject=row.subject,
            headers=dict(row.headers),
            data=bytes(row.payload),
            delivery=row.deliveries + 1,
            stream_seq=row.stream_seq or 0,
            via="dlq_retry",
        )
        outcome = await pipeline.process(delivery, store_dead_letters=False)
        log.info("dead letter retried", consumer=row.consumer, dead_letter=row.id, outcome=outcome.kind)
        return Accepted(
            ids={"dead_letter": str(row.id)},
            data={"outcome": outcome.kind, "reason": outcome.reason, "error": outcome.error[:300]},
        )

    async def replay_consumer(self, uow: Any, command: ReplayConsumer) -> Accepted:
        """Re-drive one consumer's handlers over its stream (see the module's docstring)."""
        del uow  # the pipeline has transactions of its own, one per message
        pipeline = self._pipelines.get(command.consumer)
        if pipeline is None:
            known = ", ".join(sorted(self._pipelines)) or "none"
            raise RuleViolation("unknown_consumer", f"{self.service} runs no consumer {command.consumer} ({known})")
        if (command.from_seq is None) == (command.from_time is None):
            raise RuleViolation("invalid_replay", "give exactly one of from_seq and from_time")
        spec = pipeline.spec
        js = self._jetstream()
        start = command.from_seq if command.from_seq is not None else await self._seq_at(spec.stream, command.from_time)
        counts = {"acked": 0, "duplicate": 0, "dead_lettered": 0}
        seq, last, stopped = max(start, 1), 0, ""
        wildcard = f"{spec.stream.lower()}.>" if len(spec.filter_subjects) != 1 else spec.filter_subjects[0]
        handled = 0
        while handled < command.limit:
            try:
                msg = await js.get_msg(spec.stream, seq=seq, subject=wildcard, next=True)
            except NotFoundError:
                break
            last = msg.seq
            seq = msg.seq + 1
            if not any(subject_matches(f, msg.subject) for f in spec.filter_subjects):
                continue
            outcome = await pipeline.process(
                Delivery(msg.subject, msg.headers, msg.data or b"", 1, msg.seq, via="replay")
            )
            handled += 1
            if outcome.kind in counts:
                counts[outcome.kind] += 1
            else:
                stopped = f"stopped at stream seq {msg.seq}: {outcome.error or outcome.reason}"
                break
        log.info("consumer replayed", consumer=spec.durable, from_seq=start, last_seq=last, **counts)
        return Accepted(
            data={"consumer": spec.durable, "from_seq": start, "last_seq": last, "messages": handled, **counts}
            | ({"stopped": stopped} if stopped else {}),
        )

    async def _seq_at(self, stream: str, moment: dt.datetime | None) -> int:
        """The first stream sequence stored at or after `moment` (binary search over the stream)."""
        js = self._jetstream()
        info = await js.stream_info(stream)
        low, high = int(info.state.first_seq), int(info.state.last_seq)
        if moment is None or high == 0:
            return low
        answer = high + 1
        while low <= high:
            mid = (low + high) // 2
            try:
                msg = await js.get_msg(stream, seq=mid, subject=f"{stream.lower()}.>", next=True)
            except NotFoundError:
                high = mid - 1
                continue
            at = _stream_time(msg.time)
            if at is not None and at >= moment:
                answer, high = int(msg.seq), mid - 1
            else:
                low = int(msg.seq) + 1
        return answer


def _letter(row: Any) -> DeadLetter:
    return DeadLetter(
        id=row.id,
        consumer=row.consumer,
        subject=row.subject,
        message_id=row.message_id,
        stream_seq=row.stream_seq,
        deliveries=row.deliveries,
        reason=row.reason,
        error=row.error[:300],
        created_at=row.created_at,
        handled=bool(row.handled),
    )


def bind_operations(
    broker: NatsBroker,
    service: str,
    tables: MessagingTables,
    pipelines: Mapping[str, ConsumerPipeline],
    *,
    uow_factory: Callable[[], Any],
    verifier: ActorVerifier,
) -> DeadLetterOperations | None:
    """Serve the operations of `service` (nothing for a service without durable consumers)."""
    if service not in OPERATION_SERVICES:
        return None
    ops = DeadLetterOperations(service, tables, pipelines, lambda: jetstream_of(broker))
    c = ops.contracts
    bind_query(broker, c.list_dead_letters, ops.list_dead_letters, uow_factory=uow_factory, verifier=verifier)
    bind_query(broker, c.show_dead_letter, ops.show_dead_letter, uow_factory=uow_factory, verifier=verifier)
    # Not idempotent by command id: a retry or replay asked again is carried out again (the inbox
    # keeps its effects single), so its reply tells what happened this time.
    bind_command(
        broker, c.retry_dead_letter, ops.retry_dead_letter, uow_factory=uow_factory, verifier=verifier, idempotent=False
    )
    bind_command(
        broker, c.replay_consumer, ops.replay_consumer, uow_factory=uow_factory, verifier=verifier, idempotent=False
    )
    return ops
