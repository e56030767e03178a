"""The SQL unit of work of hr."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.hr.adapters.repository import SqlHrEffects
from shared.db.tables import MessagingTables
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlHrUnitOfWork"]


class SqlHrUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    effects: SqlHrEffects

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        on_commit: Callable[[], None],
    ) -> None:
        super().__init__(session_factory, tables, source="hr", on_commit=on_commit)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.effects = SqlHrEffects(self.session)
        return self
