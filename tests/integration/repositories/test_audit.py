"""The SQL ledger keeps the contract its fake keeps."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.audit.adapters.uow import SqlAuditUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.audit import LedgerContract


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlAuditUnitOfWork]:
    async with rolled_back(pg_dsn, "audit", SqlAuditUnitOfWork) as uow:
        yield uow


class TestSqlLedger(LedgerContract):
    pass
