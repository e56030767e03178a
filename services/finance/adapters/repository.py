"""Credits and commitments in PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.adapters.tables import (
    commitment_table,
    credit_table,
    delegation_table,
    overruling_table,
    payment_order_table,
    total_table,
    visum_table,
)
from services.finance.domain.control import (
    BudgetHolderDelegation,
    IntendedCommitment,
    PaymentOrder,
    PaymentStatus,
    Visum,
    VisumStatus,
)
from services.finance.domain.model import (
    ZERO,
    Commitment,
    Credit,
    CreditKey,
    CreditTotal,
    LimitativeTotal,
    TotalKey,
)
from shared.vocabulary import BodyKind, FinancialImpact, LegalEntity

__all__ = [
    "SqlCommitments",
    "SqlCredits",
    "SqlDelegations",
    "SqlPaymentOrders",
    "SqlTotals",
    "SqlVisums",
    "credit_row",
]


def credit_row(credit: Credit) -> dict[str, Any]:
    return {
        "id": credit.credit_id,
        "entity": credit.entity.value,
        "financial_year": credit.financial_year,
        "total": credit.total.value,
        "economic_account": credit.economic_account,
        "policy_field": credit.policy_field,
        "action": credit.action,
        "investment_project": credit.investment_project,
        "description": credit.description,
        "amount": credit.amount,
        "committed": credit.committed,
    }


def _credit(row: Any) -> Credit:
    return Credit(
        credit_id=row.id,
        entity=LegalEntity(row.entity),
        financial_year=row.financial_year,
        total=CreditTotal(row.total),
        economic_account=row.economic_account,
        policy_field=row.policy_field,
        action=row.action,
        investment_project=row.investment_project,
        description=row.description,
        amount=row.amount,
        committed=row.committed,
    )


def _commitment(row: Any) -> Commitment:
    return Commitment(
        commitment_id=row.commitment_id,
        decision_id=row.decision_id,
        entity=LegalEntity(row.entity),
        economic_account=row.economic_account,
        policy_field=row.policy_field,
        action=row.action,
        financial_year=row.financial_year,
        amount=row.amount,
        third_party=row.third_party,
        credit_key=row.credit_key,
        created_at=row.created_at,
        item_id=row.item_id,
        investment_project=row.investment_project,
        delegation_id=row.delegation_id,
        recorded_by=row.recorded_by,
        reason=row.reason,
        ordered=row.ordered,
        paid=row.paid,
        credit_required=row.credit_required,
    )


class SqlCredits:
    """`Credits` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, credit: Credit) -> None:
        await self._session.execute(insert(credit_table).values(**credit_row(credit)))

    async def get(self, key: CreditKey) -> Credit | None:
        return await self._get(key, for_update=False)

    async def _get(self, key: CreditKey, *, for_update: bool) -> Credit | None:
        entity, financial_year, economic_account, policy_field, action = key
        stmt = select(credit_table).where(
            credit_table.c.entity == entity.value,
            credit_table.c.financial_year == financial_year,
            credit_table.c.economic_account == economic_account,
            credit_table.c.policy_field == policy_field,
            credit_table.c.action == action,
        )
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return _credit(row) if row else None

    async def lock(self, keys: Sequence[CreditKey]) -> list[Credit]:
        ordered = sorted(set(keys), key=lambda k: (k[0].value, *k[1:]))
        found: list[Credit] = []
        for key in ordered:  # one by one, in key order
            credit = await self._get(key, for_update=True)
            if credit is not None:
                found.append(credit)
        return found

    async def update(self, credit: Credit) -> None:
        """The estimate changes by budget changes and adjustments, `committed` by commitments."""
        await self._session.execute(
            update(credit_table)
            .where(credit_table.c.id == credit.credit_id)
            .values(amount=credit.amount, committed=credit.committed)
        )

    async def of_entity(self, entity: LegalEntity | None = None) -> list[Credit]:
        stmt = select(credit_table)
        if entity is not None:
            stmt = stmt.where(credit_table.c.entity == entity.value)
        return [_credit(row) for row in await self._session.execute(stmt)]


