"""Routes: an incoming contract, translated into a service's own command, to the handler of that.

A service's `entrypoints/subscriptions.py` is its one registry of message types: each command,
query and consumed event is bound there to `command(translate, handler)` or
`reaction(translate, handler)`, so the handlers never see a contract or an envelope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from shared.contracts.base import Command, Event
from shared.kernel import Accepted
from shared.messaging.envelope import Envelope

__all__ = ["command", "reaction"]

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
