"""Finance as its registry binds it: each contract through the translation to its handler.

Tests send the contracts other services and people send, through the registry
`entrypoints/subscriptions.py` builds (the one the broker binds), with a fixed clock and the
council's policy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.finance.bootstrap import handlers_of
from services.finance.domain.policy import FinancePolicy
from services.finance.entrypoints.subscriptions import registry
from shared.clock import FixedClock
from shared.contracts.base import Command, Event
from shared.kernel import Accepted
from shared.messaging.envelope import Envelope
from shared.vocabulary import Confidentiality
from tests.actors import proven

NOW = dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC)
#: The demo municipality's financial director.
FD = "p-fd"


def envelope(confidentiality: Confidentiality = Confidentiality.PUBLIC) -> Envelope:
    return Envelope(
        id="e",
        type="t",
        source="/test",
        time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        correlation_id="c",
        confidentiality=confidentiality,
    )


class Finance:
    """Finance's own registry, built with one clock and the council's policy, driven in memory."""

    def __init__(self, now: dt.datetime = NOW, policy: FinancePolicy | None = None) -> None:
        self.clock = FixedClock(now)
        self.policy = policy or FinancePolicy(financial_director=FD)
        self.registry = registry(handlers_of(self.policy, self.clock))

    async def send(self, uow: Any, cmd: Command, *, by: str = FD) -> Accepted:
        """A command, by the route its contract is bound to, as the broker hands it over with `by` proven."""
        with proven(by):
            return await self.registry.send(uow, cmd)

    async def tell(self, uow: Any, event: Event, env: Envelope | None = None) -> None:
        """An event of another service, as the consumer bound to its subject hands it over."""
        await self.registry.tell(uow, event, env or envelope())