class SqlCommitments:
    """`Commitments` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, commitment: Commitment) -> None:
        credit_id = select(credit_table.c.id).where(
            credit_table.c.entity == commitment.entity.value,
            credit_table.c.financial_year == commitment.financial_year,
            credit_table.c.economic_account == commitment.economic_account,
            credit_table.c.policy_field == commitment.policy_field,
            credit_table.c.action == (commitment.action or ""),
        )
        await self._session.execute(
            insert(commitment_table).values(
                commitment_id=commitment.commitment_id,
                decision_id=commitment.decision_id,
                credit_id=credit_id.scalar_subquery() if commitment.credit_required else None,
                credit_required=commitment.credit_required,
                entity=commitment.entity.value,
                economic_account=commitment.economic_account,
                policy_field=commitment.policy_field,
                action=commitment.action,
                financial_year=commitment.financial_year,
                amount=commitment.amount,
                third_party=commitment.third_party,
                credit_key=commitment.credit_key,
                created_at=commitment.created_at,
                item_id=commitment.item_id,
                investment_project=commitment.investment_project,
                delegation_id=commitment.delegation_id,
                recorded_by=commitment.recorded_by,
                reason=commitment.reason,
                ordered=commitment.ordered,
                paid=commitment.paid,
            )
        )

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None:
        stmt = select(commitment_table).where(commitment_table.c.decision_id == decision_id)
        row = (await self._session.execute(stmt)).one_or_none()
        return _commitment(row) if row else None

    async def get(self, commitment_id: uuid.UUID, *, for_update: bool = False) -> Commitment | None:
        stmt = select(commitment_table).where(commitment_table.c.commitment_id == commitment_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return _commitment(row) if row else None

    async def update(self, commitment: Commitment) -> None:
        await self._session.execute(
            update(commitment_table)
            .where(commitment_table.c.commitment_id == commitment.commitment_id)
            .values(ordered=commitment.ordered, paid=commitment.paid)
        )

    async def all(self, entity: LegalEntity | None = None) -> list[Commitment]:
        stmt = select(commitment_table).order_by(commitment_table.c.created_at)
        if entity is not None:
            stmt = stmt.where(commitment_table.c.entity == entity.value)
        return [_commitment(row) for row in await self._session.execute(stmt)]


def _total(row: Any) -> LimitativeTotal:
    return LimitativeTotal(
        entity=LegalEntity(row.entity),
        financial_year=row.financial_year,
        total=CreditTotal(row.total),
        amount=row.amount,
        committed=row.committed,
    )


class SqlTotals:
    """`Totals`: one row per entity, year and limitative total; locked before any credit."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock(self, keys: Sequence[TotalKey], *, create: bool = True) -> list[LimitativeTotal]:
        ordered = sorted(set(keys), key=lambda k: (k[0].value, k[1], k[2].value))
        if not ordered:
            return []
        if create:
            await self._session.execute(
                pg_insert(total_table)
                .values(
                    [
                        {"entity": e.value, "financial_year": y, "total": t.value, "amount": ZERO, "committed": ZERO}
                        for e, y, t in ordered
                    ]
                )
                .on_conflict_do_nothing()
            )
        found: list[LimitativeTotal] = []
        for key in ordered:  # one by one: the lock order is the key order
            total = await self._get(key, for_update=True)
            if total is not None:
                found.append(total)
        return found

    async def _get(self, key: TotalKey, *, for_update: bool) -> LimitativeTotal | None:
        entity, year, total = key
        stmt = select(total_table).where(
            total_table.c.entity == entity.value,
            total_table.c.financial_year == year,
            total_table.c.total == total.value,
        )
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return _total(row) if row else None

    async def get(self, key: TotalKey) -> LimitativeTotal | None:
        return await self._get(key, for_update=False)

    async def update(self, total: LimitativeTotal) -> None:
        await self._session.execute(
            update(total_table)
            .where(
                total_table.c.entity == total.entity.value,
                total_table.c.financial_year == total.financial_year,
                total_table.c.total == total.total.value,
            )
            .values(amount=total.amount, committed=total.committed)
        )

    async def all(self, entity: LegalEntity | None = None) -> list[LimitativeTotal]:
        stmt = select(total_table)
        if entity is not None:
            stmt = stmt.where(total_table.c.entity == entity.value)
        return [_total(row) for row in await self._session.execute(stmt)]


