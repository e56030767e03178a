"""The ledger writer's lease on real PostgreSQL: one holder; its session's end hands it to a standby."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.audit.adapters.writer_lease import SessionLockLease
from shared.db.engine import make_engine, sqlalchemy_url


async def test_one_replica_holds_the_lease_and_a_standby_takes_it_when_the_holders_session_ends(pg_dsn: str) -> None:
    schema = f"lease_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(sqlalchemy_url(pg_dsn))
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    active_engine, standby_engine = make_engine(pg_dsn, schema), make_engine(pg_dsn, schema)
    active, standby = SessionLockLease(active_engine), SessionLockLease(standby_engine)
    try:
        assert await active.try_acquire()
        assert not await standby.try_acquire()
        assert await active.still_held()
        # The active writer dies (SIGKILL): PostgreSQL ends its session, and the lock with it.
        async with admin.connect() as conn:
            ended = await conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l"
                    " WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()"
                    " AND l.objid = (hashtext(:key) & x'ffffffff'::bigint)::oid"
                ),
                {"key": f"{schema}.ledger_writer"},
            )
        assert ended == 1
        assert not await active.still_held()
        assert await standby.try_acquire()
        assert await standby.still_held()
        # The old holder, back, waits as the standby now.
        assert not await active.try_acquire()
        await standby.release()
        assert await active.try_acquire()
    finally:
        await active.release()
        await standby.release()
        await active_engine.dispose()
        await standby_engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {schema}"))
        await admin.dispose()
