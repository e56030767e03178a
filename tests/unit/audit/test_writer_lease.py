"""One active ledger writer: it runs only while its replica holds the lease, and stands by otherwise."""

from __future__ import annotations

import asyncio

from services.audit.adapters.writer_lease import run_while_active
from tests.integration.waiting import eventually


class FakeLease:
    """A lease another replica holds until `free` is set; `lose` ends this replica's hold."""

    def __init__(self) -> None:
        self.free = asyncio.Event()
        self.lose = asyncio.Event()
        self.database_down = False
        self.attempts = 0
        self.releases = 0
        self._held = False

    async def try_acquire(self) -> bool:
        self.attempts += 1
        if self.database_down:
            raise OSError("connection refused")
        self._held = self.free.is_set()
        return self._held

    async def still_held(self) -> bool:
        if self.lose.is_set():
            self._held = False
            self.lose.clear()
            self.free.clear()  # the other replica wins it meanwhile
        return self._held

    async def release(self) -> None:
        self.releases += 1
        self._held = False


class FakeWriter:
    def __init__(self) -> None:
        self.runs = 0
        self.cancelled = 0
        self._stop = asyncio.Event()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        self.runs += 1
        try:
            await self._stop.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


async def test_a_standby_writes_nothing_until_the_lock_is_free_then_takes_over() -> None:
    lease, writer, roles = FakeLease(), FakeWriter(), list[bool]()
    task = asyncio.create_task(
        run_while_active(lease, writer.run, stopping=lambda: writer.stopping, on_change=roles.append, poll_s=0.005)
    )
    await eventually(lambda: _value(lease.attempts), lambda n: n >= 3, what="a standby asking for the lock")
    assert writer.runs == 0
    assert roles == []
    lease.free.set()  # the active writer died: its session, and the lock with it, are gone
    await eventually(lambda: _value(writer.runs), lambda n: n == 1, what="the standby writing")
    assert roles == [True]
    writer.stop()
    await asyncio.wait_for(task, 5)
    assert roles == [True, False]
    assert lease.releases >= 1


async def test_a_lost_lock_stops_the_writer_and_the_replica_stands_by_again() -> None:
    lease, writer, roles = FakeLease(), FakeWriter(), list[bool]()
    lease.free.set()
    task = asyncio.create_task(
        run_while_active(
            lease, writer.run, stopping=lambda: writer.stopping, on_change=roles.append, poll_s=0.005, check_s=0.005
        )
    )
    await eventually(lambda: _value(writer.runs), lambda n: n == 1, what="the writer running")
    lease.lose.set()  # the database restarted: the session, and the lock, are gone
    await eventually(lambda: _value(writer.cancelled), lambda n: n == 1, what="the writer stopped")
    assert roles == [True, False]
    lease.free.set()
    await eventually(lambda: _value(writer.runs), lambda n: n == 2, what="the writer running again")
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert writer.cancelled == 2


async def test_a_database_outage_keeps_the_replica_asking_instead_of_crashing() -> None:
    lease, writer = FakeLease(), FakeWriter()
    lease.database_down = True
    task = asyncio.create_task(run_while_active(lease, writer.run, stopping=lambda: writer.stopping, poll_s=0.005))
    await eventually(lambda: _value(lease.attempts), lambda n: n >= 3, what="attempts through the outage")
    assert not task.done()
    lease.database_down = False
    lease.free.set()
    await eventually(lambda: _value(writer.runs), lambda n: n == 1, what="the writer after the outage")
    writer.stop()
    await asyncio.wait_for(task, 5)


async def _value(n: int) -> int:
    return n
