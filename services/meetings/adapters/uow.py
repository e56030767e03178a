"""The SQL unit of work of meetings."""

from __future__ import annotations

from typing import Self

from services.meetings.adapters.repository import SqlAgendaItems
from services.meetings.adapters.session_repository import (
    SqlCommittees,
    SqlConsultations,
    SqlDecisions,
    SqlMeetings,
    SqlPublications,
    SqlSeats,
)
from services.meetings.adapters.translation import outgoing
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlMeetingsUnitOfWork"]


class SqlMeetingsUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "meetings"
    outgoing = staticmethod(outgoing)

    items: SqlAgendaItems
    meetings: SqlMeetings
    seats: SqlSeats
    consultations: SqlConsultations
    decisions: SqlDecisions
    publications: SqlPublications
    committees: SqlCommittees

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.items = SqlAgendaItems(self.session)
        self.meetings = SqlMeetings(self.session)
        self.seats = SqlSeats(self.session)
        self.consultations = SqlConsultations(self.session)
        self.decisions = SqlDecisions(self.session)
        self.publications = SqlPublications(self.session)
        self.committees = SqlCommittees(self.session)
        return self
