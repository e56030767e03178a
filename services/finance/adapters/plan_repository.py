"""The plan's staged changes, its estimates without credit, opening results and receipts, in PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.adapters.tables import (
    action_plan_table,
    action_table,
    adjustment_table,
    budget_change_table,
    estimate_table,
    opening_table,
    policy_objective_table,
    receipt_table,
)
from services.finance.domain.budget import Adjustment, ChangeLine
from services.finance.domain.changes import BudgetChange, BudgetChangeStatus, ChangeKind
from services.finance.domain.model import Estimate, EstimateKey, OpeningResult, ReceiptRecord
from services.finance.domain.plan import PlanTree
from shared.vocabulary import Flow, LegalEntity

__all__ = ["SqlBudgetChanges", "SqlEstimates", "SqlPlan", "SqlReceipts", "change_line_json", "change_line_of"]


def change_line_json(line: ChangeLine) -> dict[str, str]:
    """A change line as stored in JSONB (amounts as strings: exact)."""
    return {
        "entity": line.entity.value,
        "financial_year": str(line.financial_year),
        "economic_account": line.economic_account,
        "policy_field": line.policy_field,
        "action": line.action,
        "change": f"{line.change:.2f}",
        "investment_project": line.investment_project or "",
        "description": line.description,
        "flow": line.flow.value,
    }


def change_line_of(data: dict[str, str]) -> ChangeLine:
    return ChangeLine(
        entity=LegalEntity(data["entity"]),
        financial_year=int(data["financial_year"]),
        economic_account=data["economic_account"],
        policy_field=data["policy_field"],
        action=data["action"],
        change=Decimal(data["change"]),
        investment_project=data["investment_project"] or None,
        description=data["description"],
        flow=Flow(data.get("flow", Flow.EXPENSE.value)),
    )


def _opening_json(opening: OpeningResult | None) -> dict[str, str] | None:
    if opening is None:
        return None
    return {
        "entity": opening.entity.value,
        "financial_year": str(opening.financial_year),
        "amount": f"{opening.amount:.2f}",
    }


def _opening_of(data: dict[str, str] | None) -> OpeningResult | None:
    if not data:
        return None
    return OpeningResult(LegalEntity(data["entity"]), int(data["financial_year"]), Decimal(data["amount"]))


def _budget_change(row: Any) -> BudgetChange:
    return BudgetChange(
        budget_change_id=row.budget_change_id,
        entity=LegalEntity(row.entity),
        title=row.title,
        lines=tuple(change_line_of(d) for d in row.changes),
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        status=BudgetChangeStatus(row.status),
        decision_id=row.decision_id,
        decided_at=row.decided_at,
        refusal=row.refusal,
        kind=ChangeKind(row.kind),
        opening=_opening_of(row.opening),
        adopted_by=row.adopted_by,
        balanced=row.balanced,
    )


class SqlBudgetChanges:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, change: BudgetChange) -> None:
        await self._session.execute(
            insert(budget_change_table).values(
                budget_change_id=change.budget_change_id,
                entity=change.entity.value,
                title=change.title,
                changes=[change_line_json(line) for line in change.lines],
                status=change.status.value,
                proposed_by=change.proposed_by,
                proposed_at=change.proposed_at,
                kind=change.kind.value,
                opening=_opening_json(change.opening),
                balanced=change.balanced,
            )
        )

    async def get(self, budget_change_id: uuid.UUID, *, for_update: bool = False) -> BudgetChange | None:
        stmt = select(budget_change_table).where(budget_change_table.c.budget_change_id == budget_change_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return _budget_change(row) if row else None

    async def update(self, change: BudgetChange) -> None:
        await self._session.execute(
            update(budget_change_table)
            .where(budget_change_table.c.budget_change_id == change.budget_change_id)
            .values(
                status=change.status.value,
                decision_id=change.decision_id,
                decided_at=change.decided_at,
                refusal=change.refusal,
                adopted_by=change.adopted_by,
            )
        )

    async def add_adjustment(self, adjustment: Adjustment) -> None:
        await self._session.execute(
            insert(adjustment_table).values(
                adjustment_id=adjustment.adjustment_id,
                entity=adjustment.entity.value,
                changes=[change_line_json(line) for line in adjustment.lines],
                decided_by=adjustment.decided_by,
                reason=adjustment.reason,
                adjusted_at=adjustment.adjusted_at,
            )
        )

    async def all(self, entity: LegalEntity | None = None) -> list[BudgetChange]:
        stmt = select(budget_change_table).order_by(
            budget_change_table.c.proposed_at.desc(), budget_change_table.c.budget_change_id
        )
        if entity is not None:
            stmt = stmt.where(budget_change_table.c.entity == entity.value)
        return [_budget_change(row) for row in await self._session.execute(stmt)]


class SqlPlan:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_tree(self, tree: PlanTree) -> None:
        for code, title in sorted(tree.objectives.items()):
            await self._session.execute(
                pg_insert(policy_objective_table).values(code=code, title=title).on_conflict_do_nothing()
            )
        for code, (objective, title) in sorted(tree.action_plans.items()):
            await self._session.execute(
                pg_insert(action_plan_table)
                .values(code=code, objective_code=objective, title=title)
                .on_conflict_do_nothing()
            )
        for code, (plan, title) in sorted(tree.actions.items()):
            await self._session.execute(
                pg_insert(action_table).values(code=code, action_plan_code=plan, title=title).on_conflict_do_nothing()
            )


def _estimate(row: Any) -> Estimate:
    return Estimate(
        entity=LegalEntity(row.entity),
        financial_year=row.financial_year,
        economic_account=row.economic_account,
        policy_field=row.policy_field,
        action=row.action,
        flow=Flow(row.flow),
        amount=row.amount,
        description=row.description,
    )


class SqlEstimates:
    """`Estimates`: the plan's lines without a credit, and the opening results; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock(self, keys: Sequence[EstimateKey]) -> list[Estimate]:
        found: list[Estimate] = []
        for entity, year, account, policy_field, action, flow in sorted(
            set(keys), key=lambda k: (k[0].value, k[1], k[2], k[3], k[4], k[5].value)
        ):
            stmt = (
                select(estimate_table)
                .where(
                    estimate_table.c.entity == entity.value,
                    estimate_table.c.financial_year == year,
                    estimate_table.c.economic_account == account,
                    estimate_table.c.policy_field == policy_field,
                    estimate_table.c.action == action,
                    estimate_table.c.flow == flow.value,
                )
                .with_for_update()
            )
            row = (await self._session.execute(stmt)).one_or_none()
            if row is not None:
                found.append(_estimate(row))
        return found

    async def add(self, estimate: Estimate) -> None:
        await self._session.execute(
            insert(estimate_table).values(
                entity=estimate.entity.value,
                financial_year=estimate.financial_year,
                economic_account=estimate.economic_account,
                policy_field=estimate.policy_field,
                action=estimate.action,
                flow=estimate.flow.value,
                amount=estimate.amount,
                description=estimate.description,
            )
        )

    async def update(self, estimate: Estimate) -> None:
        await self._session.execute(
            update(estimate_table)
            .where(
                estimate_table.c.entity == estimate.entity.value,
                estimate_table.c.financial_year == estimate.financial_year,
                estimate_table.c.economic_account == estimate.economic_account,
                estimate_table.c.policy_field == estimate.policy_field,
                estimate_table.c.action == estimate.action,
                estimate_table.c.flow == estimate.flow.value,
            )
            .values(amount=estimate.amount)
        )

    async def all(self, entity: LegalEntity | None = None) -> list[Estimate]:
        stmt = select(estimate_table)
        if entity is not None:
            stmt = stmt.where(estimate_table.c.entity == entity.value)
        return [_estimate(row) for row in await self._session.execute(stmt)]

    async def openings(self) -> list[OpeningResult]:
        rows = await self._session.execute(select(opening_table))
        return [OpeningResult(LegalEntity(r.entity), r.financial_year, r.amount) for r in rows]

    async def set_opening(self, opening: OpeningResult) -> None:
        values = {"financial_year": opening.financial_year, "amount": opening.amount}
        await self._session.execute(
            pg_insert(opening_table)
            .values(entity=opening.entity.value, **values)
            .on_conflict_do_update(index_elements=["entity"], set_=values)
        )


