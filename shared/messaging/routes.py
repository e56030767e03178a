"""Routes: an incoming contract, translated into a service's own command, to the handler of that.

A service's `entrypoints/subscriptions.py` builds its one `Registry` of message types: each
command, query and consumed event mapped to `command(translate, handler)`, a view, or
`reaction(translate, handler)`, so the handlers never see a contract or an envelope. The
composition root binds that registry to the broker (`shared.wiring`); the tests drive the same
registry in memory, so what they exercise is what runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shared.contracts.base import Command, Event, Query, QueryReply
from shared.kernel import Accepted
from shared.messaging.envelope import Envelope

__all__ = ["CommandRoute", "EventRoute", "QueryRoute", "Registry", "command", "reaction"]

#: A command contract in, `Accepted` out (or a `RuleViolation`).
CommandRoute = Callable[[Any, Any], Awaitable[Accepted]]
#: A query contract in, its typed reply out.
QueryRoute = Callable[[Any, Any], Awaitable[QueryReply]]
#: An event contract and its envelope in; the effect is in the unit of work.
EventRoute = Callable[[Any, Any, Envelope], Awaitable[None]]

C = TypeVar("C", bound=Command)
E = TypeVar("E", bound=Event)
D = TypeVar("D")


def command(
    translate: Callable[[C], D], handle: Callable[[Any, D], Awaitable[Accepted]]
) -> Callable[[Any, C], Awaitable[Accepted]]:
    """Serve a command contract with the handler of the service's own command."""

    async def route(uow: Any, contract: C) -> Accepted:
        return await handle(uow, translate(contract))

    route.__doc__ = handle.__doc__
    return route


def reaction(
    translate: Callable[[E, Envelope], D | None], handle: Callable[[Any, D], Awaitable[None]]
) -> Callable[[Any, E, Envelope], Awaitable[None]]:
    """React to an event contract; a translation answering None means: not this service's business."""

    async def route(uow: Any, event: E, envelope: Envelope) -> None:
        own = translate(event, envelope)
        if own is not None:
            await handle(uow, own)

    route.__doc__ = handle.__doc__
    return route


@dataclass(frozen=True)
class Registry:
    """Every message type one service serves or consumes, each with its route.

    `consumers` is keyed by the durable consumer (from `shared.topology`) that delivers the events.
    """

    commands: Mapping[type[Command], CommandRoute] = field(default_factory=dict)
    queries: Mapping[type[Query], QueryRoute] = field(default_factory=dict)
    consumers: Mapping[str, Mapping[type[Event], EventRoute]] = field(default_factory=dict)

    async def send(self, uow: Any, contract: Command) -> Accepted:
        """Carry out a command as its subscriber would (without the transaction and the reply)."""
        return await self.commands[type(contract)](uow, contract)

    async def ask(self, uow: Any, query: Query) -> QueryReply:
        """Answer a query as its subscriber would."""
        return await self.queries[type(query)](uow, query)

    async def tell(self, uow: Any, event: Event, envelope: Envelope) -> None:
        """Hand an event over as the consumer that receives its type would."""
        routes = [r[type(event)] for r in self.consumers.values() if type(event) in r]
        if len(routes) != 1:
            raise LookupError(f"{len(routes)} consumers of this service take {type(event).__name__}")
        await routes[0](uow, event, envelope)
