"""The SQL meetings repositories keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.meetings import (
    AgendaItemsContract,
    CommitteesContract,
    ConsultationsContract,
    DecisionsContract,
    MeetingsContract,
    PublicationsContract,
    SeatsContract,
)


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlMeetingsUnitOfWork]:
    async with rolled_back(pg_dsn, "meetings", SqlMeetingsUnitOfWork) as uow:
        yield uow


class TestSqlAgendaItems(AgendaItemsContract):
    pass


class TestSqlMeetings(MeetingsContract):
    pass


class TestSqlSeats(SeatsContract):
    pass


class TestSqlConsultations(ConsultationsContract):
    pass


class TestSqlDecisions(DecisionsContract):
    pass


class TestSqlPublications(PublicationsContract):
    pass


class TestSqlCommittees(CommitteesContract):
    pass
