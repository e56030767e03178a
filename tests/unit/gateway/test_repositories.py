"""The in-memory gateway repositories keep the same contract as the SQL ones."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.repositories.gateway import AccountsContract, ApiTokensContract, SessionsContract
from tests.unit.gateway.fakes import FakeGatewayUnitOfWork


@pytest.fixture
async def uow() -> AsyncIterator[FakeGatewayUnitOfWork]:
    async with FakeGatewayUnitOfWork() as work:
        yield work


class TestFakeAccounts(AccountsContract):
    pass


class TestFakeApiTokens(ApiTokensContract):
    pass


class TestFakeSessions(SessionsContract):
    pass
