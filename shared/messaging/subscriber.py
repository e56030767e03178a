"""Idempotent JetStream consumers with an explicit ack policy (DESIGN §3, reliability rules).

FastStream's default NATS policy terminates a message on any exception, and its NACK policy
redelivers without delay. Every subscriber here uses MANUAL acks instead and decides itself:

* handled (or a duplicate already in the inbox)   -> ack, after the transaction committed
* an older version of a handled type              -> upcast (`shared.contracts.upcasting`), handled
* invalid envelope (or a `ce-type` not of the     -> dead-letter with the reason, then term, after
  subject), unknown type or version, bad body        one delivery: never redelivered
                                                     (`invalid_envelope`, `unsupported_version`,
                                                     `no_handler`, `invalid_body`)
* `RuleViolation` from the handler                -> dead-letter with the rule's code, then term:
                                                     the message can never be handled (a refusal
                                                     others must learn is an event, not this)
* an exception the message causes every time      -> dead-letter `unprocessable`, then term, at
  (`shared.messaging.failures`: a value no column    once: a retry would fail the same way
  holds, a date off the calendar, ...)
* any other exception                             -> nak with the consumer's delay for that
                                                     delivery; at `max_deliver` dead-letter + term

Deliveries come in pull batches, gathered in stream order however late each reaches the handler
(`shared.messaging.batching`), and a batch is handled in one transaction
(`ConsumerPipeline.process_batch`): its inbox rows claimed in one statement, each message's handler
in stream order, every outbox row (events and consume records) in one statement, one commit, then
each message acked. When anything in the batch fails, nothing of it is kept and its messages are
handled again one by one, each in its own transaction (`process`), so a poison message is
dead-lettered alone and the others take effect; a message that cannot be decoded is taken out of
the batch at once. A unit of work that meets a dropped database connection is tried once more.

Every delivery also leaves a consume record (`ConsumeRecorded` on `audit.consume.recorded`, through the
service's own outbox, so the audit service is never on the business path; docs/audit.md):

* acked, or a duplicate acked without effect -> written in the handler's transaction: recorded if
                                                and only if the effect committed
* dead-lettered                              -> written in the dead letter's transaction
* retried (nak)                              -> written after the nak, in a transaction of its own,
                                                in the background and best effort (the database may
                                                be why it failed): it can be lost, never delays
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js.api import ConsumerConfig
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.contracts.audit import ConsumeOutcome, ConsumeRecorded, Via
from shared.contracts.base import Confidentiality, Entity, Event, event_types, subject_of_type
from shared.contracts.upcasting import upcast, upcast_target
from shared.db.engine import connection_dropped
from shared.db.tables import MessagingTables
from shared.db.uow import SqlUnitOfWork
from shared.kernel import RuleViolation
from shared.logging import get_logger
from shared.messaging.batching import ArrivalGate, BatchCollector
from shared.messaging.context import handling
from shared.messaging.envelope import Envelope, EnvelopeError, new_message_id
from shared.messaging.failures import describe_failure, is_permanent
from shared.messaging.handled import count_handled
from shared.messaging.payload import UnreadableBody, describe_invalid, read_json, storable, undecoded
from shared.topology import CONSUME_SUBJECT, ConsumerSpec, inbox_prefix

__all__ = [
    "ConsumeRecord",
    "ConsumerPipeline",
    "DeadLetterStore",
    "Delivery",
    "EventHandler",
    "Outcome",
    "bind_consumer",
    "retry_delay",
]

log = get_logger(__name__)

U = TypeVar("U", bound=SqlUnitOfWork)


#: A handler does its work through the service's unit of work (typed by its own port); the
#: wrapper claims the inbox row and commits.
EventHandler = Callable[[Any, Any, Envelope], Awaitable[None]]


def retry_delay(spec: ConsumerSpec, delivery: int) -> float:
    """Delay before delivery `delivery + 1`, from the consumer's schedule (last value repeats)."""
    delays = spec.retry_delays_s or (1.0,)
    return delays[min(max(delivery, 1), len(delays)) - 1]


