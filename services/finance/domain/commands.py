"""What finance is asked to do, in its own terms (the translation maps contracts to these).

The first group are the commands people send; the second what finance does when another service
tells it something: an adopted decision becomes one of three commands by its kind, and an item
that puts a staged plan before a body is checked like an item with a financial impact.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from services.finance.domain.budget import ChangeLine
from services.finance.domain.model import CreditKey
from shared.vocabulary import BodyKind, Confidentiality, DecisionKind, FinancialImpact, LegalEntity

__all__ = [
    "AdjustCredits",
    "ApplyBudgetChange",
    "CheckBudget",
    "CheckPlanChange",
    "CommitDecision",
    "DecisionCommand",
    "GrantVisum",
    "ImportPlan",
    "ItemCheck",
    "KeepBudgetHolderDelegation",
    "MarkPaid",
    "OrderPayment",
    "OverruleVisum",
    "ProposeBudgetChange",
    "ProposeCarryOver",
    "RecordCommitment",
    "RefuseVisum",
    "RequestVisum",
    "RevokeBudgetHolderDelegation",
]


# --- commands -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantVisum:
    """The financial director grants the visum on a proposed item, possibly with conditions."""

    item_id: uuid.UUID
    person_id: str
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class RefuseVisum:
    """The financial director refuses the visum on a proposed item, with reasons."""

    item_id: uuid.UUID
    person_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ProposeBudgetChange:
    """Prepare a budget change; the council (or RMW) applies it by adopting it."""

    entity: LegalEntity
    title: str
    lines: tuple[ChangeLine, ...]
    proposed_by: str


@dataclass(frozen=True)
class AdjustCredits:
    """Move estimates between credits inside one limitative total."""

    entity: LegalEntity
    lines: tuple[ChangeLine, ...]
    decided_by: str
    reason: str


@dataclass(frozen=True)
class ProposeCarryOver:
    """Prepare the carry-over of unused investment and financing credits of `from_year` to the next
    year; the college (vast bureau) decides it. No credits chosen: every one with something unused."""

    entity: LegalEntity
    from_year: int
    credits: tuple[tuple[CreditKey, Decimal | None], ...]
    """The credits to carry over, each with the amount (None: all that is unused)."""
    proposed_by: str


@dataclass(frozen=True)
class ImportPlan:
    """Stage the multi-year plan (or a change of it) from CSV text, for the councils to adopt."""

    csv: str
    proposed_by: str


@dataclass(frozen=True)
class RequestVisum:
    """A budget holder asks the financial director's visum on an intended commitment."""

    person_id: str
    impact: FinancialImpact
    third_party: str
    reason: str


@dataclass(frozen=True)
class RecordCommitment:
    """A budget holder commits a credit under a delegation."""

    person_id: str
    impact: FinancialImpact
    third_party: str
    reason: str
    visum_request_id: uuid.UUID | None = None
    """The granted (or overruled) visum on this intended commitment, where one is required."""


@dataclass(frozen=True)
class OrderPayment:
    """Order a payment against a commitment."""

    commitment_id: uuid.UUID
    amount: Decimal
    ordered_by: str
    reference: str


@dataclass(frozen=True)
class MarkPaid:
    """Record that an ordered payment was paid (today when `paid_on` is None)."""

    payment_order_id: uuid.UUID
    paid_on: dt.date | None


# --- from other services' events ------------------------------------------------------------


@dataclass(frozen=True)
class ItemCheck:
    """What a proposed item asks of finance: a budget check, or a staged plan's check."""


@dataclass(frozen=True)
class CheckPlanChange(ItemCheck):
    """An item puts a staged plan, plan change or carry-over before a body: may it go there?"""

    item_id: uuid.UUID
    budget_change_id: uuid.UUID
    kind: DecisionKind
    body: BodyKind
    entity: LegalEntity
    confidentiality: Confidentiality


@dataclass(frozen=True)
class CheckBudget(ItemCheck):
    """A proposed item with a financial impact: is its credit (and its total) sufficient?"""

    item_id: uuid.UUID
    kind: DecisionKind
    impact: FinancialImpact
    confidentiality: Confidentiality
    """As the item was proposed: the check is never more public than the item."""


@dataclass(frozen=True)
class DecisionCommand:
    """What an adopted decision asks of finance: one of three commands, by the decision's kind."""


@dataclass(frozen=True)
class CommitDecision(DecisionCommand):
    """An adopted decision with a financial impact: commit its credit."""

    decision_id: uuid.UUID
    item_id: uuid.UUID
    impact: FinancialImpact
    confidentiality: Confidentiality


@dataclass(frozen=True)
class ApplyBudgetChange(DecisionCommand):
    """A body adopted (or approved) a plan, a plan change or a carry-over staged in finance."""

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    kind: DecisionKind = DecisionKind.BUDGET_CHANGE


@dataclass(frozen=True)
class OverruleVisum(DecisionCommand):
    """The college or vast bureau commits despite the refused visum on `item_id`."""

    decision_id: uuid.UUID
    item_id: uuid.UUID
    """The item whose visum is overruled (not the overruling decision's own item)."""
    body: BodyKind
    entity: LegalEntity
    confidentiality: Confidentiality


@dataclass(frozen=True)
class KeepBudgetHolderDelegation:
    """A budget-holder delegation was granted: whom, in which scope, for how long."""

    delegation_id: uuid.UUID
    to_person_id: str
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None
    policy_field: str | None
    economic_account: str | None
    action: str | None
    max_amount: Decimal | None


@dataclass(frozen=True)
class RevokeBudgetHolderDelegation:
    """A budget-holder delegation can no longer be used from `revoked_at` on."""

    delegation_id: uuid.UUID
    to_person_id: str
    revoked_at: dt.datetime
