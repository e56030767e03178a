"""A poison message on real NATS and PostgreSQL: dead-lettered after its attempts, never in the way.

A consumer of `hr.delegation.revoked` (its own durable, three attempts, short delays) fails for one
message every time, as a handler does while what it needs is missing, and handles the others.
The poison message is dead-lettered with `max_deliveries` after three deliveries while the
messages behind it are handled; after the fix, `retry_dead_letter` (what `rw dlq retry` sends)
hands it to the consumer once: it takes effect once, and a second retry changes nothing. Each
delivery, the dead letter and each retry leave a consume record in the outbox.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from faststream.nats import NatsBroker
from faststream.security import SASLPlaintext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import select

from shared.contracts.hr import DelegationRevoked
from shared.contracts.operations import operations_of
from shared.db.engine import make_engine, make_session_factory
from shared.db.uow import SqlUnitOfWork
from shared.messaging.envelope import Envelope
from shared.messaging.operations import DeadLetterOperations
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import ConsumerSpec
from tests.integration.poison import MIGRATIONS, TABLES, revoked
from tests.integration.processes import prepare_runtime_schema
from tests.integration.waiting import eventually


async def test_a_poison_message_is_dead_lettered_after_its_attempts_without_blocking_and_retried_once_after_a_fix(
    nats_server: Any, pg_dsn: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    schema = f"t_dlq_{tag}"
    dsn, password = await asyncio.to_thread(prepare_runtime_schema, MIGRATIONS, pg_dsn, schema)
    engine = make_engine(dsn, schema, password=password)
    sessions = make_session_factory(engine)
    spec = ConsumerSpec(
        "organisation",
        f"t_poison_{tag}",
        "HR",
        (DelegationRevoked.SUBJECT,),
        "A test consumer that cannot handle one message until it is fixed.",
        max_deliver=3,
        ack_wait_s=10,
        retry_delays_s=(0.3,),
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
    fixed = False
    effects: list[str] = []

    async def handle(uow: SqlUnitOfWork, event: DelegationRevoked, envelope: Envelope) -> None:
        if event.reason == "poison" and not fixed:
            raise ConnectionError("the register this needs is not there yet")
        effects.append(envelope.id)

    broker = NatsBroker(
        nats_server.url, security=SASLPlaintext(username="provisioner", password=nats_server.passwords["provisioner"])
    )
    store = DeadLetterStore(sessions, TABLES)
    pipeline = bind_consumer(
        broker,
        spec,
        {DelegationRevoked: handle},
        uow_factory=lambda: SqlUnitOfWork(sessions, TABLES, source="organisation"),
        dead_letters=store,
    )
    ops = DeadLetterOperations("organisation", TABLES, {spec.durable: pipeline}, admin.jetstream)
    try:
        await broker.start()
        poison, poison_envelope = revoked("poison")
        good = [revoked(f"good {i}") for i in range(3)]
        hr = await nats_server.connect("hr")
        try:
            for event, envelope in [(poison, poison_envelope), *good]:
                body = event.model_dump_json().encode()
                await hr.jetstream().publish(event.SUBJECT, body, headers=envelope.to_headers())
        finally:
            await hr.close()

        # The messages behind the poison one are handled while it is still being retried.
        # (A batch that failed for the poison message ran the good ones' handlers before it was
        # rolled back and handled again one by one: their effects are counted once each.)
        await eventually(lambda: _value(len(set(effects))), lambda n: n == 3, timeout=20, what="the good messages")
        assert poison_envelope.id not in effects

        async def letters() -> list[Any]:
            async with SqlUnitOfWork(sessions, TABLES, source="organisation") as uow:
                query = operations_of("organisation").list_dead_letters(command_id=uuid.uuid4().hex)
                reply = await ops.list_dead_letters(uow, query)
            return [d for d in reply.letters if d.message_id == poison_envelope.id]

        found = await eventually(letters, bool, timeout=30, what="the poison message in the dead letters")
        (letter,) = found
        assert (letter.reason, letter.deliveries, letter.consumer, letter.handled) == (
            "max_deliveries",
            3,
            spec.durable,
            False,
        )
        assert "not there yet" in letter.error

        fixed = True
        retry = operations_of("organisation").retry_dead_letter
        async with SqlUnitOfWork(sessions, TABLES, source="organisation") as uow:
            first = await ops.retry_dead_letter(uow, retry(command_id=uuid.uuid4().hex, id=letter.id))
        async with SqlUnitOfWork(sessions, TABLES, source="organisation") as uow:
            second = await ops.retry_dead_letter(uow, retry(command_id=uuid.uuid4().hex, id=letter.id))
        assert (first.data["outcome"], second.data["outcome"]) == ("acked", "duplicate")
        assert effects.count(poison_envelope.id) == 1, "the retry took effect once"
        assert await letters() == [], "a handled dead letter is no longer listed"

        # Every step is on record: three deliveries, the dead letter, two retries.
        async def records() -> list[tuple[str, int, str]]:
            async with sessions() as session:
                rows = (await session.execute(select(TABLES.outbox.c.payload))).scalars().all()
            bodies = [json.loads(bytes(p)) for p in rows]
            return sorted(
                (b["via"], b["delivery"], b["outcome"]) for b in bodies if b.get("message_id") == poison_envelope.id
            )

        wanted = [
            ("delivery", 1, "retried"),
            ("delivery", 2, "retried"),
            ("delivery", 3, "dead_lettered"),
            ("dlq_retry", 4, "acked"),
            ("dlq_retry", 4, "duplicate"),
        ]
        await eventually(records, lambda r: r == sorted(wanted), timeout=10, what="the consume records")
    finally:
        await broker.stop()
        await admin.jetstream().delete_consumer("HR", spec.durable)
        await admin.close()
        await engine.dispose()


async def _value(value: int) -> int:
    return value


async def test_a_dead_letter_near_the_size_limit_is_shown_within_one_nats_message(pg_dsn: str) -> None:
    schema = f"t_dlq_big_{uuid.uuid4().hex[:8]}"
    dsn, password = await asyncio.to_thread(prepare_runtime_schema, MIGRATIONS, pg_dsn, schema)
    engine = make_engine(dsn, schema, password=password)
    sessions = make_session_factory(engine)
    body = ("€" * 340_000).encode()  # about 1 MiB of UTF-8, as the largest message NATS carries
    try:
        async with sessions() as session, session.begin():
            row = await session.execute(
                TABLES.dead_letters.insert()
                .values(
                    consumer="organisation_delegations",
                    subject=DelegationRevoked.SUBJECT,
                    deliveries=1,
                    headers={"ce-id": "big"},
                    payload=body,
                    reason="invalid_body",
                    error="too big to read",
                )
                .returning(TABLES.dead_letters.c.id)
            )
            letter_id = row.scalar_one()
        ops = DeadLetterOperations("organisation", TABLES, {}, lambda: None)
        query = operations_of("organisation").show_dead_letter(command_id=uuid.uuid4().hex, id=letter_id)
        async with SqlUnitOfWork(sessions, TABLES, source="organisation") as uow:
            reply = await ops.show_dead_letter(uow, query)
        assert len(reply.model_dump_json().encode()) < 1024 * 1024
        assert (reply.letter.payload_size, reply.letter.payload_truncated) == (len(body), True)
    finally:
        await engine.dispose()
