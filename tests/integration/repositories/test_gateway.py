"""The SQL gateway repositories keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.gateway.adapters.uow import SqlGatewayUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.gateway import AccountsContract, ApiTokensContract, SessionsContract


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlGatewayUnitOfWork]:
    async with rolled_back(pg_dsn, "gateway", SqlGatewayUnitOfWork) as uow:
        yield uow


class TestSqlAccounts(AccountsContract):
    pass


class TestSqlApiTokens(ApiTokensContract):
    pass


class TestSqlSessions(SessionsContract):
    pass
