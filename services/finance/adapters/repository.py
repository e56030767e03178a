"""Credits and commitments in PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.adapters.tables import commitment_table, credit_table
from services.finance.domain.model import Commitment, Credit, CreditTotal
from shared.contracts.base import LegalEntity

__all__ = ["SqlCommitments", "SqlCredits", "credit_row"]


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
    )


class SqlCredits:
    """`Credits` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, credit: Credit) -> None:
        await self._session.execute(insert(credit_table).values(**credit_row(credit)))

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

    async def update(self, credit: Credit) -> None:
        """Only `committed` changes after the plan is loaded (budget changes come later)."""
        await self._session.execute(
            update(credit_table).where(credit_table.c.id == credit.credit_id).values(committed=credit.committed)
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
                credit_id=credit_id.scalar_subquery(),
                entity=commitment.entity.value,
                economic_account=commitment.economic_account,
                policy_field=commitment.policy_field,
                action=commitment.action,
                financial_year=commitment.financial_year,
                amount=commitment.amount,
                third_party=commitment.third_party,
                credit_key=commitment.credit_key,
                created_at=commitment.created_at,
            )
        )

    async def for_decision(self, decision_id: uuid.UUID) -> Commitment | None:
        stmt = select(commitment_table).where(commitment_table.c.decision_id == decision_id)
        row = (await self._session.execute(stmt)).one_or_none()
        return _commitment(row) if row else None
