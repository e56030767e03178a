"""The SQL unit of work of finance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.finance.adapters.repository import SqlCommitments, SqlCredits
from shared.db.tables import MessagingTables
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlFinanceUnitOfWork"]


class SqlFinanceUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    credits: SqlCredits
    commitments: SqlCommitments

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        on_commit: Callable[[], None],
    ) -> None:
        super().__init__(session_factory, tables, source="finance", on_commit=on_commit)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.credits = SqlCredits(self.session)
        self.commitments = SqlCommitments(self.session)
        return self
