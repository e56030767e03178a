"""Meetings as its entrypoint serves it, for unit tests: contracts in through the translation.

`Service.send(uow, contract)` routes a command contract through the registry that
`entrypoints/subscriptions.py` builds and the broker binds, so a test drives the translation too;
`Service.ask` and `Service.tell` do the same for a query and a consumed event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from services.meetings.bootstrap import handlers_of
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.entrypoints.subscriptions import registry
from shared.clock import FixedClock
from shared.contracts.base import Command, Event, Query, QueryReply
from shared.kernel import Accepted
from shared.messaging.context import acting
from shared.messaging.envelope import Envelope
from tests.actors import actor_of
from tests.unit.meetings.builders import NOW, POLICY

R = TypeVar("R", bound=QueryReply)

ENVELOPE = Envelope(id="msg-1", type="t", source="/test", time=NOW, correlation_id="corr-1")


class Service:
    """meetings' own registry, built with one policy and one clock, driven in memory."""

    def __init__(self, policy: MeetingPolicy = POLICY, clock: FixedClock | None = None) -> None:
        self.clock = clock or FixedClock(NOW)
        self.handlers = handlers_of(policy, self.clock)
        self.registry = registry(self.handlers)
        #: Who records attendance and votes under this policy: who signs a command no test names a person for.
        self.recorder = min(policy.secretariat) if policy.secretariat else policy.algemeen_directeur

    async def send(self, uow: Any, contract: Command, *, by: str | None = None) -> Accepted:
        """Carry out a command signed by `by` (the policy's secretariat unless a test names another); a
        refusal raises `RuleViolation`."""
        with acting(actor_of(by or self.recorder)):
            return await self.registry.send(uow, contract)

    async def ask(self, uow: Any, query: Query, reply: type[R], *, by: str | None = None) -> R:
        """Answer a query for the person `by` (None: an actor who holds no seat), with its typed reply
        (checked like `send_query` does)."""
        assert reply is type(query).Reply
        with acting(actor_of(by or "p-nobody")):
            answer = await self.registry.ask(uow, query)
        assert isinstance(answer, reply)
        return answer

    async def tell(self, uow: Any, event: Event, envelope: Envelope = ENVELOPE) -> None:
        """Deliver a consumed event."""
        await self.registry.tell(uow, event, envelope)

    def now(self) -> dt.datetime:
        return self.clock()