@dataclass(frozen=True)
class Delivery:
    """One message as a consumer is handed it: by JetStream, by a replay, or by a dead letter's retry."""

    subject: str
    headers: Mapping[str, str] | None
    data: bytes
    delivery: int
    """JetStream's delivery count (for a retry: the dead letter's deliveries plus one)."""
    stream_seq: int
    via: Via = "delivery"


class ConsumeRecord:
    """The consume record of one delivery, as an outbox row of the consuming service."""

    def __init__(self, spec: ConsumerSpec, delivery: Delivery) -> None:
        headers = delivery.headers or {}
        self._spec = spec
        self._delivery = delivery
        try:
            self._cause: Envelope | None = Envelope.from_headers(headers)
        except EnvelopeError:
            self._cause = None
        self._message_id = storable(headers.get("ce-id") or headers.get("Nats-Msg-Id") or "")[:256] or None

    def row(
        self, outcome: ConsumeOutcome, *, retry_in_s: float | None = None, reason: str | None = None, error: str = ""
    ) -> dict[str, Any]:
        """The outbox row (`id`, `subject`, `headers`, `payload`) of this delivery's record."""
        d = self._delivery
        body = ConsumeRecorded(
            consumer=self._spec.durable,
            stream=self._spec.stream,
            stream_seq=d.stream_seq,
            subject=storable(d.subject)[:512],
            message_id=self._message_id,
            delivery=d.delivery,
            outcome=outcome,
            retry_in_s=retry_in_s,
            reason=reason,
            error=storable(error[:500]) or None,
            via=d.via,
        )
        cause = self._cause
        record_id = new_message_id()
        envelope = Envelope(
            id=record_id,
            type=ConsumeRecorded.ce_type(),
            source=f"/raderwerk/{self._spec.service}",
            time=dt.datetime.now(dt.UTC),
            # An unreadable message starts its own tree under its id (or the record's).
            correlation_id=cause.correlation_id if cause else (self._message_id or record_id),
            causation_id=self._message_id,
            subject=self._spec.durable,
            entity=cause.entity if cause else Entity.BOTH,
            confidentiality=cause.confidentiality if cause else Confidentiality.PUBLIC,
        )
        return {
            "id": record_id,
            "subject": CONSUME_SUBJECT,
            "headers": envelope.to_headers(),
            "payload": body.model_dump_json().encode(),
        }


class DeadLetterStore:
    """Writes unhandleable messages, with their reason, to the service's `dead_letters` table.

    It also writes consume records to the service's outbox (same tables, same database).
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], tables: MessagingTables) -> None:
        self._sessions = session_factory
        self.tables = tables
        self._table = tables.dead_letters
        self._outbox = tables.outbox
        self._background: set[asyncio.Task[None]] = set()

    def session(self) -> AsyncSession:
        """A new session of the service's database."""
        return self._sessions()

    async def add_consume_record(self, session: AsyncSession, row: Mapping[str, Any]) -> None:
        """Add a consume record to the outbox in `session`'s transaction."""
        await session.execute(insert(self._outbox).values(**row))

    def record_retry_later(self, row: Mapping[str, Any], *, timeout_s: float = 5.0) -> None:
        """Record a retry in the background, best effort: never delays or fails the nak."""

        async def write() -> None:
            try:
                async with asyncio.timeout(timeout_s), self._sessions() as session, session.begin():
                    await self.add_consume_record(session, row)
            except Exception as exc:  # noqa: BLE001 - a lost retry record loses no effect
                log.warning("consume record of a retry not written", error=f"{type(exc).__name__}: {exc}")

        task = asyncio.get_running_loop().create_task(write())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def record(
        self,
        *,
        consumer: str,
        msg: NatsMessage | Delivery,
        reason: str,
        error: str,
        deliveries: int,
        stream_seq: int | None,
        consume_record: Mapping[str, Any] | None = None,
    ) -> None:
        """Store the message as received; raises if the database is unavailable (then we nak).

        Headers and ids are stored as PostgreSQL can hold them (a NUL becomes U+FFFD, an id is cut
        at 256 characters): a message refused for its garbage must not fail to be stored for it.
        The body is stored byte for byte.
        """
        raw = msg if isinstance(msg, Delivery) else msg.raw_message
        headers = {storable(k): storable(v) for k, v in (raw.headers or {}).items()}
        message_id = headers.get("Nats-Msg-Id") or headers.get("ce-id")
        async with self._sessions() as session, session.begin():
            await session.execute(
                insert(self._table).values(
                    consumer=consumer,
                    message_id=message_id[:256] if message_id else None,
                    subject=raw.subject,
                    stream_seq=stream_seq,
                    deliveries=deliveries,
                    headers=headers,
                    payload=raw.data,
                    reason=reason,
                    error=storable(error[:4000]),
                )
            )
            if consume_record is not None:
                await self.add_consume_record(session, consume_record)
        log.error("message dead-lettered", consumer=consumer, reason=reason, error=error[:500])


