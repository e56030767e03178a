"""Meetings, committees, seats, consultations, decisions and the publication register in PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.meetings.adapters.tables import committees, consultations, decisions, meetings, publications, seats
from services.meetings.domain.committee import Committee
from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.documents import PublishedDocument, RegisterEntry
from services.meetings.domain.meeting import Meeting, MeetingStatus
from services.meetings.domain.members import Seat
from shared.vocabulary import BodyKind, MandateRole, MandateStatus

__all__ = ["SqlCommittees", "SqlConsultations", "SqlDecisions", "SqlMeetings", "SqlPublications", "SqlSeats"]

# Any constant: serialises appends to the publication register so its chain has no forks.
_REGISTER_LOCK = 0x52570001


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session


def _meeting_row(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting_id": meeting.meeting_id,
        "body": meeting.body.value,
        "entity": meeting.entity.value,
        "scheduled_at": meeting.scheduled_at,
        "status": meeting.status.value,
        "joint_group_id": meeting.joint_group_id,
        "document": meeting.model_dump(mode="json"),
    }


class SqlMeetings(_Repo):
    async def add(self, meeting: Meeting) -> None:
        await self._session.execute(insert(meetings).values(**_meeting_row(meeting)))

    async def get(self, meeting_id: uuid.UUID, *, for_update: bool = False) -> Meeting | None:
        stmt = select(meetings.c.document).where(meetings.c.meeting_id == meeting_id)
        if for_update:
            stmt = stmt.with_for_update()
        document = (await self._session.execute(stmt)).scalar_one_or_none()
        return Meeting.model_validate(document) if document is not None else None

    async def update(self, meeting: Meeting) -> None:
        values = _meeting_row(meeting)
        del values["meeting_id"]
        await self._session.execute(
            update(meetings).where(meetings.c.meeting_id == meeting.meeting_id).values(**values)
        )

    async def list(self, body: BodyKind | None, limit: int) -> Sequence[Meeting]:
        stmt = select(meetings.c.document).order_by(meetings.c.scheduled_at.desc()).limit(limit)
        if body is not None:
            stmt = stmt.where(meetings.c.body == body.value)
        return [Meeting.model_validate(d) for d in (await self._session.execute(stmt)).scalars()]

    async def closed_unlocked(self) -> Sequence[Meeting]:
        stmt = (
            select(meetings.c.document)
            .where(meetings.c.status == MeetingStatus.CLOSED.value, meetings.c.document["locked_at"].astext.is_(None))
            .order_by(meetings.c.scheduled_at)
        )
        return [Meeting.model_validate(d) for d in (await self._session.execute(stmt)).scalars()]


class SqlSeats(_Repo):
    async def upsert(self, seat: Seat) -> None:
        values = {
            "mandate_id": seat.mandate_id,
            "person_id": seat.person_id,
            "person_name": seat.person_name,
            "body": seat.body.value,
            "role": seat.role.value,
            "status": seat.status.value,
            "voting": seat.voting,
            "start": seat.start,
            "end": seat.end,
            "group_name": seat.group,
        }
        stmt = pg_insert(seats).values(**values)
        await self._session.execute(
            stmt.on_conflict_do_update(index_elements=[seats.c.mandate_id], set_={k: stmt.excluded[k] for k in values})
        )

    async def get(self, mandate_id: uuid.UUID) -> Seat | None:
        row = (await self._session.execute(select(seats).where(seats.c.mandate_id == mandate_id))).one_or_none()
        return _seat(row) if row else None

    async def of_body(self, body: BodyKind) -> Sequence[Seat]:
        rows = await self._session.execute(select(seats).where(seats.c.body == body.value))
        return [_seat(r) for r in rows]


def _seat(row: Any) -> Seat:
    return Seat(
        mandate_id=row.mandate_id,
        person_id=row.person_id,
        person_name=row.person_name,
        body=BodyKind(row.body),
        role=MandateRole(row.role),
        status=MandateStatus(row.status),
        voting=row.voting,
        start=row.start,
        end=row.end,
        group=row.group_name,
    )


class SqlCommittees(_Repo):
    async def add(self, committee: Committee) -> None:
        await self._session.execute(
            insert(committees).values(
                committee_id=committee.committee_id, name=committee.name, document=committee.model_dump(mode="json")
            )
        )

    async def get(self, committee_id: uuid.UUID) -> Committee | None:
        stmt = select(committees.c.document).where(committees.c.committee_id == committee_id)
        document = (await self._session.execute(stmt)).scalar_one_or_none()
        return Committee.model_validate(document) if document is not None else None

    async def all(self) -> Sequence[Committee]:
        stmt = select(committees.c.document).order_by(committees.c.name, committees.c.committee_id)
        return [Committee.model_validate(d) for d in (await self._session.execute(stmt)).scalars()]


class SqlConsultations(_Repo):
    async def record(self, consultation_id: uuid.UUID, *, concluded: bool, protocol: str | None) -> None:
        values = {"consultation_id": consultation_id, "concluded": concluded, "protocol_reference": protocol}
        stmt = pg_insert(consultations).values(**values)
        # A conclusion is never undone by a late "opened" event.
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[consultations.c.consultation_id],
                set_={
                    "concluded": consultations.c.concluded | stmt.excluded.concluded,
                    "protocol_reference": func.coalesce(
                        stmt.excluded.protocol_reference, consultations.c.protocol_reference
                    ),
                },
            )
        )

    async def concluded(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        if not ids:
            return set()
        stmt = select(consultations.c.consultation_id).where(
            consultations.c.consultation_id.in_(ids), consultations.c.concluded
        )
        return set((await self._session.execute(stmt)).scalars())


class SqlDecisions(_Repo):
    async def add(self, record: DecisionRecord) -> None:
        await self._session.execute(insert(decisions).values(**_decision_row(record)))

    async def update(self, record: DecisionRecord) -> None:
        values = _decision_row(record)
        del values["decision_id"]
        await self._session.execute(
            update(decisions).where(decisions.c.decision_id == record.decision_id).values(**values)
        )

    async def get(self, decision_id: uuid.UUID, *, for_update: bool = False) -> DecisionRecord | None:
        stmt = select(decisions.c.record).where(decisions.c.decision_id == decision_id)
        if for_update:
            stmt = stmt.with_for_update()
        record = (await self._session.execute(stmt)).scalar_one_or_none()
        return DecisionRecord.model_validate(record) if record is not None else None

    async def of_meeting(self, meeting_id: uuid.UUID) -> Sequence[DecisionRecord]:
        stmt = select(decisions.c.record).where(decisions.c.meeting_id == meeting_id).order_by(decisions.c.decided_at)
        return [DecisionRecord.model_validate(r) for r in (await self._session.execute(stmt)).scalars()]

    async def changing(self, decision_ids: Sequence[uuid.UUID]) -> Sequence[DecisionRecord]:
        if not decision_ids:
            return []
        named = or_(*(decisions.c.record.contains({"relations": [{"decision_id": str(i)}]}) for i in decision_ids))
        stmt = select(decisions.c.record).where(named).order_by(decisions.c.decided_at)
        return [DecisionRecord.model_validate(r) for r in (await self._session.execute(stmt)).scalars()]


def _decision_row(record: DecisionRecord) -> dict[str, Any]:
    return {
        "decision_id": record.decision_id,
        "item_id": record.item_id,
        "meeting_id": record.meeting_id,
        "body": record.body.value,
        "entity": record.entity.value,
        "outcome": record.outcome.value,
        "decided_at": record.decided_at,
        "record": record.model_dump(mode="json"),
    }


class SqlPublications(_Repo):
    async def lock(self) -> None:
        await self._session.execute(select(func.pg_advisory_xact_lock(_REGISTER_LOCK)))

    async def last_hash(self) -> str | None:
        stmt = select(publications.c.register_hash).order_by(publications.c.seq.desc()).limit(1)
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def add(self, entry: RegisterEntry) -> None:
        doc = entry.document
        await self._session.execute(
            insert(publications).values(
                document_id=doc.document_id,
                meeting_id=doc.meeting_id,
                kind=doc.kind.value,
                decision_id=doc.decision_id,
                title=doc.title,
                content=doc.model_dump(mode="json"),
                content_hash=entry.content_hash,
                register_hash=entry.register_hash,
                published_at=entry.published_at,
                due_on=doc.due_on,
                reportable=doc.reportable,
            )
        )

    async def of_meeting(self, meeting_id: uuid.UUID) -> Sequence[RegisterEntry]:
        stmt = select(publications).where(publications.c.meeting_id == meeting_id).order_by(publications.c.seq)
        return [_entry(r) for r in await self._session.execute(stmt)]

    async def all(self) -> Sequence[RegisterEntry]:
        return [_entry(r) for r in await self._session.execute(select(publications).order_by(publications.c.seq))]


def _entry(row: Any) -> RegisterEntry:
    return RegisterEntry(
        seq=row.seq,
        document=PublishedDocument.model_validate(row.content),
        content_hash=row.content_hash,
        register_hash=row.register_hash,
        published_at=row.published_at,
    )
