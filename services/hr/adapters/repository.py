"""HR effects and staff in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import literal_column, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.hr.adapters.tables import hr_effects, staff
from services.hr.domain.model import HrEffect, StaffMember

__all__ = ["SqlHrEffects", "SqlStaff", "StaffLoad"]


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
            )
            .on_conflict_do_nothing(index_elements=[hr_effects.c.decision_id])
            .returning(hr_effects.c.effect_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None


@dataclass(frozen=True)
class StaffLoad:
    """How a load changed the staff table."""

    inserted: int
    updated: int
    unchanged: int


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
