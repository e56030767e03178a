"""The SQL unit of work of organisation."""

from __future__ import annotations

from typing import Self

from services.organisation.adapters.control_repository import SqlControlRegister
from services.organisation.adapters.repository import (
    SqlDelegates,
    SqlMandates,
    SqlOrganograms,
    SqlPersons,
    SqlScans,
    SqlTasks,
)
from services.organisation.adapters.translation import outgoing
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlOrganisationUnitOfWork"]


class SqlOrganisationUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "organisation"
    outgoing = staticmethod(outgoing)

    organogram: SqlOrganograms
    tasks: SqlTasks
    persons: SqlPersons
    mandates: SqlMandates
    delegates: SqlDelegates
    scans: SqlScans
    control: SqlControlRegister

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.organogram = SqlOrganograms(self.session)
        self.tasks = SqlTasks(self.session)
        self.persons = SqlPersons(self.session)
        self.mandates = SqlMandates(self.session)
        self.delegates = SqlDelegates(self.session)
        self.scans = SqlScans(self.session)
        self.control = SqlControlRegister(self.session)
        return self