def _order(row: Any) -> PaymentOrder:
    return PaymentOrder(
        payment_order_id=row.payment_order_id,
        commitment_id=row.commitment_id,
        entity=LegalEntity(row.entity),
        amount=row.amount,
        ordered_by=row.ordered_by,
        reference=row.reference,
        ordered_at=row.ordered_at,
        status=PaymentStatus(row.status),
        paid_on=row.paid_on,
    )


class SqlPaymentOrders:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, order: PaymentOrder) -> None:
        await self._session.execute(
            insert(payment_order_table).values(
                payment_order_id=order.payment_order_id,
                commitment_id=order.commitment_id,
                entity=order.entity.value,
                amount=order.amount,
                ordered_by=order.ordered_by,
                reference=order.reference,
                ordered_at=order.ordered_at,
                status=order.status.value,
                paid_on=order.paid_on,
            )
        )

    async def get(self, payment_order_id: uuid.UUID, *, for_update: bool = False) -> PaymentOrder | None:
        stmt = select(payment_order_table).where(payment_order_table.c.payment_order_id == payment_order_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return _order(row) if row else None

    async def update(self, order: PaymentOrder) -> None:
        await self._session.execute(
            update(payment_order_table)
            .where(payment_order_table.c.payment_order_id == order.payment_order_id)
            .values(status=order.status.value, paid_on=order.paid_on)
        )


def _visum(row: Any, overruling: Any | None = None) -> Visum:
    return Visum(
        visum_id=row.visum_id,
        item_id=row.item_id,
        entity=LegalEntity(row.entity),
        amount=row.amount,
        credit_key=row.credit_key,
        requested_at=row.requested_at,
        status=VisumStatus(row.status),
        conditions=tuple(row.conditions),
        reasons=tuple(row.reasons),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        overruling_decision_id=overruling.decision_id if overruling is not None else None,
        overruled_by_body=BodyKind(overruling.body) if overruling is not None else None,
        overruled_at=overruling.overruled_at if overruling is not None else None,
        blocked_decision_id=row.blocked_decision_id,
        blocked_impact=FinancialImpact.model_validate_json(row.blocked_impact) if row.blocked_impact else None,
        intended=_intended_of(row.intended),
        commitment_id=row.commitment_id,
    )


def _intended_json(intended: IntendedCommitment | None) -> str | None:
    if intended is None:
        return None
    return json.dumps(
        {
            "person_id": intended.person_id,
            "impact": intended.impact.model_dump(mode="json"),
            "third_party": intended.third_party,
            "reason": intended.reason,
            "delegation_id": str(intended.delegation_id),
        }
    )


def _intended_of(text: str | None) -> IntendedCommitment | None:
    if not text:
        return None
    data = json.loads(text)
    return IntendedCommitment(
        person_id=data["person_id"],
        impact=FinancialImpact.model_validate(data["impact"]),
        third_party=data["third_party"],
        reason=data["reason"],
        delegation_id=uuid.UUID(data["delegation_id"]),
    )


class SqlVisums:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _values(self, visum: Visum) -> dict[str, Any]:
        return {
            "status": visum.status.value,
            "conditions": list(visum.conditions),
            "reasons": list(visum.reasons),
            "decided_by": visum.decided_by,
            "decided_at": visum.decided_at,
            "blocked_decision_id": visum.blocked_decision_id,
            "blocked_impact": visum.blocked_impact.model_dump_json() if visum.blocked_impact else None,
            "commitment_id": visum.commitment_id,
        }

    async def add(self, visum: Visum) -> None:
        await self._session.execute(
            pg_insert(visum_table)
            .values(
                visum_id=visum.visum_id,
                item_id=visum.item_id,
                entity=visum.entity.value,
                amount=visum.amount,
                credit_key=visum.credit_key,
                requested_at=visum.requested_at,
                intended=_intended_json(visum.intended),
                **self._values(visum),
            )
            .on_conflict_do_nothing(index_elements=["item_id"])
        )

    async def for_item(self, item_id: uuid.UUID, *, for_update: bool = False) -> Visum | None:
        stmt = select(visum_table).where(visum_table.c.item_id == item_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        if row is None:
            return None
        over = (
            await self._session.execute(select(overruling_table).where(overruling_table.c.visum_id == row.visum_id))
        ).one_or_none()
        return _visum(row, over)

    async def update(self, visum: Visum) -> None:
        await self._session.execute(
            update(visum_table).where(visum_table.c.visum_id == visum.visum_id).values(**self._values(visum))
        )

    async def add_overruling(self, overruling_id: uuid.UUID, visum: Visum) -> None:
        assert visum.overruling_decision_id is not None
        assert visum.overruled_by_body is not None
        assert visum.overruled_at is not None
        await self._session.execute(
            insert(overruling_table).values(
                overruling_id=overruling_id,
                visum_id=visum.visum_id,
                item_id=visum.item_id,
                decision_id=visum.overruling_decision_id,
                body=visum.overruled_by_body.value,
                entity=visum.entity.value,
                amount=visum.amount,
                overruled_at=visum.overruled_at,
            )
        )

    async def all(self, entity: LegalEntity | None = None) -> list[Visum]:
        stmt = select(
            visum_table,
            overruling_table.c.decision_id.label("o_decision"),
            overruling_table.c.body.label("o_body"),
            overruling_table.c.overruled_at.label("o_at"),
        ).select_from(visum_table.outerjoin(overruling_table, overruling_table.c.visum_id == visum_table.c.visum_id))
        if entity is not None:
            stmt = stmt.where(visum_table.c.entity == entity.value)
        found = []
        for row in await self._session.execute(stmt):
            over = None
            if row.o_decision is not None:
                over = SimpleNamespace(decision_id=row.o_decision, body=row.o_body, overruled_at=row.o_at)
            found.append(_visum(row, over))
        return found


def _delegation(row: Any) -> BudgetHolderDelegation:
    return BudgetHolderDelegation(
        delegation_id=row.delegation_id,
        to_person_id=row.to_person_id,
        entity=LegalEntity(row.entity) if row.entity else None,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        policy_field=row.policy_field,
        economic_account=row.economic_account,
        action=row.action,
        max_amount=row.max_amount,
        revoked_at=row.revoked_at,
    )


class SqlDelegations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def grant(self, delegation: BudgetHolderDelegation) -> None:
        values = {
            "to_person_id": delegation.to_person_id,
            "entity": delegation.entity.value if delegation.entity else None,
            "valid_from": delegation.valid_from,
            "valid_until": delegation.valid_until,
            "policy_field": delegation.policy_field,
            "economic_account": delegation.economic_account,
            "action": delegation.action,
            "max_amount": delegation.max_amount,
        }
        await self._session.execute(
            pg_insert(delegation_table)
            .values(delegation_id=delegation.delegation_id, **values)
            .on_conflict_do_update(index_elements=["delegation_id"], set_=values)
        )

    async def revoke(self, delegation_id: uuid.UUID, to_person_id: str, revoked_at: dt.datetime) -> None:
        await self._session.execute(
            pg_insert(delegation_table)
            .values(delegation_id=delegation_id, to_person_id=to_person_id, revoked_at=revoked_at)
            .on_conflict_do_update(index_elements=["delegation_id"], set_={"revoked_at": revoked_at})
        )

    async def of_person(self, person_id: str) -> list[BudgetHolderDelegation]:
        stmt = select(delegation_table).where(delegation_table.c.to_person_id == person_id)
        return [_delegation(row) for row in await self._session.execute(stmt)]
