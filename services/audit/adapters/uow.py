"""The SQL unit of work of audit (queries only: the ledger writer has its own transactions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.audit.adapters.repository import SqlLedgerQueries
from shared.db.tables import MessagingTables
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlAuditUnitOfWork"]


class SqlAuditUnitOfWork(SqlUnitOfWork):
    """Ledger queries bound to the transaction, plus the outbox and inbox of the base class."""

    ledger: SqlLedgerQueries

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        on_commit: Callable[[], None],
    ) -> None:
        super().__init__(session_factory, tables, source="audit", on_commit=on_commit)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.ledger = SqlLedgerQueries(self.session)
        return self
