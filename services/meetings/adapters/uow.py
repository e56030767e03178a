"""The SQL unit of work of meetings."""

from __future__ import annotations

from typing import Self

from services.meetings.adapters.repository import SqlAgendaItems
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlMeetingsUnitOfWork"]


class SqlMeetingsUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "meetings"

    items: SqlAgendaItems

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.items = SqlAgendaItems(self.session)
        return self
