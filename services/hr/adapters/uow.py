"""The SQL unit of work of hr."""

from __future__ import annotations

from typing import Self

from services.hr.adapters.repository import SqlHrEffects
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlHrUnitOfWork"]


class SqlHrUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "hr"

    effects: SqlHrEffects

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.effects = SqlHrEffects(self.session)
        return self
