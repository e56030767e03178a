"""What the handlers need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

from services.finance.domain.budget import Adjustment
from services.finance.domain.changes import BudgetChange
from services.finance.domain.control import BudgetHolderDelegation, PaymentOrder, Visum
from services.finance.domain.model import (
    Commitment,
    Credit,
    CreditKey,
    Estimate,
    EstimateKey,
    LimitativeTotal,
    OpeningResult,
    ReceiptRecord,
    TotalKey,
)
from services.finance.domain.plan import PlanTree
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import LegalEntity

__all__ = [
    "BudgetChanges",
    "Commitments",
    "Credits",
    "Delegations",
    "Estimates",
    "FinanceUnitOfWork",
    "PaymentOrders",
    "Plan",
    "Receipts",
    "Totals",
    "Visums",
]


class Credits(Protocol):
    async def add(self, credit: Credit) -> None: ...

    async def get(self, key: CreditKey) -> Credit | None:
        """The credit on this key (`action` is `''` for none), read without a lock."""
        ...

    async def lock(self, keys: Sequence[CreditKey]) -> list[Credit]:
        """The existing credits among `keys`, locked in key order."""
        ...

    async def update(self, credit: Credit) -> None:
        """Store a changed estimate (`amount`) and `committed`."""
        ...

    async def of_entity(self, entity: LegalEntity | None = None) -> list[Credit]:
        """Every credit (of one entity), in no particular order."""
        ...


class Totals(Protocol):
    async def lock(self, keys: Sequence[TotalKey], *, create: bool = True) -> list[LimitativeTotal]:
        """The totals on `keys` (created at zero when missing and `create`), locked in key order."""
        ...

    async def get(self, key: TotalKey) -> LimitativeTotal | None:
        """The total on this key, read without a lock."""
        ...

    async def update(self, total: LimitativeTotal) -> None:
        """Store `amount` and `committed` of an existing total."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[LimitativeTotal]:
        """Every total (of one entity), in no particular order."""
        ...


class Estimates(Protocol):
    """The plan's lines without a credit (receipts, debt repayments) and the opening results."""

    async def lock(self, keys: Sequence[EstimateKey]) -> list[Estimate]:
        """The existing estimates among `keys`, locked in key order (after the totals and credits)."""
        ...

    async def add(self, estimate: Estimate) -> None: ...

    async def update(self, estimate: Estimate) -> None:
        """Store a changed amount."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[Estimate]:
        """Every estimate (of one entity), in no particular order."""
        ...

    async def openings(self) -> list[OpeningResult]:
        """The opening result of each entity's plan in force."""
        ...

    async def set_opening(self, opening: OpeningResult) -> None:
        """Set (or replace) an entity's opening result."""
        ...


class Receipts(Protocol):
    async def add(self, receipt: ReceiptRecord) -> None:
        """Store a decision's receipt; one per decision."""
        ...

    async def for_decision(self, decision_id: uuid.UUID) -> ReceiptRecord | None: ...


class Commitments(Protocol):
    async def add(self, commitment: Commitment) -> None:
        """Store a commitment against its (existing) credit, or without one when `credit_required` is
        False (a debt repayment); one per decision."""
        ...

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None: ...

    async def get(self, commitment_id: uuid.UUID, *, for_update: bool = False) -> Commitment | None: ...

    async def update(self, commitment: Commitment) -> None:
        """Store `ordered` and `paid`."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[Commitment]:
        """Every commitment (of one entity), oldest first."""
        ...


class PaymentOrders(Protocol):
    async def add(self, order: PaymentOrder) -> None:
        """Store an order against its (existing) commitment."""
        ...

    async def get(self, payment_order_id: uuid.UUID, *, for_update: bool = False) -> PaymentOrder | None: ...

    async def update(self, order: PaymentOrder) -> None:
        """Store `status` and `paid_on`."""
        ...


class Visums(Protocol):
    async def add(self, visum: Visum) -> None:
        """Store a requested visum, unless the item has one already (one visum per item)."""
        ...

    async def for_item(self, item_id: uuid.UUID, *, for_update: bool = False) -> Visum | None:
        """The item's visum, with its overruling when one was recorded."""
        ...

    async def update(self, visum: Visum) -> None:
        """Store the decision (status, conditions, reasons, by, at), the blocked decision and the
        commitment made under it."""
        ...

    async def add_overruling(self, overruling_id: uuid.UUID, visum: Visum) -> None:
        """Record the overruling (`visum.overruling_*` set) as its own reportable row."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[Visum]:
        """Every visum (of one entity) with its overruling, in no particular order."""
        ...


class BudgetChanges(Protocol):
    async def add(self, change: BudgetChange) -> None: ...

    async def get(self, budget_change_id: uuid.UUID, *, for_update: bool = False) -> BudgetChange | None: ...

    async def update(self, change: BudgetChange) -> None:
        """Store the outcome: status, decision, when, and the refusal."""
        ...

    async def add_adjustment(self, adjustment: Adjustment) -> None:
        """Record an internal adjustment (its own row; the credits are changed separately)."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[BudgetChange]:
        """Every staged plan, change and carry-over (of one entity), newest first."""
        ...


class Delegations(Protocol):
    async def grant(self, delegation: BudgetHolderDelegation) -> None:
        """Store a granted delegation (keeping a revocation that arrived first)."""
        ...

    async def revoke(self, delegation_id: uuid.UUID, to_person_id: str, revoked_at: dt.datetime) -> None:
        """Record a revocation, also of a delegation whose grant has not arrived yet."""
        ...

    async def of_person(self, person_id: str) -> list[BudgetHolderDelegation]:
        """Every delegation (granted or only revoked) to a person, in no particular order."""
        ...


class Plan(Protocol):
    async def save_tree(self, tree: PlanTree) -> None:
        """Add objectives, action plans and actions not known yet."""
        ...


class FinanceUnitOfWork(EmitsEvents, Protocol):
    # Read-only properties, so an implementation may narrow the types (SQL or in-memory).
    @property
    def credits(self) -> Credits: ...

    @property
    def totals(self) -> Totals: ...

    @property
    def commitments(self) -> Commitments: ...

    @property
    def payments(self) -> PaymentOrders: ...

    @property
    def visums(self) -> Visums: ...

    @property
    def budget_changes(self) -> BudgetChanges: ...

    @property
    def delegations(self) -> Delegations: ...

    @property
    def plan(self) -> Plan: ...

    @property
    def estimates(self) -> Estimates: ...

    @property
    def receipts(self) -> Receipts: ...
