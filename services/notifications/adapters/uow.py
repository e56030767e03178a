"""The SQL unit of work of notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifications.adapters.repository import SqlInboxes
from shared.db.tables import MessagingTables
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlNotificationsUnitOfWork"]


class SqlNotificationsUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    inboxes: SqlInboxes

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        on_commit: Callable[[], None],
    ) -> None:
        super().__init__(session_factory, tables, source="notifications", on_commit=on_commit)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.inboxes = SqlInboxes(self.session)
        return self
