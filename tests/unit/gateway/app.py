"""The gateway's ASGI app over fakes: an in-memory store and a forwarder that records what it sends."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx

from services.gateway.domain.model import GatewayPolicy, Principal
from services.gateway.entrypoints.api import ApiConfig, OidcPort, create_app
from services.gateway.service_layer.access import Access
from shared.clock import FixedClock
from shared.contracts.base import Command, Query, QueryReply
from shared.contracts.common import CommandReply, CommandStatus
from shared.messaging.errors import NoAnswer, Rejected
from tests.unit.gateway.fakes import FakeGatewayStore, FakeGatewayUnitOfWork, FakeHasher

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class RecordingForwarder:
    """Answers every command as accepted (or as `refuse` says) and remembers who sent what."""

    sent: list[tuple[Command, Principal]] = field(default_factory=list)
    refuse: tuple[str, str] | None = None
    silent: bool = False

    async def command(self, command: Command, principal: Principal) -> CommandReply:
        self.sent.append((command, principal))
        if self.silent:
            raise NoAnswer(command.subject(), "no running service serves it")
        if self.refuse is not None:
            code, message = self.refuse
            return CommandReply(
                command_id=command.command_id, status=CommandStatus.REJECTED, code=code, message=message
            )
        return CommandReply(command_id=command.command_id, status=CommandStatus.ACCEPTED, ids={"x": "1"})

    async def query(self, query: Query, principal: Principal) -> QueryReply:
        self.sent.append((query, principal))
        if self.silent:
            raise NoAnswer(query.subject(), "no running service serves it")
        if self.refuse is not None:
            raise Rejected(*self.refuse)
        raise Rejected("unknown_thing", "the fake answers no query")


@dataclass
class Gateway:
    """An app, its store and its forwarder, and a client that speaks HTTPS to it in memory."""

    access: Access
    forwarder: RecordingForwarder
    store: FakeGatewayStore
    client: httpx.AsyncClient


def gateway(*, local_accounts: bool = True, oidc: OidcPort | None = None, clock: FixedClock | None = None) -> Gateway:
    store = FakeGatewayStore()
    access = Access(
        lambda: FakeGatewayUnitOfWork(store),
        clock or FixedClock(NOW),
        FakeHasher(),
        GatewayPolicy(),
        local_accounts=local_accounts,
    )
    forwarder = RecordingForwarder()
    app = create_app(access, forwarder, ApiConfig(cookie_secure=True, state_secret="test-state-secret"), oidc)
    # HTTPS, so the secure cookies travel as a browser would send them.
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://gateway.test")
    return Gateway(access, forwarder, store, client)


class ChunkedBody:
    """A request body of `total` bytes sent in chunks, that counts how much the gateway pulled of it."""

    def __init__(self, total: int, chunk: int = 64 * 1024) -> None:
        self.total = total
        self.chunk = chunk
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.total:
            self.pulled += self.chunk
            yield b" " * self.chunk
