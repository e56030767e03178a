"""The multi-year plan in force: credits, estimates without a credit, the opening result; commitments.

Credits are limitative per entity: a commitment never makes the available credit negative.
What needs no credit (receipts, debt repayments) is an `Estimate`: it counts in the balance test,
never as something to spend. Money is `Decimal` with cents, never float.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from decimal import Decimal

from services.finance.domain.accounts import CreditTotal
from shared.vocabulary import FinancialImpact, Flow, LegalEntity

__all__ = [
    "ZERO",
    "Commitment",
    "Credit",
    "CreditKey",
    "CreditTotal",
    "Estimate",
    "EstimateKey",
    "LimitativeTotal",
    "OpeningResult",
    "ReceiptRecord",
    "TotalKey",
    "commitment_on",
    "credit_key",
    "estimate_key",
    "key_of",
]

ZERO = Decimal("0.00")


#: `(entity, financial_year, economic_account, policy_field, action)` with `''` for no action.
CreditKey = tuple[LegalEntity, int, str, str, str]
#: `(entity, financial_year, total)`.
TotalKey = tuple[LegalEntity, int, CreditTotal]


def credit_key(
    entity: LegalEntity, financial_year: int, economic_account: str, policy_field: str, action: str | None
) -> str:
    """`entity/year/account/policy field/action` (`-` when the credit has no action)."""
    return f"{entity.value}/{financial_year}/{economic_account}/{policy_field}/{action or '-'}"


#: `(entity, financial_year, economic_account, policy_field, action, flow)`.
EstimateKey = tuple[LegalEntity, int, str, str, str, Flow]


def estimate_key(key: EstimateKey) -> str:
    """`entity/year/account/policy field/action/flow`."""
    entity, year, account, policy_field, action, flow = key
    return f"{credit_key(entity, year, account, policy_field, action)}/{flow.value}"


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
class Estimate:
    """A line of the plan in force that needs no credit: a receipt, or a debt repayment.

    It counts in the balance test (schema M2) and is never committed.
    """

    entity: LegalEntity
    financial_year: int
    economic_account: str
    policy_field: str
    action: str
    flow: Flow
    amount: Decimal
    description: str = ""

    @property
    def key(self) -> EstimateKey:
        return (self.entity, self.financial_year, self.economic_account, self.policy_field, self.action, self.flow)


@dataclass(frozen=True)
class OpeningResult:
    """The cumulated budgetary result before the plan's first year (gecumuleerd budgettair resultaat
    vorig boekjaar, schema M2 rubric VI of the first year)."""

    entity: LegalEntity
    financial_year: int
    """The plan's first year: the result is the one at its start."""
    amount: Decimal


@dataclass(frozen=True)
class ReceiptRecord:
    """An adopted decision's receipt: recorded as a receipt, never as a credit to spend.

    A loan taken up (17x) also uses the council's limitative loan-receipts total (`credit_key`).
    """

    receipt_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    economic_account: str
    policy_field: str
    action: str | None
    financial_year: int
    amount: Decimal
    third_party: str | None
    credit_key: str | None
    recorded_at: dt.datetime


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
    credit_required: bool = True
    """False for an expense that needs no credit (a debt repayment): `credit_key` is then its coding."""

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
    credit: Credit | None,
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
    """The vastlegging of `impact` on `credit` (already committed there), with the art. 83 coding; without
    a credit for an expense that needs none."""
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
        credit_key=credit.credit_key if credit is not None else credit_key(*key_of(impact)),
        investment_project=impact.investment_project or (credit.investment_project if credit is not None else None),
        created_at=created_at,
        item_id=item_id,
        delegation_id=delegation_id,
        recorded_by=recorded_by,
        reason=reason,
        credit_required=credit is not None,
    )
