"""The SQL unit of work of organisation."""

from __future__ import annotations

from typing import Self

from services.organisation.adapters.repository import SqlOrganograms, SqlTasks
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlOrganisationUnitOfWork"]


class SqlOrganisationUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "organisation"

    organogram: SqlOrganograms
    tasks: SqlTasks

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.organogram = SqlOrganograms(self.session)
        self.tasks = SqlTasks(self.session)
        return self
