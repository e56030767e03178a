"""In-memory implementations of the finance ports, for fast handler tests."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import replace

from services.finance.domain.budget import BudgetChange
from services.finance.domain.control import BudgetHolderDelegation, PaymentOrder, Visum
from services.finance.domain.model import ZERO, Commitment, Credit, CreditKey, LimitativeTotal, TotalKey
from services.finance.domain.plan import PlanTree
from shared.contracts.base import LegalEntity
from tests.unit.recording import RecordingOutbox


def totals_of(*plan: Credit) -> list[LimitativeTotal]:
    """The limitative totals as sums of their credits, as the seed and the import store them."""
    sums: dict[TotalKey, LimitativeTotal] = {}
    for c in plan:
        t = sums.get(c.total_key) or LimitativeTotal(c.entity, c.financial_year, c.total, ZERO)
        sums[c.total_key] = replace(t, amount=t.amount + c.amount, committed=t.committed + c.committed)
    return list(sums.values())


class FakeCredits:
    """Credits by key, enforcing the UNIQUE key and the CHECK on `committed` like the table."""

    def __init__(self, *plan: Credit) -> None:
        self.rows: dict[CreditKey, Credit] = {}
        for credit in plan:
            self.rows[credit.key] = credit

    async def add(self, credit: Credit) -> None:
        assert credit.key not in self.rows, "duplicate credit key"
        assert 0 <= credit.committed <= credit.amount, "CHECK (committed >= 0 AND committed <= amount)"
        self.rows[credit.key] = credit

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
        return self.rows.get((entity, financial_year, economic_account, policy_field, action))

    async def lock(self, keys: Sequence[CreditKey]) -> list[Credit]:
        return [self.rows[k] for k in sorted(set(keys), key=lambda k: (k[0].value, *k[1:])) if k in self.rows]

    async def lock_investment(self, entity: LegalEntity, financial_year: int) -> list[Credit]:
        return [
            c
            for c in self.rows.values()
            if c.entity is entity and c.financial_year == financial_year and c.total.value == "investment"
        ]

    async def update(self, credit: Credit) -> None:
        assert credit.key in self.rows
        assert 0 <= credit.committed <= credit.amount, "CHECK (committed >= 0 AND committed <= amount)"
        self.rows[credit.key] = credit

    async def of_entity(self, entity: LegalEntity | None = None) -> list[Credit]:
        return [c for c in self.rows.values() if entity is None or c.entity is entity]


class FakeTotals:
    def __init__(self, totals: Sequence[LimitativeTotal]) -> None:
        self.rows: dict[TotalKey, LimitativeTotal] = {t.key: t for t in totals}

    async def lock(self, keys: Sequence[TotalKey], *, create: bool = True) -> list[LimitativeTotal]:
        if create:
            for e, y, t in keys:
                self.rows.setdefault((e, y, t), LimitativeTotal(e, y, t, ZERO))
        ordered = sorted(set(keys), key=lambda k: (k[0].value, k[1], k[2].value))
        return [self.rows[k] for k in ordered if k in self.rows]

    async def get(self, key: TotalKey) -> LimitativeTotal | None:
        return self.rows.get(key)

    async def update(self, total: LimitativeTotal) -> None:
        assert 0 <= total.committed <= total.amount, "CHECK (committed >= 0 AND committed <= amount)"
        self.rows[total.key] = total

    async def all(self, entity: LegalEntity | None = None) -> list[LimitativeTotal]:
        return [t for t in self.rows.values() if entity is None or t.entity is entity]


class FakeCommitments:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Commitment] = {}

    async def add(self, commitment: Commitment) -> None:
        if commitment.decision_id is not None:
            assert all(c.decision_id != commitment.decision_id for c in self.rows.values()), "UNIQUE (decision_id)"
        self.rows[commitment.commitment_id] = commitment

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None:
        return next((c for c in self.rows.values() if c.decision_id == decision_id), None)

    async def get(self, commitment_id: uuid.UUID, *, for_update: bool = False) -> Commitment | None:
        return self.rows.get(commitment_id)

    async def update(self, commitment: Commitment) -> None:
        assert 0 <= commitment.ordered <= commitment.amount
        assert 0 <= commitment.paid <= commitment.ordered
        self.rows[commitment.commitment_id] = commitment

    async def all(self, entity: LegalEntity | None = None) -> list[Commitment]:
        return [c for c in self.rows.values() if entity is None or c.entity is entity]


class FakePaymentOrders:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, PaymentOrder] = {}

    async def add(self, order: PaymentOrder) -> None:
        self.rows[order.payment_order_id] = order

    async def get(self, payment_order_id: uuid.UUID, *, for_update: bool = False) -> PaymentOrder | None:
        return self.rows.get(payment_order_id)

    async def update(self, order: PaymentOrder) -> None:
        self.rows[order.payment_order_id] = order


class FakeVisums:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Visum] = {}
        self.overrulings: dict[uuid.UUID, Visum] = {}

    async def add(self, visum: Visum) -> None:
        self.rows.setdefault(visum.item_id, visum)

    async def for_item(self, item_id: uuid.UUID, *, for_update: bool = False) -> Visum | None:
        return self.rows.get(item_id)

    async def update(self, visum: Visum) -> None:
        self.rows[visum.item_id] = visum

    async def add_overruling(self, overruling_id: uuid.UUID, visum: Visum) -> None:
        assert visum.visum_id not in {v.visum_id for v in self.overrulings.values()}, "UNIQUE (visum_id)"
        self.overrulings[overruling_id] = visum

    async def all(self, entity: LegalEntity | None = None) -> list[Visum]:
        return [v for v in self.rows.values() if entity is None or v.entity is entity]


class FakeBudgetChanges:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, BudgetChange] = {}
        self.adjustments: list[tuple[uuid.UUID, LegalEntity, list[dict[str, str]]]] = []

    async def add(self, change: BudgetChange) -> None:
        self.rows[change.budget_change_id] = change

    async def get(self, budget_change_id: uuid.UUID, *, for_update: bool = False) -> BudgetChange | None:
        return self.rows.get(budget_change_id)

    async def update(self, change: BudgetChange) -> None:
        self.rows[change.budget_change_id] = change

    async def add_adjustment(
        self,
        adjustment_id: uuid.UUID,
        entity: LegalEntity,
        changes: list[dict[str, str]],
        *,
        decided_by: str,
        reason: str,
        at: dt.datetime,
    ) -> None:
        self.adjustments.append((adjustment_id, entity, changes))


class FakeDelegations:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, BudgetHolderDelegation] = {}

    async def grant(self, delegation: BudgetHolderDelegation) -> None:
        known = self.rows.get(delegation.delegation_id)
        revoked = known.revoked_at if known else None
        self.rows[delegation.delegation_id] = replace(delegation, revoked_at=revoked)

    async def revoke(self, delegation_id: uuid.UUID, to_person_id: str, revoked_at: dt.datetime) -> None:
        known = self.rows.get(delegation_id) or BudgetHolderDelegation(delegation_id, to_person_id, None)
        self.rows[delegation_id] = replace(known, revoked_at=revoked_at)

    async def of_person(self, person_id: str) -> list[BudgetHolderDelegation]:
        return [d for d in self.rows.values() if d.to_person_id == person_id]


class FakePlan:
    def __init__(self) -> None:
        self.tree = PlanTree()

    async def save_tree(self, tree: PlanTree) -> None:
        for code, title in tree.objectives.items():
            self.tree.objectives.setdefault(code, title)
        for code, plan in tree.action_plans.items():
            self.tree.action_plans.setdefault(code, plan)
        for code, action in tree.actions.items():
            self.tree.actions.setdefault(code, action)


class FakeFinanceUnitOfWork(RecordingOutbox):
    """Every finance table in dicts; events recorded by `RecordingOutbox`."""

    def __init__(self, *plan: Credit) -> None:
        super().__init__("finance")
        self.credits = FakeCredits(*plan)
        self.totals = FakeTotals(totals_of(*plan))
        self.commitments = FakeCommitments()
        self.payments = FakePaymentOrders()
        self.visums = FakeVisums()
        self.budget_changes = FakeBudgetChanges()
        self.delegations = FakeDelegations()
        self.plan = FakePlan()
