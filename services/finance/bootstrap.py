"""Composition root of finance: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from services.finance.adapters.tables import metadata
from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.domain.policy import FinancePolicy
from services.finance.entrypoints.subscriptions import FinanceHandlers, registry
from services.finance.service_layer.commands.budget_changes import BudgetChangeCommands
from services.finance.service_layer.commands.commitments import CommitmentCommands
from services.finance.service_layer.commands.payments import PaymentCommands
from services.finance.service_layer.commands.plan import PlanCommands
from services.finance.service_layer.commands.visums import VisumCommands
from services.finance.service_layer.reactions import FinanceReactions
from services.finance.service_layer.views import PlanViews
from shared.clock import Clock
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.wiring import clock_of, wire_service

__all__ = ["FinanceSettings", "build", "handlers_of", "policy_of", "registry_of"]


class FinanceSettings(ServiceSettings):
    """Settings of finance (`RW_FINANCE_*`): the council's visum rules are policy, not code.

    The financial director falls back to `RW_FINANCIAL_DIRECTOR_PERSON_ID`, which every service
    of a deployment reads; the exemptions keep the policy's defaults when unset.
    """

    financial_director_person_id: str = Field(
        min_length=1, description="Person id of the financial director: the only one who gives a visum."
    )
    visum_exempt_below: Decimal | None = Field(
        default=None, ge=0, description="Amounts (excl. VAT) strictly below this need no visum (default 15000.00)."
    )
    visum_exempt_accounts: tuple[str, ...] | None = Field(
        default=None, description="Economic account prefixes exempt from the visum (JSON list; default none)."
    )
    visum_exempt_kinds: tuple[str, ...] | None = Field(
        default=None,
        description="Decision kinds exempt from the visum (JSON list; `budget_holder` for budget holders' commitments;"
        " default none).",
    )
    balance_per_entity: bool | None = Field(
        default=None,
        description="Test the financial balance per entity instead of the integrated plan (default false).",
    )


def policy_of(settings: FinanceSettings) -> FinancePolicy:
    """The council's rules as the handlers use them: the policy's defaults, overridden where set."""
    return FinancePolicy(
        financial_director=settings.financial_director_person_id,
        **overrides(
            settings, "visum_exempt_below", "visum_exempt_accounts", "visum_exempt_kinds", "balance_per_entity"
        ),
    )


def handlers_of(policy: FinancePolicy, clock: Clock) -> FinanceHandlers:
    """Every command and reaction handler of finance, with the policy and the clock they need."""
    return FinanceHandlers(
        visums=VisumCommands(policy, clock),
        budget_changes=BudgetChangeCommands(policy, clock),
        plan=PlanCommands(policy, clock),
        commitments=CommitmentCommands(policy, clock),
        payments=PaymentCommands(clock),
        reactions=FinanceReactions(policy, clock),
        plan_views=PlanViews(policy),
    )


def registry_of(settings: FinanceSettings) -> Registry:
    """Every subject of finance bound to its handler, built with the council's policy and the clock."""
    return registry(handlers_of(policy_of(settings), clock_of(settings)))


def build(settings: FinanceSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and the registry."""
    return wire_service(settings, metadata, SqlFinanceUnitOfWork, registry_of(settings))
