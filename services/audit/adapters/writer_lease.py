"""One active ledger writer, any number of standbys: a PostgreSQL session advisory lock (DESIGN §7).

Every audit replica serves queries, but only the one holding this lock runs the ledger writer;
the others wait on it. The lock belongs to one database session, so it ends exactly when its
holder does: a writer killed with SIGKILL closes its socket, PostgreSQL ends the session and the
next standby's attempt takes the lock. No lease to renew, no clock to trust, and the lock lives in
the database whose chain it guards. (A NATS KV lease would need a time-to-live: too short and a
slow writer loses it while it appends, too long and the handover waits it out.)

The lock is not what keeps the chain correct: every append still takes the per-transaction lock
and skips what the ledger already holds (`LEDGER_LOCK`). It keeps a second replica from pulling
CAPTURE beside the first, where the two would hold each other's messages behind gaps.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.logging import get_logger

__all__ = ["SessionLockLease", "WriterLease", "run_while_active"]

log = get_logger(__name__)

#: Another key than the per-transaction append lock: a standby's appends are never blocked by it.
WRITER_LOCK_KEY = "hashtext(current_schema() || '.ledger_writer')"


class WriterLease(Protocol):
    """Who may run the ledger writer."""

    async def try_acquire(self) -> bool:
        """Take the lease if it is free; answers whether this process holds it."""
        ...

    async def still_held(self) -> bool:
        """Whether the lease is still this process's (its session alive)."""
        ...

    async def release(self) -> None:
        """Give it up (and close what held it)."""
        ...


class SessionLockLease:
    """The lease as a session advisory lock on a connection of its own, outside the pool's rotation."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self._held = False

    async def try_acquire(self) -> bool:
        try:
            if self._conn is None:
                # Autocommit: the session holds the lock, not a transaction left open.
                self._conn = await self._engine.connect()
                await self._conn.execution_options(isolation_level="AUTOCOMMIT")
            self._held = bool(await self._conn.scalar(text(f"SELECT pg_try_advisory_lock({WRITER_LOCK_KEY})")))
        except Exception:  # the database is away: not held; try again with a new session
            await self.release()
            raise
        return self._held

    async def still_held(self) -> bool:
        if self._conn is None or not self._held:
            return False
        try:
            await self._conn.scalar(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - the session is gone, and the lock with it
            await self.release()
            return False
        return True

    async def release(self) -> None:
        conn, self._conn, self._held = self._conn, None, False
        if conn is not None:
            # Closing the session releases a session lock; an explicit unlock first is only politeness.
            with contextlib.suppress(Exception):
                await conn.invalidate()
            with contextlib.suppress(Exception):
                await conn.close()


async def run_while_active(
    lease: WriterLease,
    run: Callable[[], Awaitable[None]],
    *,
    stopping: Callable[[], bool],
    on_change: Callable[[bool], None] = lambda _active: None,
    poll_s: float = 0.5,
    check_s: float = 1.0,
) -> None:
    """Run `run` while this process holds `lease`; wait as a standby otherwise, until `stopping()`.

    When the lease is lost (the database restarted, the session was ended) `run` is cancelled
    (the writer naks what it held) and this process waits as a standby again.
    """
    try:
        while not stopping():
            try:
                acquired = await lease.try_acquire()
            except Exception as exc:  # noqa: BLE001 - the database is away: a standby keeps asking
                log.warning("ledger writer lease unavailable", error=f"{type(exc).__name__}: {exc}")
                acquired = False
            if not acquired:
                await asyncio.sleep(poll_s)
                continue
            log.info("ledger writer active: this replica holds the writer lock")
            on_change(True)
            task = asyncio.ensure_future(run())
            try:
                while not task.done():
                    await asyncio.wait({task}, timeout=check_s)
                    if not task.done() and not await lease.still_held():
                        log.warning("ledger writer lock lost; standing by")
                        break
            finally:
                on_change(False)
                if not task.done():
                    task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await lease.release()
    finally:
        await lease.release()
