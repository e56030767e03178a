"""Credits, codings, impacts and meetings' events the finance tests build on."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, TypeVar

from services.finance.domain.accounts import total_of
from services.finance.domain.model import Credit, CreditTotal, Estimate
from shared.contracts.base import Event
from shared.contracts.common import BodyKind, FinancialImpact
from shared.contracts.finance import CreditCoding
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted, DecisionKind
from shared.vocabulary import Confidentiality, Flow, LegalEntity
from tests.factories import adopted_decision
from tests.unit.finance.driver import NOW
from tests.unit.finance.fakes import FakeFinanceUnitOfWork

G, OC = LegalEntity.GEMEENTE, LegalEntity.OCMW
E = TypeVar("E", bound=Event)


def credit(
    entity: LegalEntity = G, account: str = "6140000", amount: str = "100000.00", year: int = 2026, committed: str = "0"
) -> Credit:
    total = total_of(account)
    assert total is not None
    return Credit(
        entity=entity,
        financial_year=year,
        total=total,
        economic_account=account,
        policy_field="0119",
        action="AC-1",
        investment_project="IP-1" if total is CreditTotal.INVESTMENT else None,
        description=f"{account}",
        amount=Decimal(amount),
        committed=Decimal(committed),
    )


def coding(entity: LegalEntity = G, account: str = "6140000", year: int = 2026) -> CreditCoding:
    return CreditCoding(
        entity=entity, financial_year=year, economic_account=account, policy_field="0119", action="AC-1"
    )


def impact(amount: str, entity: LegalEntity = G, account: str = "6140000") -> FinancialImpact:
    return FinancialImpact(
        entity=entity,
        amount=Decimal(amount),
        economic_account=account,
        policy_field="0119",
        action="AC-1",
        financial_year=2026,
        third_party="Aannemer NV",
    )


def proposed(amount: str, kind: DecisionKind = DecisionKind.DECISION, entity: LegalEntity = G) -> AgendaItemProposed:
    return AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE if entity is G else BodyKind.VAST_BUREAU,
        entity=entity,
        title="Aankoop",
        kind=kind,
        confidentiality=Confidentiality.PUBLIC,
        financial_impact=impact(amount, entity),
        proposed_at=NOW,
    )


def adopted(item_id: uuid.UUID, amount: str = "20000.00", **overrides: Any) -> DecisionAdopted:
    return adopted_decision(item_id=item_id, financial_impact=impact(amount), **overrides)


def events(uow: FakeFinanceUnitOfWork, kind: type[E]) -> list[E]:
    """The published contracts of one type, in the order they were emitted."""
    return [e for e in uow.events() if isinstance(e, kind)]


def at(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def income(entity: LegalEntity = G, year: int = 2026, amount: str = "10000000.00") -> Estimate:
    """An operating receipt (taxes) of the plan in force: what keeps a plan in balance."""
    return Estimate(entity, year, "7300000", "0020", "", Flow.RECEIPT, Decimal(amount))


def funded(*plan: Credit) -> FakeFinanceUnitOfWork:
    """A unit of work with `plan` in force and enough operating receipts in each of its entities' years
    (and in 2026 for both entities) for any change of a test's size to stay in balance."""
    years = {(c.entity, c.financial_year) for c in plan} | {(G, 2026), (OC, 2026)}
    return FakeFinanceUnitOfWork(
        *plan, estimates=[income(e, y) for e, y in sorted(years, key=lambda k: (k[0].value, k[1]))]
    )
