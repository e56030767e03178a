"""Organogram, mandates, tasks and the hr read model in PostgreSQL; repositories never commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.organisation.adapters.tables import (
    delegates,
    executed_decisions,
    mandates,
    organogram_units,
    organogram_versions,
    persons,
    scan_runs,
    task_comments,
    tasks,
)
from services.organisation.domain.mandates import Mandate
from services.organisation.domain.model import Delegate, FollowUpTask, Organogram, Person, TaskStatus, Unit
from services.organisation.service_layer.ports import TaskComment
from shared.vocabulary import BodyKind, Confidentiality, FollowUpKind, LegalEntity, MandateRole, MandateStatus

__all__ = ["SqlDelegates", "SqlMandates", "SqlOrganograms", "SqlPersons", "SqlScans", "SqlTasks"]


class SqlOrganograms:
    """Organogram versions (small: a version is loaded whole)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _persons(self) -> dict[str, Person]:
        rows = (await self._session.execute(select(persons))).all()
        return {r.person_id: _person(r) for r in rows}

    async def _load(self, version: int, valid_from: dt.date | None, *, draft: bool = False) -> Organogram:
        rows = (
            await self._session.execute(select(organogram_units).where(organogram_units.c.version == version))
        ).all()
        units = {r.code: Unit(r.code, r.name, r.parent, r.head_person_id, r.management_team) for r in rows}
        roots = [u.code for u in units.values() if u.parent is None]
        return Organogram(
            units=units,
            persons=await self._persons(),
            root=roots[0] if roots else "MT",
            version=version,
            valid_from=valid_from,
            draft=draft,
        )

    async def at(self, on: dt.date) -> Organogram:
        """The applied version valid on `on` (the latest one starting on or before it)."""
        v = organogram_versions.c
        row = (
            await self._session.execute(
                select(v.version, v.valid_from)
                .where(v.status == "applied", v.valid_from <= on)
                .order_by(v.valid_from.desc(), v.version.desc())
                .limit(1)
            )
        ).first()
        if row is None:
            return Organogram(units={}, persons=await self._persons())
        return await self._load(row.version, row.valid_from)

    async def _next_version(self) -> int:
        # Serialise version numbering: concurrent drafts and applications wait for each other.
        await self._session.execute(select(func.pg_advisory_xact_lock(7_001_001)))
        highest = await self._session.scalar(select(func.max(organogram_versions.c.version)))
        return int(highest or 0) + 1

    async def _insert_units(self, version: int, units: Sequence[Unit]) -> None:
        await self._session.execute(
            insert(organogram_units),
            [
                {
                    "version": version,
                    "code": u.code,
                    "name": u.name,
                    "parent": u.parent,
                    "head_person_id": u.head,
                    "management_team": u.management_team,
                }
                for u in units
            ],
        )

    async def save_draft(self, units: Sequence[Unit]) -> int:
        version = await self._next_version()
        await self._session.execute(insert(organogram_versions).values(version=version, status="draft"))
        await self._insert_units(version, units)
        return version

    async def apply(self, valid_from: dt.date, units: Sequence[Unit], decision_id: uuid.UUID | None) -> int:
        version = await self._next_version()
        await self._session.execute(
            insert(organogram_versions).values(
                version=version, status="applied", valid_from=valid_from, decision_id=decision_id
            )
        )
        await self._insert_units(version, units)
        return version

    async def drafts(self) -> list[int]:
        v = organogram_versions.c
        rows = await self._session.execute(select(v.version).where(v.status == "draft").order_by(v.version))
        return [int(r.version) for r in rows]

    async def version(self, version: int) -> Organogram | None:
        v = organogram_versions.c
        row = (await self._session.execute(select(v.status, v.valid_from).where(v.version == version))).first()
        if row is None:
            return None
        return await self._load(version, row.valid_from, draft=row.status == "draft")

    async def apply_draft(self, version: int, valid_from: dt.date, decision_id: uuid.UUID | None) -> bool:
        v = organogram_versions.c
        row = (
            await self._session.execute(
                update(organogram_versions)
                .where(v.status == "draft", v.version == version)
                .values(status="applied", valid_from=valid_from, decision_id=decision_id)
                .returning(v.version)
            )
        ).first()
        return row is not None

    async def applied_by(self, decision_id: uuid.UUID) -> int | None:
        v = organogram_versions.c
        return await self._session.scalar(select(v.version).where(v.decision_id == decision_id))