class _Unreadable(Exception):
    """A message this consumer can never handle as it is: dead-letter it with `reason`."""

    def __init__(self, reason: str, error: str) -> None:
        super().__init__(error)
        self.reason = reason
        self.error = error


def _decode(
    subject: str,
    headers: Mapping[str, str] | None,
    data: bytes,
    by_type: Mapping[str, tuple[type[Event], EventHandler]],
    known: Mapping[str, type[Event]],
) -> tuple[Envelope, Event, EventHandler]:
    """The envelope, the contract (upcast to a version we handle) and its handler.

    In this order, so the reason names the first thing wrong: the envelope; its `ce-type` against
    the subject the message came on (an event never travels under another event's name); whether
    this consumer reads that type (or a version it can be upcast from); then the body.
    """
    try:
        envelope = Envelope.from_headers(headers)
    except EnvelopeError as exc:
        raise _Unreadable("invalid_envelope", str(exc)) from exc
    published_on = subject_of_type(envelope.type)
    if published_on != subject:
        what = f"is published on {published_on}" if published_on else "is not a Raderwerk event type"
        raise _Unreadable("invalid_envelope", f"ce-type {envelope.type} {what}, not on {subject}")
    if upcast_target(envelope.type, by_type) is None:
        reason = "unsupported_version" if envelope.type not in known else "no_handler"
        raise _Unreadable(reason, f"this consumer does not handle {envelope.type}")
    try:
        body = read_json(data)
    except UnreadableBody as exc:
        raise _Unreadable("invalid_body", str(exc)) from exc
    if not isinstance(body, dict):
        raise _Unreadable("invalid_body", f"the body of {envelope.type} is not a JSON object")
    try:
        readable = upcast(envelope.type, body, by_type)
    except Exception as exc:  # an upcaster meets an old body that lacks what it reads
        raise _Unreadable("invalid_body", f"cannot upcast {envelope.type}: {type(exc).__name__}: {exc}") from exc
    if readable is None:  # pragma: no cover - upcast_target said the chain leads to a handled type
        raise _Unreadable("unsupported_version", f"this consumer does not handle {envelope.type}")
    model, handler = by_type[readable[0]]
    try:
        return envelope, model.model_validate(readable[1]), handler
    except ValidationError as exc:
        raise _Unreadable("invalid_body", describe_invalid(exc)) from exc


@dataclass(frozen=True)
class Outcome:
    """What handling one delivery came to."""

    kind: Literal["acked", "duplicate", "retry", "dead_lettered", "dead_letter_unsaved"]
    delay: float = 0.0
    """For `retry` (and `dead_letter_unsaved`): when JetStream should deliver it again."""
    reason: str = ""
    error: str = ""


