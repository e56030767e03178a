"""What happened in finance (the translation maps these to the contracts it publishes)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from services.finance.domain.balance import BalanceYear
from services.finance.domain.budget import AppliedChange, ChangeLine
from services.finance.domain.model import Estimate, LimitativeTotal, OpeningResult
from shared.kernel import DomainEvent
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity

__all__ = [
    "BudgetChangeAdopted",
    "BudgetChangeApplied",
    "BudgetChangeProposed",
    "BudgetChangeRefused",
    "BudgetCheckFailed",
    "BudgetCheckPassed",
    "CommitmentBlocked",
    "CommitmentRecorded",
    "CommitmentRecordedUnderDelegation",
    "CreditExhausted",
    "CreditsAdjusted",
    "InvestmentCreditsCarriedOver",
    "PaymentMade",
    "PaymentOrdered",
    "PlanImported",
    "ReceiptRecorded",
    "VisumGranted",
    "VisumOverruled",
    "VisumRefused",
    "VisumRequested",
]


# --- budget check and visum -----------------------------------------------------------------


@dataclass(frozen=True)
class BudgetCheckPassed(DomainEvent):
    """Enough credit for a proposed item; whether the financial director's visum must follow."""

    item_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    available: Decimal
    credit_key: str
    visum_required: bool
    confidentiality: Confidentiality


@dataclass(frozen=True)
class BudgetCheckFailed(DomainEvent):
    """Not enough (or no) credit for a proposed item; `reason` is the refusal's code."""

    item_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    available: Decimal
    credit_key: str
    reason: str
    confidentiality: Confidentiality


@dataclass(frozen=True)
class VisumRequested(DomainEvent):
    """A budget holder asked the financial director's visum on an intended commitment."""

    visum_id: uuid.UUID
    request_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    amount: Decimal
    credit_key: str
    third_party: str


@dataclass(frozen=True)
class VisumGranted(DomainEvent):
    visum_id: uuid.UUID
    item_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    conditions: tuple[str, ...]
    granted_by: str
    granted_at: dt.datetime


@dataclass(frozen=True)
class VisumRefused(DomainEvent):
    visum_id: uuid.UUID
    item_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    reasons: tuple[str, ...]
    refused_by: str
    refused_at: dt.datetime


@dataclass(frozen=True)
class VisumOverruled(DomainEvent):
    """The college or vast bureau overruled a refused visum: a separate, reportable decision."""

    overruling_id: uuid.UUID
    visum_id: uuid.UUID
    item_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    amount: Decimal
    refusal_reasons: tuple[str, ...]
    overruled_at: dt.datetime
    confidentiality: Confidentiality


# --- commitments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRecorded(DomainEvent):
    """A vastlegging for an adopted decision."""

    commitment_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    economic_account: str
    policy_field: str
    action: str | None
    financial_year: int
    amount: Decimal
    third_party: str | None
    credit_key: str
    remaining: Decimal
    confidentiality: Confidentiality
    credit_required: bool = True
    """False for an expense that needs no credit (a debt repayment): `credit_key` is its coding."""


@dataclass(frozen=True)
class ReceiptRecorded(DomainEvent):
    """An adopted decision's receipt; a loan taken up uses the loan-receipts total (`credit_key`)."""

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
    remaining: Decimal | None
    confidentiality: Confidentiality


@dataclass(frozen=True)
class CreditExhausted(DomainEvent):
    """An adopted decision no longer fits its credit; `reason` is the refusal's code."""

    decision_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    available: Decimal
    credit_key: str
    reason: str
    confidentiality: Confidentiality


@dataclass(frozen=True)
class CommitmentBlocked(DomainEvent):
    """An adopted decision was not committed: its visum is refused and not overruled."""

    decision_id: uuid.UUID
    item_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    reason: str
    confidentiality: Confidentiality


@dataclass(frozen=True)
class CommitmentRecordedUnderDelegation(DomainEvent):
    """A budget holder committed a credit under a delegation."""

    commitment_id: uuid.UUID
    delegation_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    economic_account: str
    policy_field: str
    action: str | None
    financial_year: int
    amount: Decimal
    third_party: str
    credit_key: str
    remaining: Decimal
    reason: str


# --- budget changes, adjustments, carry-over, plan ------------------------------------------


@dataclass(frozen=True)
class BudgetChangeProposed(DomainEvent):
    """A plan, plan change or carry-over was staged; `balance` is its test (empty for a carry-over)."""

    budget_change_id: uuid.UUID
    entity: LegalEntity
    title: str
    lines: tuple[ChangeLine, ...]
    proposed_by: str
    kind: str
    balanced: bool | None
    balance: tuple[BalanceYear, ...]
    refusal: str | None
    opening: OpeningResult | None


@dataclass(frozen=True)
class BudgetChangeAdopted(DomainEvent):
    """The RMW adopted the OCMW's plan or change: in force once the gemeenteraad approves it."""

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity


@dataclass(frozen=True)
class BudgetChangeApplied(DomainEvent):
    """Credits, estimates and totals after a plan or change came into force (totals by entity, year and total)."""

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    changes: tuple[AppliedChange, ...]
    totals: tuple[LimitativeTotal, ...]
    estimates: tuple[Estimate, ...]
    """The estimates (receipts, repayments) the change touched, as they are now."""
    kind: str


@dataclass(frozen=True)
class BudgetChangeRefused(DomainEvent):
    """An adopted budget change could not be applied; `reason` is the refusal's code."""

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    reason: str
    message: str


@dataclass(frozen=True)
class CreditsAdjusted(DomainEvent):
    adjustment_id: uuid.UUID
    entity: LegalEntity
    changes: tuple[AppliedChange, ...]
    decided_by: str
    reason: str


@dataclass(frozen=True)
class InvestmentCreditsCarriedOver(DomainEvent):
    """The college's (vast bureau's) carry-over of unused investment and financing credits."""

    entity: LegalEntity
    from_year: int
    to_year: int
    changes: tuple[AppliedChange, ...]
    decision_id: uuid.UUID | None
    budget_change_id: uuid.UUID | None = None


@dataclass(frozen=True)
class PlanImported(DomainEvent):
    """A plan CSV was read and staged; nothing of it is in force before the councils adopt it."""

    credits_added: int
    credits_unchanged: int
    budget_change_ids: tuple[uuid.UUID, ...]


# --- payments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentOrdered(DomainEvent):
    payment_order_id: uuid.UUID
    commitment_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    ordered_by: str
    remaining_to_order: Decimal


@dataclass(frozen=True)
class PaymentMade(DomainEvent):
    payment_order_id: uuid.UUID
    commitment_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    paid_on: dt.date
