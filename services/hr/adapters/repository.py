"""HR effects, staff, employments and delegations in PostgreSQL (the personal records are in `records`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import literal_column, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.hr.adapters.tables import delegations, employments, hr_effects, staff
from services.hr.domain.delegations import Delegation
from services.hr.domain.model import HrEffect, StaffMember, Statute
from services.hr.domain.personnel import Employment
from services.hr.service_layer.ports import StaffLoad
from shared.vocabulary import BodyKind, BudgetHolderScope, DelegationPower, LegalEntity

__all__ = ["SqlDelegations", "SqlEmployments", "SqlHrEffects", "SqlStaff"]


class SqlHrEffects:
    """`HrEffects` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, effect: HrEffect) -> bool:
        """Record the effect; False when the decision already has one."""
        stmt = (
            pg_insert(hr_effects)
            .values(
                effect_id=effect.effect_id,
                decision_id=effect.decision_id,
                kind=effect.kind.value,
                entity=effect.entity.value,
                title=effect.title,
                recorded_at=effect.recorded_at,
                status=effect.status.value,
                reason=effect.reason,
                detail=effect.detail,
            )
            .on_conflict_do_nothing(index_elements=[hr_effects.c.decision_id])
            .returning(hr_effects.c.effect_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def exists(self, decision_id: uuid.UUID) -> bool:
        """Whether the decision was handled before."""
        found = await self._session.scalar(
            select(hr_effects.c.effect_id).where(hr_effects.c.decision_id == decision_id)
        )
        return found is not None


class SqlStaff:
    """Staff members over a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(self, members: Sequence[StaffMember]) -> StaffLoad:
        """Insert new members and bring changed ones in line; identical rows are left alone."""
        if not members:
            return StaffLoad(0, 0, 0)
        new = pg_insert(staff).values(
            [
                {
                    "person_id": m.person_id,
                    "name": m.name,
                    "grade": m.grade,
                    "entity": m.entity.value,
                    "statute": m.statute.value,
                    "role": m.role,
                }
                for m in members
            ]
        )
        columns = ("name", "grade", "entity", "statute", "role")
        stmt = new.on_conflict_do_update(
            index_elements=[staff.c.person_id],
            set_={c: new.excluded[c] for c in columns},
            where=tuple_(*(staff.c[c] for c in columns)).is_distinct_from(tuple_(*(new.excluded[c] for c in columns))),
        ).returning(staff.c.person_id, literal_column("(xmax = 0)").label("inserted"))
        rows = (await self._session.execute(stmt)).all()
        inserted = sum(1 for r in rows if r.inserted)
        return StaffLoad(inserted=inserted, updated=len(rows) - inserted, unchanged=len(members) - len(rows))

    async def get(self, person_id: str) -> StaffMember | None:
        row = (await self._session.execute(select(staff).where(staff.c.person_id == person_id))).first()
        return None if row is None else _member(row)

    async def save(self, member: StaffMember) -> None:
        await self.upsert([member])

    async def all(self, entity: LegalEntity | None = None) -> list[StaffMember]:
        stmt = select(staff).order_by(staff.c.name)
        if entity is not None:
            stmt = stmt.where(staff.c.entity == entity.value)
        return [_member(r) for r in (await self._session.execute(stmt)).all()]


def _member(row: Any) -> StaffMember:
    return StaffMember(
        person_id=row.person_id,
        name=row.name,
        grade=row.grade,
        entity=LegalEntity(row.entity),
        statute=Statute(row.statute),
        role=row.role,
    )


def _employment(row: Any) -> Employment:
    return Employment(
        employment_id=row.employment_id,
        person_id=row.person_id,
        person_name=row.person_name,
        entity=LegalEntity(row.entity),
        position=row.position,
        unit_code=row.unit_code,
        grade=row.grade,
        statutory=row.statutory,
        start_date=row.start_date,
        end_date=row.end_date,
        decision_id=row.decision_id,
        works_for=tuple(LegalEntity(e) for e in row.works_for),
    )


class SqlEmployments:
    """Employments per entity; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, employment: Employment) -> None:
        e = employment
        await self._session.execute(
            pg_insert(employments)
            .values(
                employment_id=e.employment_id,
                person_id=e.person_id,
                person_name=e.person_name,
                entity=e.entity.value,
                position=e.position,
                unit_code=e.unit_code,
                grade=e.grade,
                statutory=e.statutory,
                start_date=e.start_date,
                end_date=e.end_date,
                decision_id=e.decision_id,
                works_for=[w.value for w in e.works_for],
            )
            .on_conflict_do_nothing(index_elements=[employments.c.employment_id])
        )

    async def save(self, employment: Employment, dismissal_decision_id: uuid.UUID | None = None) -> None:
        await self._session.execute(
            update(employments)
            .where(employments.c.employment_id == employment.employment_id)
            .values(end_date=employment.end_date, dismissal_decision_id=dismissal_decision_id)
        )

    async def of_person(self, person_id: str) -> list[Employment]:
        stmt = select(employments).where(employments.c.person_id == person_id).order_by(employments.c.start_date)
        return [_employment(r) for r in (await self._session.execute(stmt)).all()]


def _delegation(row: Any) -> Delegation:
    return Delegation(
        delegation_id=row.delegation_id,
        from_body=BodyKind(row.from_body) if row.from_body else None,
        from_person_id=row.from_person_id,
        to_person_id=row.to_person_id,
        to_body=BodyKind(row.to_body) if row.to_body else None,
        power=DelegationPower(row.power),
        entity=LegalEntity(row.entity),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        budget_scope=BudgetHolderScope.model_validate(row.budget_scope) if row.budget_scope else None,
        scope=dict(row.scope or {}),
        decision_id=row.decision_id,
        parent_delegation_id=row.parent_delegation_id,
        granted_at=row.granted_at,
        revoked_at=row.revoked_at,
        revoke_reason=row.revoke_reason,
    )


class SqlDelegations:
    """Delegations; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, delegation: Delegation) -> None:
        d = delegation
        await self._session.execute(
            pg_insert(delegations).values(
                delegation_id=d.delegation_id,
                from_body=d.from_body.value if d.from_body else None,
                from_person_id=d.from_person_id,
                to_person_id=d.to_person_id,
                to_body=d.to_body.value if d.to_body else None,
                power=d.power.value,
                entity=d.entity.value,
                valid_from=d.valid_from,
                valid_until=d.valid_until,
                budget_scope=d.budget_scope.model_dump(mode="json") if d.budget_scope else None,
                scope=dict(d.scope),
                decision_id=d.decision_id,
                parent_delegation_id=d.parent_delegation_id,
                granted_at=d.granted_at,
                revoked_at=d.revoked_at,
                revoke_reason=d.revoke_reason,
            )
        )

    async def get(self, delegation_id: uuid.UUID) -> Delegation | None:
        stmt = select(delegations).where(delegations.c.delegation_id == delegation_id).with_for_update()
        row = (await self._session.execute(stmt)).first()
        return None if row is None else _delegation(row)

    async def save(self, delegation: Delegation) -> None:
        await self._session.execute(
            update(delegations)
            .where(delegations.c.delegation_id == delegation.delegation_id)
            .values(revoked_at=delegation.revoked_at, revoke_reason=delegation.revoke_reason)
        )

    async def children(self, delegation_id: uuid.UUID) -> list[Delegation]:
        stmt = select(delegations).where(delegations.c.parent_delegation_id == delegation_id).with_for_update()
        return [_delegation(r) for r in (await self._session.execute(stmt)).all()]

    async def all(self) -> list[Delegation]:
        stmt = select(delegations).order_by(delegations.c.valid_from, delegations.c.delegation_id)
        return [_delegation(r) for r in (await self._session.execute(stmt)).all()]
