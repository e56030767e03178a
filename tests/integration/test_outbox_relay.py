"""The outbox relay publishes every committed event exactly once, across crashes."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from services.meetings.adapters.tables import metadata, tables
from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.domain.events import AgendaItemProposed
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.db.engine import make_engine, make_session_factory
from shared.messaging.relay import OutboxRelay
from shared.vocabulary import DecisionKind
from tests.integration.processes import ROOT, ServiceProcess, prepare_runtime_schema
from tests.integration.waiting import eventually

MIGRATIONS = ROOT / "services" / "meetings" / "migrations"


def _event() -> AgendaItemProposed:
    return AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title="Test item",
        kind=DecisionKind.DECISION,
        confidentiality=Confidentiality.PUBLIC,
        financial_impact=None,
        proposed_at=dt.datetime.now(dt.UTC),
    )


async def _fill_outbox(dsn: str, schema: str, count: int) -> set[str]:
    engine = make_engine(dsn, schema)
    ids: set[str] = set()
    try:
        async with SqlMeetingsUnitOfWork(make_session_factory(engine), tables) as uow:
            for _ in range(count):
                ids.add(uow.emit(_event()).id)
            await uow.commit()
    finally:
        await engine.dispose()
    return ids


async def _stored_ids(js: Any, since_seq: int) -> list[str]:
    """Message ids stored in MEETINGS after `since_seq`, read with an ephemeral consumer."""
    from nats.js.api import ConsumerConfig, DeliverPolicy

    sub = await js.pull_subscribe(
        "meetings.agenda_item.proposed",
        stream="MEETINGS",
        config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=since_seq + 1),
    )
    ids: list[str] = []
    try:
        while True:
            try:
                batch = await sub.fetch(500, timeout=1)
            except TimeoutError:
                return ids
            ids += [m.headers["Nats-Msg-Id"] for m in batch if m.headers]
            for m in batch:
                await m.ack()
    finally:
        await sub.unsubscribe()


async def _last_seq(js: Any) -> int:
    return int((await js.stream_info("MEETINGS")).state.last_seq)


async def test_a_republish_after_a_crash_is_dropped_as_duplicate(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_relay_{uuid.uuid4().hex[:8]}"
    # The relay runs as meetings' own runtime role, as in the service.
    dsn, password = await asyncio.to_thread(prepare_runtime_schema, MIGRATIONS, pg_dsn, schema)
    ids = await _fill_outbox(pg_dsn, schema, 50)
    nc = await nats_server.connect("meetings")
    admin = await nats_server.connect("provisioner")
    engine = make_engine(dsn, schema, password=password)
    sessions = make_session_factory(engine)
    try:
        js = nc.jetstream()
        start = await _last_seq(admin.jetstream())
        relay = OutboxRelay(sessions, tables, lambda: js, batch=20)
        while await relay.drain_once():
            pass
        # Simulate a crash after publishing but before marking the rows as sent.
        async with sessions() as session, session.begin():
            await session.execute(update(tables.outbox).values(published_at=None))
        while await relay.drain_once():
            pass
        stored = await _stored_ids(admin.jetstream(), start)
        assert sorted(stored) == sorted(ids), "every event exactly once"
        async with sessions() as session:
            backlog = await session.scalar(
                select(func.count()).select_from(tables.outbox).where(tables.outbox.c.published_at.is_(None))
            )
        assert backlog == 0
    finally:
        await engine.dispose()
        await nc.close()
        await admin.close()


async def test_sigkill_during_relay_loses_and_doubles_nothing(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_relaykill_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("meetings", nats_server.url, nats_server.passwords["meetings"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    count = 3000
    ids = await _fill_outbox(pg_dsn, schema, count)
    admin = await nats_server.connect("provisioner")
    js = admin.jetstream()
    start = await _last_seq(js)
    try:
        service.start()
        before_kill = await eventually(
            lambda: _last_seq(js), lambda seq: seq > start, timeout=60, what="the relay's first publish"
        )
        service.kill()
        published_at_kill = await _last_seq(js) - start
        service.start()
        await eventually(lambda: _last_seq(js), lambda seq: seq - start >= count, timeout=120, what=f"{count} events")
        assert service.stop() == 0, service.log_tail()
        stored = await _stored_ids(js, start)
        assert len(stored) == count, f"lost or doubled: {len(stored)} stored for {count} events"
        assert set(stored) == ids
        assert before_kill - start < count, "the kill should interrupt the relay mid-way"
        assert published_at_kill < count
    finally:
        if service.process and service.process.poll() is None:
            service.kill()
        await admin.close()


def test_migrations_are_where_the_test_expects() -> None:
    assert (Path(MIGRATIONS) / "env.py").exists()
    assert metadata.tables["outbox"] is tables.outbox
