"""What the handlers need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

from services.finance.domain.budget import BudgetChange
from services.finance.domain.control import BudgetHolderDelegation, PaymentOrder, Visum
from services.finance.domain.model import Commitment, Credit, CreditKey, LimitativeTotal, TotalKey
from services.finance.domain.plan import PlanTree
from shared.contracts.base import LegalEntity
from shared.messaging.ports import EmitsEvents

__all__ = [
    "BudgetChanges",
    "Commitments",
    "Credits",
    "Delegations",
    "FinanceUnitOfWork",
    "PaymentOrders",
    "Plan",
    "Totals",
    "Visums",
]


class Credits(Protocol):
    async def add(self, credit: Credit) -> None: ...

    async def get(
        self,
        entity: LegalEntity,
        financial_year: int,
        economic_account: str,
        policy_field: str,
        action: str,
        *,
        for_update: bool = False,
    ) -> Credit | None:
        """The credit on this key (`action` is `''` for none); `for_update` locks its row."""
        ...

    async def lock(self, keys: Sequence[CreditKey]) -> list[Credit]:
        """The existing credits among `keys`, locked in key order."""
        ...

    async def lock_investment(self, entity: LegalEntity, financial_year: int) -> list[Credit]:
        """Every investment credit of an entity and year, locked in key order."""
        ...

    async def update(self, credit: Credit) -> None:
        """Store a changed estimate (`amount`) and `committed`."""
        ...

    async def of_entity(self, entity: LegalEntity | None = None) -> list[Credit]: ...


class Totals(Protocol):
    async def lock(self, keys: Sequence[TotalKey], *, create: bool = True) -> list[LimitativeTotal]:
        """The totals on `keys` (created at zero when missing and `create`), locked in key order."""
        ...

    async def get(self, key: TotalKey) -> LimitativeTotal | None: ...

    async def update(self, total: LimitativeTotal) -> None: ...

    async def all(self, entity: LegalEntity | None = None) -> list[LimitativeTotal]: ...


class Commitments(Protocol):
    async def add(self, commitment: Commitment) -> None: ...

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None: ...

    async def get(self, commitment_id: uuid.UUID, *, for_update: bool = False) -> Commitment | None: ...

    async def update(self, commitment: Commitment) -> None:
        """Store `ordered` and `paid`."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[Commitment]: ...


class PaymentOrders(Protocol):
    async def add(self, order: PaymentOrder) -> None: ...

    async def get(self, payment_order_id: uuid.UUID, *, for_update: bool = False) -> PaymentOrder | None: ...

    async def update(self, order: PaymentOrder) -> None: ...


class Visums(Protocol):
    async def add(self, visum: Visum) -> None: ...

    async def for_item(self, item_id: uuid.UUID, *, for_update: bool = False) -> Visum | None: ...

    async def update(self, visum: Visum) -> None: ...

    async def add_overruling(self, overruling_id: uuid.UUID, visum: Visum) -> None:
        """Record the overruling (`visum.overruling_*` set) as its own reportable row."""
        ...

    async def all(self, entity: LegalEntity | None = None) -> list[Visum]: ...


class BudgetChanges(Protocol):
    async def add(self, change: BudgetChange) -> None: ...

    async def get(self, budget_change_id: uuid.UUID, *, for_update: bool = False) -> BudgetChange | None: ...

    async def update(self, change: BudgetChange) -> None: ...

    async def add_adjustment(
        self,
        adjustment_id: uuid.UUID,
        entity: LegalEntity,
        changes: list[dict[str, str]],
        *,
        decided_by: str,
        reason: str,
        at: dt.datetime,
    ) -> None: ...


class Delegations(Protocol):
    async def grant(self, delegation: BudgetHolderDelegation) -> None:
        """Store a granted delegation (keeping a revocation that arrived first)."""
        ...

    async def revoke(self, delegation_id: uuid.UUID, to_person_id: str, revoked_at: dt.datetime) -> None: ...

    async def of_person(self, person_id: str) -> list[BudgetHolderDelegation]: ...


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
