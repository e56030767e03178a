"""In-memory implementations of the finance ports, for fast handler tests.

Each keeps the constraints of its table (UNIQUE, CHECK, FOREIGN KEY) as assertions, so a
handler that would fail on PostgreSQL fails here too; `tests/repositories/finance.py` holds
both to the same contract.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import replace

from services.finance.adapters.translation import outgoing
from services.finance.domain.budget import Adjustment
from services.finance.domain.changes import BudgetChange
from services.finance.domain.control import BudgetHolderDelegation, PaymentOrder, Visum
from services.finance.domain.model import (
    ZERO,
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
from shared.vocabulary import LegalEntity
from tests.unit.recording import RecordingOutbox


def totals_of(*plan: Credit) -> list[LimitativeTotal]:
    """The limitative totals as sums of their credits, as the seed and the import store them."""
    sums: dict[TotalKey, LimitativeTotal] = {}
    for c in plan:
        t = sums.get(c.total_key) or LimitativeTotal(c.entity, c.financial_year, c.total, ZERO)
        sums[c.total_key] = replace(t, amount=t.amount + c.amount, committed=t.committed + c.committed)
    return list(sums.values())


def _key(k: CreditKey) -> tuple[str, int, str, str, str]:
    return (k[0].value, *k[1:])


class FakeCredits:
    """Credits by key, enforcing the UNIQUE key and the CHECK on `committed` like the table."""

    def __init__(self, *plan: Credit) -> None:
        self.rows: dict[CreditKey, Credit] = {}
        for credit in plan:
            self.rows[credit.key] = credit

    async def add(self, credit: Credit) -> None:
        assert credit.key not in self.rows, "UNIQUE (entity, financial_year, economic_account, policy_field, action)"
        assert 0 <= credit.committed <= credit.amount, "CHECK (committed >= 0 AND committed <= amount)"
        self.rows[credit.key] = credit

    async def get(self, key: CreditKey) -> Credit | None:
        return self.rows.get(key)

    async def lock(self, keys: Sequence[CreditKey]) -> list[Credit]:
        return [self.rows[k] for k in sorted(set(keys), key=_key) if k in self.rows]

    async def update(self, credit: Credit) -> None:
        assert 0 <= credit.committed <= credit.amount, "CHECK (committed >= 0 AND committed <= amount)"
        known = self.rows.get(credit.key)
        if known is not None and known.credit_id == credit.credit_id:  # UPDATE … WHERE id = …
            self.rows[credit.key] = replace(known, amount=credit.amount, committed=credit.committed)

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
        if total.key in self.rows:  # UPDATE … WHERE key = …: nothing when the row is missing
            self.rows[total.key] = total

    async def all(self, entity: LegalEntity | None = None) -> list[LimitativeTotal]:
        return [t for t in self.rows.values() if entity is None or t.entity is entity]


class FakeCommitments:
    def __init__(self, credit_rows: FakeCredits) -> None:
        self._credits = credit_rows
        self.rows: dict[uuid.UUID, Commitment] = {}

    async def add(self, commitment: Commitment) -> None:
        key = (
            commitment.entity,
            commitment.financial_year,
            commitment.economic_account,
            commitment.policy_field,
            commitment.action or "",
        )
        if commitment.credit_required:
            assert key in self._credits.rows, "FOREIGN KEY (credit_id) REFERENCES credits"
        assert commitment.commitment_id not in self.rows, "PRIMARY KEY (commitment_id)"
        if commitment.decision_id is not None:
            assert all(c.decision_id != commitment.decision_id for c in self.rows.values()), "UNIQUE (decision_id)"
        assert commitment.decision_id is not None or commitment.delegation_id is not None, (
            "CHECK decision or delegation"
        )
        assert commitment.amount > 0, "CHECK (amount > 0)"
        self.rows[commitment.commitment_id] = commitment

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None:
        return next((c for c in self.rows.values() if c.decision_id == decision_id), None)

    async def get(self, commitment_id: uuid.UUID, *, for_update: bool = False) -> Commitment | None:
        return self.rows.get(commitment_id)

    async def update(self, commitment: Commitment) -> None:
        assert 0 <= commitment.ordered <= commitment.amount, "CHECK (ordered >= 0 AND ordered <= amount)"
        assert 0 <= commitment.paid <= commitment.ordered, "CHECK (paid >= 0 AND paid <= ordered)"
        known = self.rows.get(commitment.commitment_id)
        if known is not None:
            self.rows[commitment.commitment_id] = replace(known, ordered=commitment.ordered, paid=commitment.paid)

    async def all(self, entity: LegalEntity | None = None) -> list[Commitment]:
        found = [c for c in self.rows.values() if entity is None or c.entity is entity]
        return sorted(found, key=lambda c: c.created_at)


class FakePaymentOrders:
    def __init__(self, commitments: FakeCommitments) -> None:
        self._commitments = commitments
        self.rows: dict[uuid.UUID, PaymentOrder] = {}

    async def add(self, order: PaymentOrder) -> None:
        assert order.commitment_id in self._commitments.rows, "FOREIGN KEY (commitment_id) REFERENCES commitments"
        assert order.payment_order_id not in self.rows, "PRIMARY KEY (payment_order_id)"
        assert order.amount > 0, "CHECK (amount > 0)"
        self.rows[order.payment_order_id] = order

    async def get(self, payment_order_id: uuid.UUID, *, for_update: bool = False) -> PaymentOrder | None:
        return self.rows.get(payment_order_id)

    async def update(self, order: PaymentOrder) -> None:
        known = self.rows.get(order.payment_order_id)
        if known is not None:
            self.rows[order.payment_order_id] = replace(known, status=order.status, paid_on=order.paid_on)


_NOT_OVERRULED = {"overruling_decision_id": None, "overruled_by_body": None, "overruled_at": None}


class FakeVisums:
    """One visum per item; an overruling is its own row (one per visum), read back with the visum."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Visum] = {}
        self.overrulings: dict[uuid.UUID, Visum] = {}
        """Overruling id -> the visum as overruled."""

    def _with_overruling(self, visum: Visum) -> Visum:
        over = next((v for v in self.overrulings.values() if v.visum_id == visum.visum_id), None)
        if over is None:
            return visum
        return replace(
            visum,
            overruling_decision_id=over.overruling_decision_id,
            overruled_by_body=over.overruled_by_body,
            overruled_at=over.overruled_at,
        )

    async def add(self, visum: Visum) -> None:
        if visum.item_id not in self.rows:  # ON CONFLICT (item_id) DO NOTHING
            self.rows[visum.item_id] = replace(visum, **_NOT_OVERRULED)  # type: ignore[arg-type]

    async def for_item(self, item_id: uuid.UUID, *, for_update: bool = False) -> Visum | None:
        visum = self.rows.get(item_id)
        return self._with_overruling(visum) if visum is not None else None

    async def update(self, visum: Visum) -> None:
        known = next((v for v in self.rows.values() if v.visum_id == visum.visum_id), None)
        if known is None:
            return
        self.rows[known.item_id] = replace(
            known,
            status=visum.status,
            conditions=visum.conditions,
            reasons=visum.reasons,
            decided_by=visum.decided_by,
            decided_at=visum.decided_at,
            blocked_decision_id=visum.blocked_decision_id,
            blocked_impact=visum.blocked_impact,
            commitment_id=visum.commitment_id,
        )

    async def add_overruling(self, overruling_id: uuid.UUID, visum: Visum) -> None:
        assert visum.overruling_decision_id is not None
        assert visum.overruled_by_body is not None
        assert visum.overruled_at is not None
        assert overruling_id not in self.overrulings, "PRIMARY KEY (overruling_id)"
        assert visum.visum_id not in {v.visum_id for v in self.overrulings.values()}, "UNIQUE (visum_id)"
        assert visum.overruling_decision_id not in {v.overruling_decision_id for v in self.overrulings.values()}, (
            "UNIQUE (decision_id)"
        )
        assert any(v.visum_id == visum.visum_id for v in self.rows.values()), "FOREIGN KEY (visum_id)"
        self.overrulings[overruling_id] = visum

    async def all(self, entity: LegalEntity | None = None) -> list[Visum]:
        return [self._with_overruling(v) for v in self.rows.values() if entity is None or v.entity is entity]


