"""The SQL finance repositories keep the contract their fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.finance.adapters.uow import SqlFinanceUnitOfWork
from tests.integration.repositories.sql import rolled_back
from tests.repositories.finance import (
    BudgetChangesContract,
    CommitmentsContract,
    CreditsContract,
    DelegationsContract,
    EstimatesContract,
    PaymentOrdersContract,
    PlanContract,
    ReceiptsContract,
    TotalsContract,
    VisumsContract,
)


@pytest.fixture
async def uow(pg_dsn: str) -> AsyncIterator[SqlFinanceUnitOfWork]:
    async with rolled_back(pg_dsn, "finance", SqlFinanceUnitOfWork) as uow:
        yield uow


class TestSqlCredits(CreditsContract):
    pass


class TestSqlTotals(TotalsContract):
    pass


class TestSqlCommitments(CommitmentsContract):
    pass


class TestSqlPaymentOrders(PaymentOrdersContract):
    pass


class TestSqlVisums(VisumsContract):
    pass


class TestSqlBudgetChanges(BudgetChangesContract):
    pass


class TestSqlDelegations(DelegationsContract):
    pass


class TestSqlPlan(PlanContract):
    pass


class TestSqlEstimates(EstimatesContract):
    pass


class TestSqlReceipts(ReceiptsContract):
    pass
