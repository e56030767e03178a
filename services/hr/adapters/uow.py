"""The SQL unit of work of hr."""

from __future__ import annotations

from typing import Self

from services.hr.adapters.records import SqlConsultations, SqlDisciplinaryCases, SqlEvaluations
from services.hr.adapters.repository import SqlDelegations, SqlEmployments, SqlHrEffects, SqlStaff
from services.hr.adapters.translation import outgoing
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlHrUnitOfWork"]


class SqlHrUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "hr"
    outgoing = staticmethod(outgoing)

    effects: SqlHrEffects
    staff: SqlStaff
    employments: SqlEmployments
    delegations: SqlDelegations
    consultations: SqlConsultations
    evaluations: SqlEvaluations
    cases: SqlDisciplinaryCases

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.effects = SqlHrEffects(self.session)
        self.staff = SqlStaff(self.session)
        self.employments = SqlEmployments(self.session)
        self.delegations = SqlDelegations(self.session)
        self.consultations = SqlConsultations(self.session)
        self.evaluations = SqlEvaluations(self.session)
        self.cases = SqlDisciplinaryCases(self.session)
        return self