class FakeBudgetChanges:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, BudgetChange] = {}
        self.adjustments: list[Adjustment] = []

    async def add(self, change: BudgetChange) -> None:
        assert change.budget_change_id not in self.rows, "PRIMARY KEY (budget_change_id)"
        self.rows[change.budget_change_id] = change

    async def get(self, budget_change_id: uuid.UUID, *, for_update: bool = False) -> BudgetChange | None:
        return self.rows.get(budget_change_id)

    async def update(self, change: BudgetChange) -> None:
        known = self.rows.get(change.budget_change_id)
        if known is not None:
            self.rows[change.budget_change_id] = replace(
                known,
                status=change.status,
                decision_id=change.decision_id,
                decided_at=change.decided_at,
                refusal=change.refusal,
                adopted_by=change.adopted_by,
            )

    async def add_adjustment(self, adjustment: Adjustment) -> None:
        assert all(a.adjustment_id != adjustment.adjustment_id for a in self.adjustments), "PRIMARY KEY"
        self.adjustments.append(adjustment)

    async def all(self, entity: LegalEntity | None = None) -> list[BudgetChange]:
        found = [c for c in self.rows.values() if entity is None or c.entity is entity]
        return sorted(found, key=lambda c: (-c.proposed_at.timestamp(), str(c.budget_change_id)))


