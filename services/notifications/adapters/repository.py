"""Inboxes in PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.adapters.tables import council_seats, inbox_entries
from services.notifications.domain.model import InboxEntry, Seat
from shared.vocabulary import BodyKind, MandateStatus

__all__ = ["SqlInboxes", "SqlSeats"]


class SqlInboxes:
    """Inbox entries; (person, about) is unique so a redelivered event adds nothing."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_new(self, entry: InboxEntry) -> bool:
        stmt = (
            insert(inbox_entries)
            .values(
                entry_id=entry.entry_id,
                person_id=entry.person_id,
                title=entry.title,
                about=entry.about,
                created_at=entry.created_at,
                read_at=entry.read_at,
            )
            .on_conflict_do_nothing(constraint="one_entry_per_subject")
            .returning(inbox_entries.c.entry_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def of(self, person_id: str) -> list[InboxEntry]:
        rows = (
            await self._session.execute(
                select(inbox_entries)
                .where(inbox_entries.c.person_id == person_id)
                .order_by(inbox_entries.c.created_at.desc())
                .limit(200)
            )
        ).all()
        return [InboxEntry(r.entry_id, r.person_id, r.title, r.about, r.created_at, r.read_at) for r in rows]


class SqlSeats:
    """`Seats`: the council seats organisation announced; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def keep(self, seat: Seat) -> None:
        values = {
            "person_id": seat.person_id,
            "body": seat.body.value,
            "status": seat.status.value,
            "voting": seat.voting,
            "start": seat.start,
            "end": seat.end,
        }
        await self._session.execute(
            insert(council_seats)
            .values(mandate_id=seat.mandate_id, **values)
            .on_conflict_do_update(index_elements=["mandate_id"], set_=values)
        )

    async def set_status(self, mandate_id: uuid.UUID, status: MandateStatus) -> None:
        await self._session.execute(
            update(council_seats).where(council_seats.c.mandate_id == mandate_id).values(status=status.value)
        )

    async def end(self, mandate_id: uuid.UUID, end: dt.date) -> None:
        await self._session.execute(
            update(council_seats).where(council_seats.c.mandate_id == mandate_id).values(end=end)
        )

    async def of_body(self, body: BodyKind) -> list[Seat]:
        rows = await self._session.execute(select(council_seats).where(council_seats.c.body == body.value))
        return [
            Seat(r.mandate_id, r.person_id, BodyKind(r.body), MandateStatus(r.status), r.voting, r.start, r.end)
            for r in rows
        ]
