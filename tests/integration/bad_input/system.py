"""Every service (the gateway too) as real processes, each in a fresh schema, on a NATS server of their own.

The suite gets its own nats-server (the PostgreSQL server is the tier's): durable consumers are
shared by every process that binds them, so on the tier's server a consumer would still hold
messages other tests left behind, and their late effects would look like writes of bad input.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nats
from nats.aio.client import Client
from nats.js.api import ConsumerInfo
from sqlalchemy.ext.asyncio import AsyncEngine

from deploy.embedded import free_port, start_nats
from deploy.provision import provision
from shared.db.engine import make_engine
from shared.service_cli import service_hooks
from shared.topology import CONSUMERS, SERVICE_NAMES
from tests.actors import gateway_env
from tests.integration.processes import ServiceProcess
from tests.integration.servers import TestNats
from tests.integration.waiting import eventually

__all__ = ["System", "running_system"]


@dataclass
class System:
    """The running services, their schemas and the connections the tests use."""

    nats: TestNats
    services: dict[str, ServiceProcess]
    engines: dict[str, AsyncEngine]
    health_ports: dict[str, int]
    operator: Client
    #: The gateway's HTTP API.
    api_url: str = ""
    connections: dict[str, Client] = field(default_factory=dict)

    def schema(self, service: str) -> str:
        return self.services[service].schema

    async def connection(self, user: str) -> Client:
        """A connection as `user` (a producing service, to publish on its subjects), kept open."""
        if user not in self.connections:
            self.connections[user] = await self.nats.connect(user)
        return self.connections[user]

    def readiness(self, service: str) -> dict[str, object]:
        """The service's `/readyz` report (blocking: call it in a thread)."""
        url = f"http://127.0.0.1:{self.health_ports[service]}/readyz"
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                report: dict[str, object] = json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            report = json.loads(exc.read() or b"{}")
        except (OSError, http.client.HTTPException) as exc:
            # HTTPException: another process that speaks no HTTP (a nats-server) took the port.
            report = {"ready": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        return report

    async def assert_running(self, service: str) -> None:
        """The process is alive and reports ready."""
        process = self.services[service]
        assert process.process is not None
        assert process.process.poll() is None, f"{service} exited:\n{process.log_tail()}"
        report = await asyncio.to_thread(self.readiness, service)
        assert report.get("ready") is True, f"{service} not ready: {report}\n{process.log_tail()}"

    async def consumer_info(self, durable: str) -> ConsumerInfo:
        spec = next(c for c in CONSUMERS if c.durable == durable)
        info: ConsumerInfo = await self.operator.jetstream().consumer_info(spec.stream, durable)
        return info

    async def deliveries(self, durable: str) -> int:
        """How many deliveries `durable` made so far, redeliveries included (its consumer sequence)."""
        delivered = (await self.consumer_info(durable)).delivered
        return delivered.consumer_seq or 0 if delivered is not None else 0

    async def wait_quiet(self, timeout: float = 60) -> None:
        """Every outbox published and every durable consumer done with what it was given."""

        async def busy() -> list[str]:
            waiting: list[str] = []
            for name in self.services:
                report = await asyncio.to_thread(self.readiness, name)
                if report.get("outbox_backlog") != 0:
                    waiting.append(f"{name} outbox {report.get('outbox_backlog')}")
            for spec in CONSUMERS:
                info = await self.consumer_info(spec.durable)
                if info.num_pending or info.num_ack_pending:
                    waiting.append(f"{spec.durable} pending {info.num_pending}+{info.num_ack_pending}")
            return waiting

        await eventually(busy, lambda w: not w, timeout=timeout, what="every outbox and consumer to be idle")


async def _provisioned(data_dir: Path) -> TestNats:
    process = await asyncio.to_thread(start_nats, data_dir, port=None, http_port=None)
    nc = await nats.connect(process.url, user="provisioner", password=process.passwords["provisioner"])
    try:
        report = await provision(nc)
    finally:
        await nc.close()
    return TestNats(process, report)


def _migrate(services: Iterable[ServiceProcess]) -> None:
    """Roles and schemas one after the other, in this process, as `make run` prepares them."""
    for service in services:
        service.migrate()


async def _seed(service: ServiceProcess) -> None:
    try:
        if service_hooks(service.name).seed is not None:
            await asyncio.to_thread(service.seed)
    except subprocess.CalledProcessError as exc:
        output = (exc.stderr or b"").decode(errors="replace")[-3000:]
        raise AssertionError(f"{service.name}: {' '.join(exc.cmd[-2:])} failed:\n{output}") from exc


#: Starts on new ports after a service exited, before it is taken for broken.
_PORT_RETRIES = 3


async def _until_ready(system: System, name: str, pids: dict[str, int]) -> None:
    """`name` ready, answered by its own process; started again on new ports when it exited.

    Another worker's process (a nats-server, a service) can take a port between `free_port()` and
    the service's bind; the service then exits, and its port answers for someone else.
    """
    service = system.services[name]
    restarts = 0

    async def probe() -> dict[str, object]:
        nonlocal restarts
        assert service.process is not None
        if service.process.poll() is not None:
            assert restarts < _PORT_RETRIES, f"{name} exited {restarts + 1} times:\n{service.log_tail()}"
            restarts += 1
            _choose_ports(system, name)
            service.start()
            assert service.process is not None
            pids[name] = service.process.pid
        return await asyncio.to_thread(system.readiness, name)

    await eventually(
        probe,
        # Answered by this process, not by another that took the port before it could bind it.
        lambda report: report.get("ready") is True and report.get("pid") == pids[name],
        # Nine processes importing their libraries at once: on two busy cores that takes minutes.
        timeout=240,
        what=f"{name} to be ready",
    )


def _choose_ports(system: System, name: str) -> None:
    """New free ports for `name`: its health port, and for the gateway its API port."""
    service = system.services[name]
    system.health_ports[name] = free_port()
    service.extra_env[f"RW_{name.upper()}_HTTP_PORT"] = str(system.health_ports[name])
    if name == "gateway":
        api_port = free_port()
        service.extra_env["RW_GATEWAY_API_PORT"] = str(api_port)
        system.api_url = f"http://127.0.0.1:{api_port}"


@asynccontextmanager
async def running_system(data_dir: Path, pg_dsn: str) -> AsyncIterator[System]:
    """Start nats-server and the seven services (migrated and seeded); stop all of them after."""
    test_nats = await _provisioned(data_dir)
    tag = uuid.uuid4().hex[:6]
    services = {
        name: ServiceProcess(name, test_nats.url, test_nats.passwords[name], pg_dsn, f"t_bad_{name[:5]}_{tag}")
        for name in SERVICE_NAMES
    }
    services["gateway"].extra_env.update(gateway_env())
    engines = {name: make_engine(pg_dsn, s.schema, pool_size=2) for name, s in services.items()}
    operator: Client | None = None
    system: System | None = None
    try:
        await asyncio.to_thread(_migrate, services.values())
        await asyncio.gather(*(_seed(s) for s in services.values()))
        operator = await test_nats.connect("operator")
        system = System(test_nats, services, engines, {}, operator)
        pids: dict[str, int] = {}
        for name, service in services.items():
            # Ports chosen just before the service binds them, not a minute of migrations earlier:
            # the other workers' processes take free ports meanwhile.
            _choose_ports(system, name)
            service.start()
            assert service.process is not None
            pids[name] = service.process.pid
        for name in services:
            await _until_ready(system, name, pids)
        yield system
        for name, service in services.items():
            assert service.stop() == 0, f"{name} did not stop cleanly:\n{service.log_tail()}"
    finally:
        for service in services.values():
            if service.process is not None and service.process.poll() is None:
                service.kill()
        if system is not None:
            for nc in system.connections.values():
                await nc.close()
        if operator is not None:
            await operator.close()
        for engine in engines.values():
            await engine.dispose()
        test_nats.process.stop()
