"""The lifecycle every service shares: connect, consume, relay the outbox, serve health, stop."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from faststream.nats import NatsBroker
from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.clock import Clock, system_clock
from shared.health import HealthServer
from shared.logging import get_logger
from shared.messaging.relay import OutboxRelay
from shared.settings import ServiceSettings

__all__ = ["ServiceRuntime"]

log = get_logger(__name__)


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
            "nats": "connected" if connected else "disconnected",
            "database": "ok",
            "outbox_backlog": await self.relay.backlog(),
            "outbox_published": self.relay.published_total,
            "relay_error": self.relay.last_error,
            "time": self.clock().isoformat(),
        }

    def request_stop(self) -> None:
        """Ask the service to stop gracefully (signal handlers call this)."""
        self._stopping.set()

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
        health = HealthServer(self.settings.http_host, self.settings.http_port, self.readiness, self.registry)
        await self.broker.start()
        relay_task = asyncio.create_task(self.relay.run(), name="outbox-relay")
        tasks = [asyncio.create_task(job(), name=getattr(job, "__name__", "job")) for job in self.background]
        await health.start()
        log.info("service started", http_port=self.settings.http_port)
        try:
            while not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=5)
                backlog.set(self.relay.published_total)
                for task in (relay_task, *tasks):
                    if task.done():
                        task.result()  # surfaces a crash of a loop instead of hiding it
        finally:
            log.info("service stopping")
            await health.stop()
            # The relay finishes its batch and the loops end while NATS is still connected;
            # events committed after this are published at the next start (they are in the outbox).
            self.relay.stop()
            for task in tasks:
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(relay_task, timeout=10)
            await asyncio.gather(*tasks, return_exceptions=True)
            try:
                await self.broker.stop()
            except Exception as exc:  # noqa: BLE001 - NATS may already be gone; keep shutting down
                log.warning("broker did not stop cleanly", error=f"{type(exc).__name__}: {exc}")
            await self.engine.dispose()
            log.info("service stopped")
