"""The SQL organisation repositories keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.organisation import (
    ControlRegisterContract,
    DelegatesContract,
    MandatesContract,
    OrganogramsContract,
    PersonsContract,
    ScansContract,
    TasksContract,
)


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlOrganisationUnitOfWork]:
    async with rolled_back(pg_dsn, "organisation", SqlOrganisationUnitOfWork) as uow:
        yield uow


class TestSqlOrganograms(OrganogramsContract):
    pass


class TestSqlPersons(PersonsContract):
    pass


class TestSqlTasks(TasksContract):
    pass


class TestSqlMandates(MandatesContract):
    pass


class TestSqlDelegates(DelegatesContract):
    pass


class TestSqlScans(ScansContract):
    pass


class TestSqlControlRegister(ControlRegisterContract):
    pass
