"""The lifecycle every service shares: connect, consume, relay the outbox, serve health, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from faststream.nats import NatsBroker
from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.clock import Clock, system_clock
from shared.health import HealthServer
from shared.logging import get_logger
from shared.messaging.handled import KINDS, handled_counts
from shared.messaging.relay import OutboxRelay
from shared.settings import ServiceSettings
from shared.supervised import supervisor_gone

__all__ = ["ServiceRuntime"]

log = get_logger(__name__)

#: How long the relay and the broker get to finish when stopping; much less when the launcher is
#: gone, because then NATS and PostgreSQL are stopping at the same moment and waiting on them
#: only delays the exit (whatever is unfinished is safe: in the outbox, or redelivered).
_SHUTDOWN_S = 10.0
_ORPHANED_SHUTDOWN_S = 2.0


def _handled_count(kind: str) -> float:
    return handled_counts()[kind]


@dataclass
class ServiceRuntime:
    """What a service's composition root hands over to run: built, not yet started."""

    settings: ServiceSettings
    engine: AsyncEngine
    broker: NatsBroker
    relay: OutboxRelay
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    #: The time the service's rules read (the system's, or a development run's shared clock).
    clock: Clock = system_clock
    #: Long-running loops started once the broker is connected (e.g. the audit ledger writer).
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _orphaned: bool = False

    async def readiness(self) -> dict[str, object]:
        """Ready when PostgreSQL answers and NATS is connected; reports the outbox backlog."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        nats_ok = bool(self.broker.config.connection_state)
        connection = self.broker.config.connection_state.connection if nats_ok else None
        connected = bool(connection and connection.is_connected)
        return {
            "ready": connected,
            "service": self.settings.service_name,
            # Which process answers: a launcher checks it is its own child and not whoever else
            # happens to listen on the port it chose.
            "pid": os.getpid(),
            "nats": "connected" if connected else "disconnected",
            "database": "ok",
            "outbox_backlog": await self.relay.backlog(),
            "outbox_published": self.relay.published_total,
            "relay_error": self.relay.last_error,
            "time": self.clock().isoformat(),
        }

    def request_stop(self) -> None:
        """Ask the service to stop gracefully (signal handlers call this)."""
        if not self._orphaned and supervisor_gone():
            self._orphan()
        self._stopping.set()

    def _orphan(self) -> None:
        """The launcher that started this process is gone: stop, quickly and quietly.

        Its end of the output pipe is closed, so every log line would fail with a broken pipe in
        the middle of the shutdown: the rest of this process's output goes nowhere instead.
        """
        self._orphaned = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            with contextlib.suppress(OSError):
                os.dup2(devnull, fd)
        os.close(devnull)

    async def run(self) -> None:
        """Run until SIGINT/SIGTERM: in-flight handlers finish, the relay drains its batch."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_stop)
        backlog = Gauge(
            "raderwerk_outbox_published_total_snapshot",
            "Outbox rows published by this process",
            registry=self.registry,
        )
        handled = Gauge(
            "raderwerk_messages_handled_total_snapshot",
            "Messages this process handled, by kind (a replica's share of its service's work)",
            ["kind"],
            registry=self.registry,
        )
        for kind in KINDS:
            handled.labels(kind=kind).set_function(partial(_handled_count, kind))
        health = HealthServer(self.settings.http_host, self.settings.http_port, self.readiness, self.registry)
        await self.broker.start()
        relay_task = asyncio.create_task(self.relay.run(), name="outbox-relay")
        tasks = [asyncio.create_task(job(), name=getattr(job, "__name__", "job")) for job in self.background]
        await health.start()
        log.info("service started", http_port=self.settings.http_port)
        try:
            while not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=1)
                # The launcher's parent-death signal normally says this; a changed parent is
                # the same news for a process started in a way that could not arrange for it.
                if supervisor_gone():
                    self.request_stop()
                backlog.set(self.relay.published_total)
                for task in (relay_task, *tasks):
                    if task.done():
                        task.result()  # surfaces a crash of a loop instead of hiding it
        finally:
            log.info("service stopping")
            await health.stop()
            # The relay finishes its batch and the loops end while NATS is still connected;
            # events committed after this are published at the next start (they are in the outbox).
            budget = _ORPHANED_SHUTDOWN_S if self._orphaned else _SHUTDOWN_S
            self.relay.stop()
            for task in tasks:
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(relay_task, timeout=budget)
            if tasks:
                await asyncio.wait(tasks, timeout=budget)
            try:
                # In-flight handlers finish within this; one cut short is rolled back and redelivered.
                await asyncio.wait_for(self.broker.stop(), timeout=budget)
            except Exception as exc:  # noqa: BLE001 - NATS may already be gone; keep shutting down
                log.warning("broker did not stop cleanly", error=f"{type(exc).__name__}: {exc}")
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.engine.dispose(), timeout=budget)
            await _cancel_the_rest(budget)
            log.info("service stopped")


async def _cancel_the_rest(timeout: float) -> None:
    """Cancel the tasks libraries left behind, repeatedly, and leave if one never ends.

    `asyncio.run` cancels what is left once and then waits for ever. On Python 3.11 a
    cancellation that meets `asyncio.wait_for` just as its inner future finishes is swallowed
    (the inner result or error is returned instead), and nats-py's reconnect loop, which retries
    on any error, then runs on: a service whose NATS went away while it stopped never exited.
    A second cancel lands in the loop's sleep and ends it. Should a task still outlive
    `timeout`, the process leaves without it: its own state is already closed.
    """
    loop = asyncio.get_running_loop()
    current = asyncio.current_task()
    deadline = loop.time() + timeout
    while pending := [t for t in asyncio.all_tasks() if t is not current and not t.done()]:
        if loop.time() >= deadline:
            log.warning("tasks ignore cancellation; leaving without them", tasks=[t.get_name() for t in pending])
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(0)
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=0.1)