class SqlReceipts:
    """`Receipts`: what adopted decisions brought in; one per decision."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, receipt: ReceiptRecord) -> None:
        await self._session.execute(
            insert(receipt_table).values(
                receipt_id=receipt.receipt_id,
                decision_id=receipt.decision_id,
                entity=receipt.entity.value,
                economic_account=receipt.economic_account,
                policy_field=receipt.policy_field,
                action=receipt.action,
                financial_year=receipt.financial_year,
                amount=receipt.amount,
                third_party=receipt.third_party,
                credit_key=receipt.credit_key,
                recorded_at=receipt.recorded_at,
            )
        )

    async def for_decision(self, decision_id: uuid.UUID) -> ReceiptRecord | None:
        row = (
            await self._session.execute(select(receipt_table).where(receipt_table.c.decision_id == decision_id))
        ).one_or_none()
        if row is None:
            return None
        return ReceiptRecord(
            receipt_id=row.receipt_id,
            decision_id=row.decision_id,
            entity=LegalEntity(row.entity),
            economic_account=row.economic_account,
            policy_field=row.policy_field,
            action=row.action,
            financial_year=row.financial_year,
            amount=row.amount,
            third_party=row.third_party,
            credit_key=row.credit_key,
            recorded_at=row.recorded_at,
        )
