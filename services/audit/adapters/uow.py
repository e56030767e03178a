"""The SQL unit of work of audit (queries only: the ledger writer has its own transactions)."""

from __future__ import annotations

from typing import Self

from services.audit.adapters.repository import SqlLedgerQueries
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlAuditUnitOfWork"]


class SqlAuditUnitOfWork(SqlUnitOfWork):
    """Ledger queries bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "audit"

    ledger: SqlLedgerQueries

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.ledger = SqlLedgerQueries(self.session)
        return self
