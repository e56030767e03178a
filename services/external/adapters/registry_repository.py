"""The registry of external entities, their representatives, agreements and deadlines, in PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.external.adapters.tables import deadlines, external_entities, management_agreements, representations
from services.external.domain.deadlines import Deadline
from services.external.domain.registry import ExternalEntity, ManagementAgreement, Representation
from shared.vocabulary import (
    DeadlineKind,
    DeadlineOutcome,
    DeadlineStatus,
    Involvement,
    LegalEntity,
    LegalForm,
    SilenceMeans,
)

__all__ = ["SqlDeadlines", "SqlExternalEntities", "SqlManagementAgreements", "SqlRepresentations"]


def _entity(row: Any) -> ExternalEntity:
    return ExternalEntity(
        entity_id=row.entity_id,
        code=row.code,
        name=row.name,
        legal_form=LegalForm(row.legal_form),
        kbo=row.kbo,
        involvements=frozenset(Involvement(i) for i in row.involvements),
        municipal_entity=LegalEntity(row.municipal_entity),
        registered_at=row.registered_at,
    )


class SqlExternalEntities:
    """`ExternalEntities` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entity: ExternalEntity) -> bool:
        stmt = (
            pg_insert(external_entities)
            .values(
                entity_id=entity.entity_id,
                code=entity.code,
                name=entity.name,
                legal_form=entity.legal_form.value,
                kbo=entity.kbo,
                involvements=sorted(i.value for i in entity.involvements),
                municipal_entity=entity.municipal_entity.value,
                registered_at=entity.registered_at,
            )
            .on_conflict_do_nothing()
            .returning(external_entities.c.entity_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def by_code(self, code: str) -> ExternalEntity | None:
        row = (await self._session.execute(select(external_entities).where(external_entities.c.code == code))).first()
        return None if row is None else _entity(row)

    async def by_id(self, entity_id: uuid.UUID) -> ExternalEntity | None:
        stmt = select(external_entities).where(external_entities.c.entity_id == entity_id)
        row = (await self._session.execute(stmt)).first()
        return None if row is None else _entity(row)

    async def all(self) -> list[ExternalEntity]:
        rows = await self._session.execute(select(external_entities).order_by(external_entities.c.code))
        return [_entity(r) for r in rows]


def _representation(row: Any) -> Representation:
    return Representation(
        representation_id=row.representation_id,
        entity_id=row.entity_id,
        person_id=row.person_id,
        person_name=row.person_name,
        role=row.role,
        decision_id=row.decision_id,
        term_start=row.term_start,
        term_end=row.term_end,
        replaces_person_id=row.replaces_person_id,
        ended_on=row.ended_on,
    )


class SqlRepresentations:
    """`Representations` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, representation: Representation) -> bool:
        r = representation
        stmt = (
            pg_insert(representations)
            .values(
                representation_id=r.representation_id,
                entity_id=r.entity_id,
                person_id=r.person_id,
                person_name=r.person_name,
                role=r.role,
                decision_id=r.decision_id,
                term_start=r.term_start,
                term_end=r.term_end,
                replaces_person_id=r.replaces_person_id,
                ended_on=r.ended_on,
            )
            .on_conflict_do_nothing(constraint="one_designation_per_decision")
            .returning(representations.c.representation_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def current(self, entity_id: uuid.UUID, person_id: str) -> Representation | None:
        stmt = (
            select(representations)
            .where(
                representations.c.entity_id == entity_id,
                representations.c.person_id == person_id,
                representations.c.ended_on.is_(None),
            )
            .order_by(representations.c.term_start.desc(), representations.c.representation_id)
            .limit(1)
            .with_for_update()
        )
        row = (await self._session.execute(stmt)).first()
        return None if row is None else _representation(row)

    async def end(self, representation_id: uuid.UUID, ended_on: dt.date) -> None:
        await self._session.execute(
            update(representations)
            .where(representations.c.representation_id == representation_id)
            .values(ended_on=ended_on)
        )

    async def of_entity(self, entity_id: uuid.UUID) -> list[Representation]:
        stmt = (
            select(representations)
            .where(representations.c.entity_id == entity_id)
            .order_by(representations.c.term_start, representations.c.person_id, representations.c.representation_id)
        )
        return [_representation(r) for r in await self._session.execute(stmt)]


class SqlManagementAgreements:
    """`ManagementAgreements` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, agreement: ManagementAgreement) -> bool:
        a = agreement
        stmt = (
            pg_insert(management_agreements)
            .values(
                agreement_id=a.agreement_id,
                entity_id=a.entity_id,
                title=a.title,
                decision_id=a.decision_id,
                valid_from=a.valid_from,
                valid_until=a.valid_until,
                report_due_dates=[d.isoformat() for d in a.report_due_dates],
            )
            .on_conflict_do_nothing(constraint="one_agreement_per_decision")
            .returning(management_agreements.c.agreement_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None


def _deadline(row: Any) -> Deadline:
    return Deadline(
        deadline_id=row.deadline_id,
        entity_id=row.entity_id,
        kind=DeadlineKind(row.kind),
        title=row.title,
        opened_on=row.opened_on,
        due_on=row.due_on,
        silence=SilenceMeans(row.silence),
        status=DeadlineStatus(row.status),
        outcome=None if row.outcome is None else DeadlineOutcome(row.outcome),
        closed_on=row.closed_on,
        decision_id=row.decision_id,
        agreement_id=row.agreement_id,
    )


def _ending(d: Deadline) -> dict[str, Any]:
    return {
        "status": d.status.value,
        "outcome": None if d.outcome is None else d.outcome.value,
        "closed_on": d.closed_on,
        "decision_id": d.decision_id,
    }


class SqlDeadlines:
    """`Deadlines` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, deadline: Deadline) -> None:
        d = deadline
        await self._session.execute(
            pg_insert(deadlines).values(
                deadline_id=d.deadline_id,
                entity_id=d.entity_id,
                kind=d.kind.value,
                title=d.title,
                opened_on=d.opened_on,
                due_on=d.due_on,
                silence=d.silence.value,
                agreement_id=d.agreement_id,
                **_ending(d),
            )
        )

    async def get(self, deadline_id: uuid.UUID) -> Deadline | None:
        stmt = select(deadlines).where(deadlines.c.deadline_id == deadline_id).with_for_update()
        row = (await self._session.execute(stmt)).first()
        return None if row is None else _deadline(row)

    async def save(self, deadline: Deadline) -> None:
        await self._session.execute(
            update(deadlines).where(deadlines.c.deadline_id == deadline.deadline_id).values(**_ending(deadline))
        )

    async def open_due_before(self, day: dt.date) -> list[Deadline]:
        stmt = (
            select(deadlines)
            .where(deadlines.c.status == DeadlineStatus.OPEN.value, deadlines.c.due_on < day)
            .order_by(deadlines.c.due_on, deadlines.c.deadline_id)
            .with_for_update(skip_locked=True)
        )
        return [_deadline(r) for r in await self._session.execute(stmt)]

    async def listing(
        self, *, entity_id: uuid.UUID | None = None, status: DeadlineStatus | None = None
    ) -> list[Deadline]:
        stmt = select(deadlines).order_by(deadlines.c.due_on, deadlines.c.title, deadlines.c.deadline_id)
        if entity_id is not None:
            stmt = stmt.where(deadlines.c.entity_id == entity_id)
        if status is not None:
            stmt = stmt.where(deadlines.c.status == status.value)
        return [_deadline(r) for r in await self._session.execute(stmt)]
