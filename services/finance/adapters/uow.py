"""The SQL unit of work of finance."""

from __future__ import annotations

from typing import Self

from services.finance.adapters.repository import SqlCommitments, SqlCredits
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlFinanceUnitOfWork"]


class SqlFinanceUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "finance"

    credits: SqlCredits
    commitments: SqlCommitments

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.credits = SqlCredits(self.session)
        self.commitments = SqlCommitments(self.session)
        return self
