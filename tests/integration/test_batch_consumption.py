"""A pull batch is handled in one transaction; a poison message in it is dead-lettered alone.

Twelve messages wait on a durable consumer before it starts, so its first pulls take them in
batches. One of them breaks a rule its handler checks (every time), another fails once as if
what it needs were not there yet. The batch is tried together first (every handler call in one
unit of work), fails, and is handled again message by message: the rule breaker is dead-lettered
alone with its code, the one that failed once is retried and handled on its next delivery, the
ten others are handled once. The outbox holds exactly one consume record per message and
delivery, nothing of the failed batch transaction.

A message of a pull that reaches the handler later than the others (FastStream hands each its own
call, and on a loaded machine they arrive in any order) is still handled in its place in the batch.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from faststream import BaseMiddleware
from faststream.nats import NatsBroker
from faststream.security import SASLPlaintext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.contracts.hr import DelegationRevoked
from shared.db.engine import make_engine, make_session_factory
from shared.db.uow import SqlUnitOfWork
from shared.kernel import RuleViolation
from shared.messaging.envelope import Envelope
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import ConsumerSpec
from tests.integration.poison import MIGRATIONS, TABLES, revoked
from tests.integration.processes import prepare_runtime_schema
from tests.integration.waiting import eventually


@dataclass
class _Consumer:
    """A test consumer on organisation's tables, fed `messages` before it starts."""

    spec: ConsumerSpec
    sessions: async_sessionmaker[AsyncSession]
    ids: list[str]

    async def records(self) -> Counter[tuple[str, int, str]]:
        """(message, delivery, outcome) of every consume record in the outbox."""
        async with self.sessions() as session:
            rows = (await session.execute(select(TABLES.outbox.c.payload))).scalars().all()
        bodies = [json.loads(bytes(p)) for p in rows]
        mine = [b for b in bodies if b.get("message_id") in self.ids]
        return Counter((b["message_id"], b["delivery"], b["outcome"]) for b in mine)


@asynccontextmanager
async def _consuming(
    nats_server: Any,
    pg_dsn: str,
    messages: list[tuple[DelegationRevoked, Envelope]],
    handle: Any,
    *,
    middlewares: tuple[Any, ...] = (),
) -> AsyncIterator[_Consumer]:
    """Publish `messages`, then run a batching consumer of them with `handle` until the block ends."""
    tag = uuid.uuid4().hex[:8]
    schema = f"t_batch_{tag}"
    dsn, password = await asyncio.to_thread(prepare_runtime_schema, MIGRATIONS, pg_dsn, schema)
    engine = make_engine(dsn, schema, password=password)
    sessions = make_session_factory(engine)
    spec = ConsumerSpec(
        "organisation",
        f"t_batch_{tag}",
        "HR",
        (DelegationRevoked.SUBJECT,),
        "A test consumer whose first pull waits for it.",
        max_deliver=3,
        ack_wait_s=10,
        retry_delays_s=(0.2,),
        batch_size=16,
    )
    admin = await nats_server.connect("provisioner")
    await admin.jetstream().add_consumer(
        "HR",
        ConsumerConfig(
            durable_name=spec.durable,
            filter_subject=DelegationRevoked.SUBJECT,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.NEW,
            max_deliver=spec.max_deliver,
            ack_wait=spec.ack_wait_s,
        ),
    )
    hr = await nats_server.connect("hr")
    try:
        for event, envelope in messages:
            await hr.jetstream().publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())
    finally:
        await hr.close()
    broker = NatsBroker(
        nats_server.url,
        security=SASLPlaintext(username="provisioner", password=nats_server.passwords["provisioner"]),
        middlewares=middlewares,
    )
    bind_consumer(
        broker,
        spec,
        {DelegationRevoked: handle},
        uow_factory=lambda: SqlUnitOfWork(sessions, TABLES, source="organisation"),
        dead_letters=DeadLetterStore(sessions, TABLES),
    )
    try:
        await broker.start()
        yield _Consumer(spec, sessions, [envelope.id for _, envelope in messages])
    finally:
        await broker.stop()
        await admin.jetstream().delete_consumer("HR", spec.durable)
        await admin.close()
        await engine.dispose()


