"""The in-memory meetings repositories keep the same contract as the SQL ones."""

from __future__ import annotations

import pytest

from tests.repositories.meetings import (
    AgendaItemsContract,
    CommitteesContract,
    ConsultationsContract,
    DecisionsContract,
    MeetingsContract,
    PublicationsContract,
    SeatsContract,
)
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork


@pytest.fixture
def uow() -> FakeMeetingsUnitOfWork:
    return FakeMeetingsUnitOfWork()


class TestFakeAgendaItems(AgendaItemsContract):
    pass


class TestFakeMeetings(MeetingsContract):
    pass


class TestFakeSeats(SeatsContract):
    pass


class TestFakeConsultations(ConsultationsContract):
    pass


class TestFakeDecisions(DecisionsContract):
    pass


class TestFakePublications(PublicationsContract):
    pass


class TestFakeCommittees(CommitteesContract):
    pass
