"""The SQL unit of work of external."""

from __future__ import annotations

from typing import Self

from services.external.adapters.registry_repository import (
    SqlDeadlines,
    SqlExternalEntities,
    SqlManagementAgreements,
    SqlRepresentations,
)
from services.external.adapters.repository import SqlOverrulingReports, SqlSupervisionReports
from services.external.adapters.translation import outgoing
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlExternalUnitOfWork"]


class SqlExternalUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "external"
    outgoing = staticmethod(outgoing)

    reports: SqlSupervisionReports
    overrulings: SqlOverrulingReports
    entities: SqlExternalEntities
    representations: SqlRepresentations
    agreements: SqlManagementAgreements
    deadlines: SqlDeadlines

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.reports = SqlSupervisionReports(self.session)
        self.overrulings = SqlOverrulingReports(self.session)
        self.entities = SqlExternalEntities(self.session)
        self.representations = SqlRepresentations(self.session)
        self.agreements = SqlManagementAgreements(self.session)
        self.deadlines = SqlDeadlines(self.session)
        return self
