"""The SQL registers of records keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.records.adapters.uow import SqlRecordsUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.records import RegisterContract, SeatsContract


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlRecordsUnitOfWork]:
    async with rolled_back(pg_dsn, "records", SqlRecordsUnitOfWork) as uow:
        yield uow


class TestSqlRegisters(RegisterContract):
    pass


class TestSqlSeats(SeatsContract):
    pass
