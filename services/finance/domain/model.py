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

from shared.contracts.base import LegalEntity

__all__ = [
    "ACCOUNT_TOTALS",
    "ZERO",
    "BudgetVerdict",
    "Commitment",
    "Credit",
    "CreditKey",
    "CreditRuleError",
    "CreditTotal",
    "LimitativeTotal",
    "TotalKey",
    "Verdict",
    "check_budget",
    "commit",
    "credit_key",
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


class Verdict(StrEnum):
    OK = "ok"
    NO_CREDIT = "no_credit"
    INSUFFICIENT_CREDIT = "insufficient_credit"


class CreditRuleError(Exception):
    """A commitment would break a credit rule; `reason` is the documented code."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


def credit_key(
    entity: LegalEntity, financial_year: int, economic_account: str, policy_field: str, action: str | None
) -> str:
    """`entity/year/account/policy field/action` (`-` when the credit has no action)."""
    return f"{entity.value}/{financial_year}/{economic_account}/{policy_field}/{action or '-'}"


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
class BudgetVerdict:
    passed: bool
    available: Decimal
    reason: Verdict


def check_budget(credit: Credit | None, amount: Decimal) -> BudgetVerdict:
    """Is there a credit, and does `amount` fit in what is still available?"""
    if credit is None:
        return BudgetVerdict(False, ZERO, Verdict.NO_CREDIT)
    if amount > credit.available:
        return BudgetVerdict(False, credit.available, Verdict.INSUFFICIENT_CREDIT)
    return BudgetVerdict(True, credit.available, Verdict.OK)


def commit(credit: Credit, amount: Decimal) -> Credit:
    """The credit with `amount` committed; raises `CreditRuleError` when it does not fit."""
    if amount <= 0:
        raise CreditRuleError("invalid_amount", f"a commitment must be positive, not {amount}")
    if amount > credit.available:
        raise CreditRuleError(
            Verdict.INSUFFICIENT_CREDIT.value,
            f"{amount} exceeds the {credit.available} still available on {credit.credit_key}",
        )
    return replace(credit, committed=credit.committed + amount)


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
