"""The SQL hr repositories keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.hr.adapters.uow import SqlHrUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.hr import (
    ConsultationsContract,
    DelegationsContract,
    DisciplinaryCasesContract,
    EmploymentsContract,
    EvaluationsContract,
    HrEffectsContract,
    StaffContract,
)


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlHrUnitOfWork]:
    async with rolled_back(pg_dsn, "hr", SqlHrUnitOfWork) as uow:
        yield uow


class TestSqlHrEffects(HrEffectsContract):
    pass


class TestSqlStaff(StaffContract):
    pass


class TestSqlEmployments(EmploymentsContract):
    pass


class TestSqlDelegations(DelegationsContract):
    pass


class TestSqlConsultations(ConsultationsContract):
    pass


class TestSqlEvaluations(EvaluationsContract):
    pass


class TestSqlDisciplinaryCases(DisciplinaryCasesContract):
    pass
