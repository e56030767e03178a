"""The SQL unit of work of audit (its queries; the ledger writer has transactions of its own)."""

from __future__ import annotations

from typing import Self

from services.audit.adapters.repository import SqlLedger
from services.audit.adapters.translation import outgoing
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlAuditUnitOfWork"]


class SqlAuditUnitOfWork(SqlUnitOfWork):
    """The ledger bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "audit"
    outgoing = staticmethod(outgoing)

    ledger: SqlLedger

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.ledger = SqlLedger(self.session)
        return self