async def test_a_poison_message_in_a_batch_is_dead_lettered_alone_and_the_others_take_effect_once(
    nats_server: Any, pg_dsn: str
) -> None:
    failed_once: set[str] = set()
    # (unit of work, message) of every handler call; the list holds the units of work themselves so
    # that none is freed and its id() given to a later one, which would merge two of them here.
    calls: list[tuple[SqlUnitOfWork, str]] = []

    async def handle(uow: SqlUnitOfWork, event: DelegationRevoked, envelope: Envelope) -> None:
        calls.append((uow, envelope.id))
        if event.reason == "breaks a rule":
            raise RuleViolation("delegation_unknown", "no such delegation")
        if event.reason == "fails once" and envelope.id not in failed_once:
            failed_once.add(envelope.id)
            raise ConnectionError("the register this needs is not there yet")

    messages = [revoked(f"good {i}") for i in range(5)]
    rule_breaker, transient = revoked("breaks a rule"), revoked("fails once")
    messages += [rule_breaker, transient, *(revoked(f"good {i}") for i in range(5, 10))]
    ids = [envelope.id for _, envelope in messages]
    async with _consuming(nats_server, pg_dsn, messages, handle) as consumer:
        done = await eventually(
            consumer.records, lambda r: len(r) == len(ids) + 1, timeout=30, what="every consume record"
        )
        # The rule breaker was first tried in a batch with others (one unit of work), in stream order.
        batch_uow = next(uow for uow, message in calls if message == rule_breaker[1].id)
        together = [message for uow, message in calls if uow is batch_uow]
        assert len(together) >= 2, f"the batch was not handled together: {together}"
        start = ids.index(together[0])
        assert together == ids[start : start + len(together)], "a batch is handled in stream order"

        good = [envelope.id for event, envelope in messages if event.reason.startswith("good")]
        expected = Counter({(m, 1, "acked"): 1 for m in good})
        expected[(rule_breaker[1].id, 1, "dead_lettered")] = 1
        expected[(transient[1].id, 1, "retried")] = 1
        expected[(transient[1].id, 2, "acked")] = 1
        assert done == expected, "one consume record per message and delivery, none of the failed batch"

        async with consumer.sessions() as session:
            letters = (await session.execute(select(TABLES.dead_letters))).mappings().all()
            handled = set((await session.execute(select(TABLES.inbox.c.message_id))).scalars())
        assert [(d["message_id"], d["reason"]) for d in letters] == [(rule_breaker[1].id, "delegation_unknown")]
        assert handled == set(ids) - {rule_breaker[1].id}, "every other message is in the inbox once"


async def test_a_message_that_reaches_the_handler_late_is_still_handled_in_its_place(
    nats_server: Any, pg_dsn: str
) -> None:
    messages = [revoked(f"good {i}") for i in range(12)]
    late = messages[4][1].id
    calls: list[tuple[SqlUnitOfWork, str]] = []

    async def handle(uow: SqlUnitOfWork, event: DelegationRevoked, envelope: Envelope) -> None:
        calls.append((uow, envelope.id))

    class LateArrival(BaseMiddleware):
        """Holds one message back on its way to the handler, as a busy worker thread would."""

        async def on_receive(self) -> None:
            if (getattr(self.msg, "headers", None) or {}).get("ce-id") == late:
                await asyncio.sleep(0.5)  # a slow path, not a wait for an outcome

    ids = [envelope.id for _, envelope in messages]
    async with _consuming(nats_server, pg_dsn, messages, handle, middlewares=(LateArrival,)) as consumer:
        done = await eventually(consumer.records, lambda r: len(r) == len(ids), timeout=30, what="every consume record")

    assert done == Counter({(m, 1, "acked"): 1 for m in ids}), "each message handled once"
    handled = [message for _, message in calls]
    assert handled == ids, "the late message is handled in its place, before the ones behind it"
    assert len({id(uow) for uow, _ in calls}) < len(ids), "the pull was handled in batches"
