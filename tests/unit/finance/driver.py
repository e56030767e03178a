"""Finance as its registry binds it: each contract through the translation to its handler.

Tests send the contracts other services and people send; the routes are built the way
`entrypoints/subscriptions.py` builds them, with a fixed clock and the council's policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from services.finance.adapters import translation
from services.finance.bootstrap import handlers_of
from services.finance.domain.policy import FinancePolicy
from shared.clock import FixedClock
from shared.contracts.base import Command, Event
from shared.kernel import Accepted
from shared.messaging.envelope import Envelope
from shared.messaging.routes import command, reaction
from shared.vocabulary import Confidentiality

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
    """Every command and event route of finance, on one clock."""

    def __init__(self, now: dt.datetime = NOW, policy: FinancePolicy | None = None) -> None:
        self.clock = FixedClock(now)
        self.policy = policy or FinancePolicy(financial_director=FD)
        h = handlers_of(self.policy, self.clock)
        self.import_plan = command(translation.import_plan, h.plan.import_plan)
        self.propose_budget_change = command(translation.propose_budget_change, h.budget_changes.propose)
        self.adjust_credits = command(translation.adjust_credits, h.budget_changes.adjust)
        self.carry_over_investment_credits = command(
            translation.carry_over_investment_credits, h.budget_changes.carry_over
        )
        self.grant_visum = command(translation.grant_visum, h.visums.grant)
        self.refuse_visum = command(translation.refuse_visum, h.visums.refuse)
        self.record_commitment = command(translation.record_commitment, h.commitments.record)
        self.order_payment = command(translation.order_payment, h.payments.order)
        self.mark_paid = command(translation.mark_paid, h.payments.mark_paid)
        self._agenda_item_proposed = reaction(translation.check_budget, h.reactions.check_budget)
        self._decision_adopted = reaction(translation.decision_adopted, h.reactions.carry_out)
        self._delegation_granted = reaction(translation.keep_delegation, h.reactions.keep_delegation)
        self._delegation_revoked = reaction(translation.revoke_delegation, h.reactions.revoke_delegation)

    async def send(self, uow: Any, cmd: Command) -> Accepted:
        """A command, by the route its contract is bound to."""
        routes: dict[str, Callable[[Any, Any], Awaitable[Accepted]]] = {
            "import_plan": self.import_plan,
            "propose_budget_change": self.propose_budget_change,
            "adjust_credits": self.adjust_credits,
            "carry_over_investment_credits": self.carry_over_investment_credits,
            "grant_visum": self.grant_visum,
            "refuse_visum": self.refuse_visum,
            "record_commitment": self.record_commitment,
            "order_payment": self.order_payment,
            "mark_paid": self.mark_paid,
        }
        return await routes[cmd.NAME](uow, cmd)

    async def tell(self, uow: Any, event: Event, env: Envelope | None = None) -> None:
        """An event of another service, as the consumer bound to its subject hands it over."""
        routes: dict[str, Callable[[Any, Any, Envelope], Awaitable[None]]] = {
            "meetings.agenda_item.proposed": self._agenda_item_proposed,
            "meetings.decision.adopted": self._decision_adopted,
            "hr.delegation.granted": self._delegation_granted,
            "hr.delegation.revoked": self._delegation_revoked,
        }
        await routes[event.SUBJECT](uow, event, env or envelope())