class ConsumerPipeline:
    """Decode, claim the inbox, handle, commit, record: the same for a JetStream delivery, a replay and a retry.

    `store_dead_letters`: a message that cannot be handled is written to `dead_letters` (a delivery
    or a replay); a dead letter's retry leaves the dead letter where it is and only reports.
    """

    def __init__(
        self,
        spec: ConsumerSpec,
        handlers: Mapping[type[Event], EventHandler],
        *,
        uow_factory: Callable[[], Any],
        dead_letters: DeadLetterStore,
    ) -> None:
        self.spec = spec
        self.by_type = {model.ce_type(): (model, handler) for model, handler in handlers.items()}
        self._known = event_types()
        self._uow_factory = uow_factory
        self.dead_letters = dead_letters

    async def process(self, delivery: Delivery, *, store_dead_letters: bool = True) -> Outcome:  # noqa: PLR0911 - one per outcome
        """Handle one delivery; the caller acks, naks or terms by the outcome (a replay only reports it)."""
        spec = self.spec
        record = ConsumeRecord(spec, delivery)

        async def dead_letter(reason: str, error: str) -> Outcome:
            row = record.row("dead_lettered", reason=reason, error=error)
            try:
                if store_dead_letters:
                    await self.dead_letters.record(
                        consumer=spec.durable,
                        msg=delivery,
                        reason=reason,
                        error=error,
                        deliveries=delivery.delivery,
                        stream_seq=delivery.stream_seq,
                        consume_record=row,
                    )
                else:
                    async with self.dead_letters.session() as session, session.begin():
                        await self.dead_letters.add_consume_record(session, row)
            except Exception as exc:  # noqa: BLE001 - never lose it: retry later instead
                log.warning("dead-letter store unavailable", error=str(exc))
                return Outcome("dead_letter_unsaved", retry_delay(spec, delivery.delivery), reason, error)
            return Outcome("dead_lettered", reason=reason, error=error)

        try:
            envelope, event, handler = _decode(
                delivery.subject, delivery.headers, delivery.data, self.by_type, self._known
            )
        except _Unreadable as exc:
            return await dead_letter(exc.reason, exc.error)
        except Exception as exc:  # reading it again would fail again: never loop on it
            log.exception("message unreadable", consumer=spec.durable)
            return await dead_letter("invalid_body", f"{type(exc).__name__}: {exc}")

        async def handle() -> Outcome:
            async with self._uow_factory() as uow:
                if await uow.already_handled(spec.durable, envelope.id):
                    log.info("duplicate message skipped", consumer=spec.durable, via=delivery.via)
                    uow.add_outbox_rows([record.row("duplicate")])
                    await uow.commit()
                    return Outcome("duplicate")
                await handler(uow, event, envelope)
                uow.add_outbox_rows([record.row("acked")])
                await uow.commit()
                return Outcome("acked")

        with handling(envelope, delivery.subject):
            try:
                try:
                    return await handle()
                except Exception as exc:
                    if not connection_dropped(exc):
                        raise
                    log.info("database connection dropped; trying once more", consumer=spec.durable)
                    return await handle()
            except RuleViolation as exc:
                return await dead_letter(exc.code, exc.message)
            except Exception as exc:
                if is_permanent(exc):
                    log.exception("handler cannot process the message", consumer=spec.durable)
                    return await dead_letter("unprocessable", describe_failure(exc))
                error = f"{type(exc).__name__}: {exc}"
                if delivery.via == "delivery" and delivery.delivery >= spec.max_deliver > 0:
                    return await dead_letter("max_deliveries", error)
                delay = retry_delay(spec, delivery.delivery)
                log.warning(
                    "handler failed; will retry",
                    consumer=spec.durable,
                    delivery=delivery.delivery,
                    retry_in_s=delay,
                    error=error,
                    via=delivery.via,
                )
                self.dead_letters.record_retry_later(record.row("retried", retry_in_s=delay, error=error))
                return Outcome("retry", delay, error=error)

    async def process_batch(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        """Handle a pull batch in one transaction; answers each delivery's outcome, in its order.

        A message that cannot be decoded is handled alone at once (dead-lettered). If anything else
        fails, the transaction is rolled back and every message of the batch is handled again by
        `process`, one at a time in stream order: the bad one is dead-lettered (or retried) alone.
        """
        if len(deliveries) <= 1:
            return [await self.process(d) for d in deliveries]
        outcomes: dict[int, Outcome] = {}
        readable: list[tuple[int, Delivery, Envelope, Event, EventHandler]] = []
        for i, delivery in enumerate(deliveries):
            try:
                envelope, event, handler = _decode(
                    delivery.subject, delivery.headers, delivery.data, self.by_type, self._known
                )
            except Exception:  # noqa: BLE001 - `process` decodes it again and dead-letters it with its reason
                outcomes[i] = await self.process(delivery)
            else:
                readable.append((i, delivery, envelope, event, handler))
        if len(readable) == 1:
            outcomes[readable[0][0]] = await self.process(readable[0][1])
        elif readable:
            try:
                outcomes.update(await self._together(readable))
            except Exception as exc:  # noqa: BLE001 - each message again on its own decides
                log.warning(
                    "batch failed; handling its messages one by one",
                    consumer=self.spec.durable,
                    size=len(readable),
                    error=f"{type(exc).__name__}: {exc}"[:300],
                )
                for i, delivery, *_ in readable:
                    outcomes[i] = await self.process(delivery)
        return [outcomes[i] for i in range(len(deliveries))]

    async def _together(
        self, readable: Sequence[tuple[int, Delivery, Envelope, Event, EventHandler]]
    ) -> dict[int, Outcome]:
        spec = self.spec
        async with self._uow_factory() as uow:
            claimed = await uow.claim(spec.durable, [envelope.id for _, _, envelope, _, _ in readable])
            outcomes: dict[int, Outcome] = {}
            rows: list[dict[str, Any]] = []
            for i, delivery, envelope, event, handler in readable:
                record = ConsumeRecord(spec, delivery)
                if envelope.id not in claimed:
                    log.info("duplicate message skipped", consumer=spec.durable, via=delivery.via)
                    rows.append(record.row("duplicate"))
                    outcomes[i] = Outcome("duplicate")
                    continue
                claimed.discard(envelope.id)  # the same id again in this batch is a duplicate
                with handling(envelope, delivery.subject):
                    await handler(uow, event, envelope)
                rows.append(record.row("acked"))
                outcomes[i] = Outcome("acked")
            uow.add_outbox_rows(rows)
            await uow.commit()
        return outcomes


def bind_consumer(
    broker: NatsBroker,
    spec: ConsumerSpec,
    handlers: Mapping[type[Event], EventHandler],
    *,
    uow_factory: Callable[[], U],
    dead_letters: DeadLetterStore,
) -> ConsumerPipeline:
    """Subscribe `handlers` (by contract) to the provisioned durable consumer `spec`; answers its pipeline.

    The pipeline is what a replay and a dead letter's retry drive too (`shared.messaging.operations`).
    """
    pipeline = ConsumerPipeline(spec, handlers, uow_factory=uow_factory, dead_letters=dead_letters)
    batches: BatchCollector[Delivery, Outcome] = BatchCollector(
        pipeline.process_batch, lambda delivery: delivery.stream_seq, name=spec.durable
    )
    ArrivalGate.of(broker).register(spec.stream, spec.durable, batches)
    subject = spec.filter_subjects[0] if len(spec.filter_subjects) == 1 else f"{spec.stream.lower()}.>"

    @broker.subscriber(
        subject,
        stream=JStream(spec.stream, declare=False),
        durable=spec.durable,
        pull_sub=PullSub(batch_size=spec.batch_size, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        decoder=undecoded,
        config=ConsumerConfig(max_deliver=spec.max_deliver, ack_wait=spec.ack_wait_s),
        # Pull requests are answered on this inbox; each service may only read its own.
        inbox_prefix=f"{inbox_prefix(spec.service)}.".encode(),
        title=f"{spec.durable}",
        description=spec.description,
    )
    async def consume(msg: NatsMessage) -> None:
        raw = msg.raw_message
        meta = raw.metadata
        delivery = Delivery(raw.subject, raw.headers, raw.data, meta.num_delivered, meta.sequence.stream)
        outcome = await batches.submit(delivery, arrival=raw.reply)
        if outcome.kind in ("acked", "duplicate"):
            await msg.ack()
            count_handled("delivery" if outcome.kind == "acked" else "duplicate")
        elif outcome.kind == "dead_lettered":
            await msg.reject()
        else:
            await msg.nack(delay=outcome.delay)

    return pipeline
