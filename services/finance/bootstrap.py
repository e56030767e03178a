"""Composition root of finance: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from faststream.nats import NatsBroker
from pydantic import Field

from services.finance.adapters.tables import metadata
from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.domain.control import FinancePolicy
from services.finance.entrypoints.subscriptions import register
from shared.messaging.subscriber import DeadLetterStore
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["FinanceSettings", "build", "policy_of"]


class FinanceSettings(ServiceSettings):
    """Settings of finance (`RW_FINANCE_*`): the council's visum rules are policy, not code."""

    financial_director_person_id: str = Field(
        default="p-fd", min_length=1, description="Person id of the financial director (demo: p-fd)."
    )
    visum_exempt_below: Decimal = Field(
        default=Decimal("15000.00"), ge=0, description="Amounts (excl. VAT) strictly below this need no visum."
    )
    visum_exempt_accounts: tuple[str, ...] = Field(
        default=(), description="Economic account prefixes exempt from the visum (JSON list)."
    )
    visum_exempt_kinds: tuple[str, ...] = Field(
        default=(), description="Decision kinds exempt from the visum (JSON list)."
    )


def policy_of(settings: FinanceSettings) -> FinancePolicy:
    """The council's rules as the handlers use them."""
    return FinancePolicy(
        financial_director=settings.financial_director_person_id,
        visum_exempt_below=settings.visum_exempt_below,
        visum_exempt_accounts=settings.visum_exempt_accounts,
        visum_exempt_kinds=settings.visum_exempt_kinds,
    )


def build(settings: FinanceSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    policy = policy_of(settings)

    def bind(
        broker: NatsBroker, uow_factory: Callable[[], SqlFinanceUnitOfWork], dead_letters: DeadLetterStore
    ) -> None:
        register(broker, uow_factory, dead_letters, policy)

    return wire_service(settings, metadata, SqlFinanceUnitOfWork, bind)
