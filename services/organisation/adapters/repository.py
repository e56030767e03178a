"""Organogram and tasks in PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.organisation.adapters.tables import persons, tasks, units
from services.organisation.domain.model import FollowUpTask, Organogram, Person, TaskStatus, Unit
from shared.contracts.base import LegalEntity
from shared.contracts.common import FollowUpKind

__all__ = ["SqlOrganograms", "SqlTasks"]


class SqlOrganograms:
    """Reads the current organogram (small: loaded whole)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def current(self) -> Organogram:
        unit_rows = (await self._session.execute(select(units))).all()
        person_rows = (await self._session.execute(select(persons))).all()
        return Organogram(
            units={r.code: Unit(r.code, r.name, r.parent, r.head_person_id) for r in unit_rows},
            persons={r.person_id: Person(r.person_id, r.name) for r in person_rows},
        )


def _task(row: Any) -> FollowUpTask:
    return FollowUpTask(
        task_id=row.task_id,
        decision_id=row.decision_id,
        action_id=row.action_id,
        kind=FollowUpKind(row.kind),
        title=row.title,
        entity=LegalEntity(row.entity),
        unit_code=row.unit_code,
        owner_person_id=row.owner_person_id,
        owner_name=row.owner_name,
        due_date=row.due_date,
        status=TaskStatus(row.status),
        created_at=row.created_at,
    )


class SqlTasks:
    """Follow-up tasks; (decision, action) is unique so a task is never doubled."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_new(self, task: FollowUpTask) -> bool:
        stmt = (
            insert(tasks)
            .values(
                task_id=task.task_id,
                decision_id=task.decision_id,
                action_id=task.action_id,
                kind=task.kind.value,
                title=task.title,
                entity=task.entity.value,
                unit_code=task.unit_code,
                owner_person_id=task.owner_person_id,
                owner_name=task.owner_name,
                due_date=task.due_date,
                status=task.status.value,
                created_at=task.created_at,
            )
            .on_conflict_do_nothing(constraint="one_task_per_action")
            .returning(tasks.c.task_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def list(
        self, *, decision_id: uuid.UUID | None = None, owner_person_id: str | None = None
    ) -> list[FollowUpTask]:
        stmt = select(tasks).order_by(tasks.c.due_date, tasks.c.title)
        if decision_id is not None:
            stmt = stmt.where(tasks.c.decision_id == decision_id)
        if owner_person_id is not None:
            stmt = stmt.where(tasks.c.owner_person_id == owner_person_id)
        return [_task(r) for r in (await self._session.execute(stmt.limit(1000))).all()]