class SqlPersons:
    """People who can own tasks."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, person_id: str) -> Person | None:
        row = (await self._session.execute(select(persons).where(persons.c.person_id == person_id))).first()
        return None if row is None else _person(row)

    async def upsert(self, person: Person) -> None:
        values = {"name": person.name, "active": person.active, "inactive_from": person.inactive_from}
        await self._session.execute(
            insert(persons)
            .values(person_id=person.person_id, **values)
            .on_conflict_do_update(index_elements=["person_id"], set_=values)
        )

    async def set_inactive_from(self, person_id: str, day: dt.date | None) -> None:
        await self._session.execute(update(persons).where(persons.c.person_id == person_id).values(inactive_from=day))


def _person(row: Any) -> Person:
    return Person(row.person_id, row.name, row.active, row.inactive_from)


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
        escalation_level=row.escalation_level,
        last_escalated_on=row.last_escalated_on,
        claimed_by=row.claimed_by,
        completed_by=row.completed_by,
        completed_at=row.completed_at,
        cancel_reason=row.cancel_reason,
        delegation_id=row.delegation_id,
        confidentiality=Confidentiality(row.confidentiality),
        district=row.district,
    )


def _task_values(task: FollowUpTask) -> dict[str, Any]:
    return {
        "decision_id": task.decision_id,
        "action_id": task.action_id,
        "kind": task.kind.value,
        "title": task.title,
        "entity": task.entity.value,
        "unit_code": task.unit_code,
        "owner_person_id": task.owner_person_id,
        "owner_name": task.owner_name,
        "due_date": task.due_date,
        "status": task.status.value,
        "created_at": task.created_at,
        "escalation_level": task.escalation_level,
        "last_escalated_on": task.last_escalated_on,
        "claimed_by": task.claimed_by,
        "completed_by": task.completed_by,
        "completed_at": task.completed_at,
        "cancel_reason": task.cancel_reason,
        "delegation_id": task.delegation_id,
        "confidentiality": task.confidentiality.value,
        "district": task.district,
    }


class SqlTasks:
    """Follow-up tasks; (decision, action) is unique so a task is never doubled."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_new(self, task: FollowUpTask) -> bool:
        stmt = (
            insert(tasks)
            .values(task_id=task.task_id, **_task_values(task))
            .on_conflict_do_nothing(constraint="one_task_per_action")
            .returning(tasks.c.task_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def get(self, task_id: uuid.UUID) -> FollowUpTask | None:
        """The task, locked for this transaction."""
        row = (await self._session.execute(select(tasks).where(tasks.c.task_id == task_id).with_for_update())).first()
        return None if row is None else _task(row)

    async def save(self, task: FollowUpTask) -> None:
        await self._session.execute(update(tasks).where(tasks.c.task_id == task.task_id).values(**_task_values(task)))

    async def of_decision(self, decision_id: uuid.UUID) -> list[FollowUpTask]:
        """Every task of a decision, locked so two completions decide execution one after the other."""
        rows = await self._session.execute(
            select(tasks).where(tasks.c.decision_id == decision_id).order_by(tasks.c.task_id).with_for_update()
        )
        return [_task(r) for r in rows.all()]

    async def unfinished_due_before(self, day: dt.date, limit: int = 500) -> list[FollowUpTask]:
        """Open, in-progress or overdue tasks due before `day`, locked; others skip them (SKIP LOCKED)."""
        stmt = (
            select(tasks)
            .where(
                tasks.c.due_date < day,
                tasks.c.status.in_([TaskStatus.OPEN.value, TaskStatus.IN_PROGRESS.value, TaskStatus.OVERDUE.value]),
            )
            .order_by(tasks.c.due_date, tasks.c.task_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_task(r) for r in (await self._session.execute(stmt)).all()]

    async def add_comment(self, comment: TaskComment) -> None:
        await self._session.execute(
            insert(task_comments).values(
                comment_id=comment.comment_id,
                task_id=comment.task_id,
                person_id=comment.person_id,
                text=comment.text,
                at=comment.at,
            )
        )

    async def comments(self, task_id: uuid.UUID) -> list[TaskComment]:
        rows = await self._session.execute(
            select(task_comments).where(task_comments.c.task_id == task_id).order_by(task_comments.c.at)
        )
        return [TaskComment(r.comment_id, r.task_id, r.person_id, r.text, r.at) for r in rows.all()]

    async def mark_executed(self, decision_id: uuid.UUID, at: dt.datetime) -> bool:
        stmt = (
            insert(executed_decisions)
            .values(decision_id=decision_id, executed_at=at)
            .on_conflict_do_nothing()
            .returning(executed_decisions.c.decision_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def list(
        self,
        *,
        decision_id: uuid.UUID | None = None,
        owner_person_id: str | None = None,
        unit_code: str | None = None,
        status: TaskStatus | None = None,
    ) -> list[FollowUpTask]:
        stmt = select(tasks).order_by(tasks.c.due_date, tasks.c.title)
        if decision_id is not None:
            stmt = stmt.where(tasks.c.decision_id == decision_id)
        if owner_person_id is not None:
            stmt = stmt.where(tasks.c.owner_person_id == owner_person_id)
        if unit_code is not None:
            stmt = stmt.where(tasks.c.unit_code == unit_code)
        if status is not None:
            stmt = stmt.where(tasks.c.status == status.value)
        return [_task(r) for r in (await self._session.execute(stmt.limit(1000))).all()]


def _mandate(row: Any) -> Mandate:
    return Mandate(
        mandate_id=row.mandate_id,
        person_id=row.person_id,
        person_name=row.person_name,
        body=BodyKind(row.body),
        entity=LegalEntity(row.entity),
        role=MandateRole(row.role),
        status=MandateStatus(row.status),
        voting=row.voting,
        start=row.start,
        end=row.end,
        linked_mandate_id=row.linked_mandate_id,
        end_reason=row.end_reason,
        status_since=row.status_since,
        group=row.group_name,
    )


def mandate_values(m: Mandate) -> dict[str, Any]:
    """A mandate as a row."""
    return {
        "mandate_id": m.mandate_id,
        "person_id": m.person_id,
        "person_name": m.person_name,
        "body": m.body.value,
        "entity": m.entity.value,
        "role": m.role.value,
        "status": m.status.value,
        "status_since": m.status_since,
        "voting": m.voting,
        "start": m.start,
        "end": m.end,
        "end_reason": m.end_reason,
        "linked_mandate_id": m.linked_mandate_id,
        "group_name": m.group,
    }


class SqlMandates:
    """Mandates of every body."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_new(self, mandate: Mandate) -> bool:
        stmt = (
            insert(mandates).values(**mandate_values(mandate)).on_conflict_do_nothing().returning(mandates.c.mandate_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def get(self, mandate_id: uuid.UUID) -> Mandate | None:
        stmt = select(mandates).where(mandates.c.mandate_id == mandate_id).with_for_update()
        row = (await self._session.execute(stmt)).first()
        return None if row is None else _mandate(row)

    async def save(self, mandate: Mandate) -> None:
        values = mandate_values(mandate)
        values.pop("mandate_id")
        await self._session.execute(update(mandates).where(mandates.c.mandate_id == mandate.mandate_id).values(values))

    async def list(
        self, *, body: BodyKind | None = None, person_id: str | None = None, on: dt.date | None = None
    ) -> list[Mandate]:
        m = mandates.c
        stmt = select(mandates).order_by(m.body, m.role, m.person_name)
        if body is not None:
            stmt = stmt.where(m.body == body.value)
        if person_id is not None:
            stmt = stmt.where(m.person_id == person_id)
        if on is not None:
            stmt = stmt.where(m.start <= on, (m.end.is_(None)) | (m.end >= on))
        return [_mandate(r) for r in (await self._session.execute(stmt)).all()]


class SqlDelegates:
    """Delegations known from hr (the read model for task owners)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(self, delegate: Delegate) -> None:
        values = {
            "from_person_id": delegate.from_person_id,
            "to_person_id": delegate.to_person_id,
            "power": delegate.power,
            "entity": delegate.entity.value,
            "valid_from": delegate.valid_from,
            "valid_until": delegate.valid_until,
        }
        await self._session.execute(
            insert(delegates)
            .values(delegation_id=delegate.delegation_id, **values)
            .on_conflict_do_update(index_elements=["delegation_id"], set_=values)
        )

    async def revoke(self, delegation_id: uuid.UUID, on: dt.date) -> None:
        await self._session.execute(
            update(delegates).where(delegates.c.delegation_id == delegation_id).values(revoked_on=on)
        )

    async def of_persons(self, person_ids: Sequence[str]) -> list[Delegate]:
        """Delegations granted by these persons."""
        rows = await self._session.execute(select(delegates).where(delegates.c.from_person_id.in_(list(person_ids))))
        return [
            Delegate(
                delegation_id=r.delegation_id,
                from_person_id=r.from_person_id,
                to_person_id=r.to_person_id,
                power=r.power,
                entity=LegalEntity(r.entity),
                valid_from=r.valid_from,
                valid_until=r.valid_until,
                revoked_on=r.revoked_on,
            )
            for r in rows.all()
        ]


class SqlScans:
    """The overdue scan's runs."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, as_of: dt.date, at: dt.datetime, overdue: int, escalated: int) -> None:
        values = {"scanned_at": at, "overdue": overdue, "escalated": escalated}
        await self._session.execute(
            insert(scan_runs).values(as_of=as_of, **values).on_conflict_do_update(index_elements=["as_of"], set_=values)
        )

    async def last(self) -> dt.date | None:
        last: dt.date | None = await self._session.scalar(select(func.max(scan_runs.c.as_of)))
        return last
