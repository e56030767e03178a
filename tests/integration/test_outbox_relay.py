"""The outbox relay publishes every committed event exactly once, across crashes.

The relay killed with SIGKILL mid-way is in the chaos tier (`tests/chaos/test_relay_kill.py`).
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from services.meetings.adapters.tables import metadata, tables
from shared.db.engine import make_engine, make_session_factory
from shared.messaging.relay import OutboxRelay
from tests.integration.outbox import fill_outbox, last_seq, stored_ids
from tests.integration.processes import ROOT, prepare_runtime_schema

MIGRATIONS = ROOT / "services" / "meetings" / "migrations"


async def test_a_republish_after_a_crash_is_dropped_as_duplicate(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_relay_{uuid.uuid4().hex[:8]}"
    # The relay runs as meetings' own runtime role, as in the service.
    dsn, password = await asyncio.to_thread(prepare_runtime_schema, MIGRATIONS, pg_dsn, schema)
    ids = await fill_outbox(pg_dsn, schema, 50)
    nc = await nats_server.connect("meetings")
    admin = await nats_server.connect("provisioner")
    engine = make_engine(dsn, schema, password=password)
    sessions = make_session_factory(engine)
    try:
        js = nc.jetstream()
        start = await last_seq(admin.jetstream())
        relay = OutboxRelay(sessions, tables, lambda: js, batch=20)
        while await relay.drain_once():
            pass
        # Simulate a crash after publishing but before marking the rows as sent.
        async with sessions() as session, session.begin():
            await session.execute(update(tables.outbox).values(published_at=None))
        while await relay.drain_once():
            pass
        stored = await stored_ids(admin.jetstream(), start)
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


def test_migrations_are_where_the_test_expects() -> None:
    assert (Path(MIGRATIONS) / "env.py").exists()
    assert metadata.tables["outbox"] is tables.outbox
