"""Commands and queries forwarded to the services over NATS, on behalf of a signed-in person."""

from __future__ import annotations

from collections.abc import Callable

from nats.aio.client import Client

from services.gateway.domain.model import Principal
from shared.actor import ActorSigner
from shared.contracts.base import Command, Query, QueryReply
from shared.contracts.common import CommandReply
from shared.messaging.commands import send_command, send_query

__all__ = ["NatsForwarder"]

#: `ce-source` of every command the gateway sends.
SOURCE = "/raderwerk/gateway"


class NatsForwarder:
    """Sends with the shared client helpers, over the gateway's own NATS connection.

    Each request carries the signed-in person as its actor, signed with the gateway's key for that
    one command (`via` says how the person signed in: `gateway:oidc`, `gateway:local`, `gateway:token`).
    """

    def __init__(self, connection: Callable[[], Client], signer: ActorSigner, *, timeout: float) -> None:
        self._connection = connection
        self._signer = signer
        self._timeout = timeout

    async def command(self, command: Command, principal: Principal) -> CommandReply:
        """The service's reply; raises `NoAnswer` when none comes."""
        actor = self._signer.acting_as(principal.person_id, via=principal.via.actor_via)
        return await send_command(self._connection(), command, actor=actor, source=SOURCE, timeout=self._timeout)

    async def query(self, query: Query, principal: Principal) -> QueryReply:
        """The query's typed reply; raises `Rejected` when refused and `NoAnswer` when unanswered."""
        actor = self._signer.acting_as(principal.person_id, via=principal.via.actor_via)
        return await send_query(
            self._connection(), query, type(query).Reply, actor=actor, source=SOURCE, timeout=self._timeout
        )
