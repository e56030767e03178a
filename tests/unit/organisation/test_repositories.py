"""The in-memory organisation repositories keep the same contract as the SQL ones."""

from __future__ import annotations

import pytest

from tests.repositories.organisation import (
    ControlRegisterContract,
    DelegatesContract,
    MandatesContract,
    OrganogramsContract,
    PersonsContract,
    ScansContract,
    TasksContract,
)
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork


@pytest.fixture
def uow() -> FakeOrganisationUnitOfWork:
    return FakeOrganisationUnitOfWork.empty()


class TestFakeOrganograms(OrganogramsContract):
    pass


class TestFakePersons(PersonsContract):
    pass


class TestFakeTasks(TasksContract):
    pass


class TestFakeMandates(MandatesContract):
    pass


class TestFakeDelegates(DelegatesContract):
    pass


class TestFakeScans(ScansContract):
    pass


class TestFakeControlRegister(ControlRegisterContract):
    pass
