"""Credits of the multi-year plan, the budget check and commitments (vastleggingen).

Credits are limitative per entity: a commitment never makes the available credit negative.
Money is `Decimal` with cents, never float.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from shared.vocabulary import FinancialImpact, LegalEntity

__all__ = [
    "ACCOUNT_TOTALS",
    "ZERO",
    "Commitment",
    "Credit",
    "CreditKey",
    "CreditTotal",
    "LimitativeTotal",
    "TotalKey",
    "commitment_on",
    "credit_key",
    "key_of",
    "total_of_account",
]

ZERO = Decimal("0.00")


class CreditTotal(StrEnum):
    """The four limitative totals of BBC."""

    OPERATING = "operating"
    INVESTMENT = "investment"
    FINANCING = "financing"
    LOAN_RECEIPTS = "loan_receipts"


#: Economic account prefix -> limitative total; the longest matching prefix wins.
#: 29x toegestane leningen en betalingsuitstel (financing expenses for granted loans),
#: 17x leningen en leasings (loan receipts), other 2x vaste activa (investment expenses),
#: 6x kosten (operating expenses). Other accounts (receipts of class 7, balance accounts) are
#: not limitative and carry no credit.
ACCOUNT_TOTALS: tuple[tuple[str, CreditTotal], ...] = (
    ("29", CreditTotal.FINANCING),
    ("17", CreditTotal.LOAN_RECEIPTS),
    ("2", CreditTotal.INVESTMENT),
    ("6", CreditTotal.OPERATING),
)


def total_of_account(economic_account: str) -> CreditTotal | None:
    """The limitative total an economic account belongs to, or None when it has no credit."""
    for prefix, total in sorted(ACCOUNT_TOTALS, key=lambda p: -len(p[0])):
        if economic_account.startswith(prefix):
            return total
    return None


#: `(entity, financial_year, economic_account, policy_field, action)` with `''` for no action.
CreditKey = tuple[LegalEntity, int, str, str, str]
#: `(entity, financial_year, total)`.
TotalKey = tuple[LegalEntity, int, CreditTotal]


def credit_key(
    entity: LegalEntity, financial_year: int, economic_account: str, policy_field: str, action: str | None
) -> str:
    """`entity/year/account/policy field/action` (`-` when the credit has no action)."""
    return f"{entity.value}/{financial_year}/{economic_account}/{policy_field}/{action or '-'}"


def key_of(impact: FinancialImpact) -> CreditKey:
    """The credit a financial impact is coded on."""
    return (impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, impact.action or "")


@dataclass(frozen=True)
class Credit:
    """One line of the multi-year plan for one entity and financial year."""

    entity: LegalEntity
    financial_year: int
    total: CreditTotal
    economic_account: str
    policy_field: str
    action: str
    """`''` when the credit is not tied to an action."""
    investment_project: str | None
    description: str
    amount: Decimal
    committed: Decimal = ZERO
    credit_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def available(self) -> Decimal:
        """What can still be committed."""
        return self.amount - self.committed

    @property
    def credit_key(self) -> str:
        return credit_key(self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)

    @property
    def key(self) -> CreditKey:
        return (self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)

    @property
    def total_key(self) -> TotalKey:
        return (self.entity, self.financial_year, self.total)


@dataclass(frozen=True)
class LimitativeTotal:
    """One of the four limitative totals of one entity and year: the sum of its credits."""

    entity: LegalEntity
    financial_year: int
    total: CreditTotal
    amount: Decimal
    committed: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed

    @property
    def key(self) -> TotalKey:
        return (self.entity, self.financial_year, self.total)


@dataclass(frozen=True)
class Commitment:
    """A vastlegging: what an adopted decision (or a budget holder) committed against one credit."""

    commitment_id: uuid.UUID
    decision_id: uuid.UUID | None
    entity: LegalEntity
    economic_account: str
    policy_field: str
    action: str | None
    financial_year: int
    amount: Decimal
    third_party: str | None
    credit_key: str
    created_at: dt.datetime
    item_id: uuid.UUID | None = None
    investment_project: str | None = None
    delegation_id: uuid.UUID | None = None
    recorded_by: str | None = None
    reason: str = ""
    ordered: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def orderable(self) -> Decimal:
        """What may still be ordered for payment."""
        return self.amount - self.ordered

    def with_order(self, amount: Decimal) -> Commitment:
        """The commitment once `amount` more is ordered for payment."""
        return replace(self, ordered=self.ordered + amount)

    def with_payment(self, amount: Decimal) -> Commitment:
        """The commitment once `amount` more is paid."""
        return replace(self, paid=self.paid + amount)


def commitment_on(
    credit: Credit,
    impact: FinancialImpact,
    *,
    commitment_id: uuid.UUID,
    created_at: dt.datetime,
    third_party: str | None,
    decision_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
    delegation_id: uuid.UUID | None = None,
    recorded_by: str | None = None,
    reason: str = "",
) -> Commitment:
    """The vastlegging of `impact` on `credit` (already committed there), with the art. 83 coding."""
    return Commitment(
        commitment_id=commitment_id,
        decision_id=decision_id,
        entity=impact.entity,
        economic_account=impact.economic_account,
        policy_field=impact.policy_field,
        action=impact.action,
        financial_year=impact.financial_year,
        amount=impact.amount,
        third_party=third_party,
        credit_key=credit.credit_key,
        investment_project=impact.investment_project or credit.investment_project,
        created_at=created_at,
        item_id=item_id,
        delegation_id=delegation_id,
        recorded_by=recorded_by,
        reason=reason,
    )