def _estimate_order(k: EstimateKey) -> tuple[str, int, str, str, str, str]:
    return (k[0].value, k[1], k[2], k[3], k[4], k[5].value)


class FakeEstimates:
    """Estimates by key (the table's primary key), amounts never negative; opening results by entity."""

    def __init__(self, *estimates: Estimate, openings: Sequence[OpeningResult] = ()) -> None:
        self.rows: dict[EstimateKey, Estimate] = {e.key: e for e in estimates}
        self.opening_rows: dict[LegalEntity, OpeningResult] = {o.entity: o for o in openings}

    async def lock(self, keys: Sequence[EstimateKey]) -> list[Estimate]:
        return [self.rows[k] for k in sorted(set(keys), key=_estimate_order) if k in self.rows]

    async def add(self, estimate: Estimate) -> None:
        assert estimate.key not in self.rows, "PRIMARY KEY (entity, year, account, policy field, action, flow)"
        assert estimate.amount >= 0, "CHECK (amount >= 0)"
        self.rows[estimate.key] = estimate

    async def update(self, estimate: Estimate) -> None:
        assert estimate.amount >= 0, "CHECK (amount >= 0)"
        known = self.rows.get(estimate.key)
        if known is not None:
            self.rows[estimate.key] = replace(known, amount=estimate.amount)

    async def all(self, entity: LegalEntity | None = None) -> list[Estimate]:
        return [e for e in self.rows.values() if entity is None or e.entity is entity]

    async def openings(self) -> list[OpeningResult]:
        return list(self.opening_rows.values())

    async def set_opening(self, opening: OpeningResult) -> None:
        self.opening_rows[opening.entity] = opening


class FakeReceipts:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, ReceiptRecord] = {}

    async def add(self, receipt: ReceiptRecord) -> None:
        assert receipt.receipt_id not in self.rows, "PRIMARY KEY (receipt_id)"
        assert all(r.decision_id != receipt.decision_id for r in self.rows.values()), "UNIQUE (decision_id)"
        assert receipt.amount > 0, "CHECK (amount > 0)"
        self.rows[receipt.receipt_id] = receipt

    async def for_decision(self, decision_id: uuid.UUID) -> ReceiptRecord | None:
        return next((r for r in self.rows.values() if r.decision_id == decision_id), None)


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
            assert plan[0] in self.tree.objectives, "FOREIGN KEY (objective_code) REFERENCES policy_objectives"
            self.tree.action_plans.setdefault(code, plan)
        for code, action in tree.actions.items():
            assert action[0] in self.tree.action_plans, "FOREIGN KEY (action_plan_code) REFERENCES action_plans"
            self.tree.actions.setdefault(code, action)


class FakeFinanceUnitOfWork(RecordingOutbox):
    """Every finance table in dicts; events recorded by `RecordingOutbox` through the translation."""

    def __init__(
        self, *plan: Credit, estimates: Sequence[Estimate] = (), openings: Sequence[OpeningResult] = ()
    ) -> None:
        super().__init__("finance", outgoing)
        self.credits = FakeCredits(*plan)
        self.totals = FakeTotals(totals_of(*plan))
        self.commitments = FakeCommitments(self.credits)
        self.payments = FakePaymentOrders(self.commitments)
        self.visums = FakeVisums()
        self.budget_changes = FakeBudgetChanges()
        self.delegations = FakeDelegations()
        self.plan = FakePlan()
        self.estimates = FakeEstimates(*estimates, openings=openings)
        self.receipts = FakeReceipts()
