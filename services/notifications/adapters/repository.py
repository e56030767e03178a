"""Inboxes in PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.adapters.tables import inbox_entries
from services.notifications.domain.model import InboxEntry

__all__ = ["SqlInboxes"]


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
