"""The SQL external repositories keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.external.adapters.uow import SqlExternalUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.external import (
    DeadlinesContract,
    ExternalEntitiesContract,
    ManagementAgreementsContract,
    OverrulingReportsContract,
    RepresentationsContract,
    SupervisionReportsContract,
)


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlExternalUnitOfWork]:
    async with rolled_back(pg_dsn, "external", SqlExternalUnitOfWork) as uow:
        yield uow


class TestSqlSupervisionReports(SupervisionReportsContract):
    pass


class TestSqlOverrulingReports(OverrulingReportsContract):
    pass


class TestSqlExternalEntities(ExternalEntitiesContract):
    pass


class TestSqlRepresentations(RepresentationsContract):
    pass


class TestSqlManagementAgreements(ManagementAgreementsContract):
    pass


class TestSqlDeadlines(DeadlinesContract):
    pass
