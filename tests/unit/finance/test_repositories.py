"""The in-memory finance repositories keep the same contract as the SQL ones."""

from __future__ import annotations

import pytest

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
from tests.unit.finance.fakes import FakeFinanceUnitOfWork


@pytest.fixture
def uow() -> FakeFinanceUnitOfWork:
    return FakeFinanceUnitOfWork()


class TestFakeCredits(CreditsContract):
    pass


class TestFakeTotals(TotalsContract):
    pass


class TestFakeCommitments(CommitmentsContract):
    pass


class TestFakePaymentOrders(PaymentOrdersContract):
    pass


class TestFakeVisums(VisumsContract):
    pass


class TestFakeBudgetChanges(BudgetChangesContract):
    pass


class TestFakeDelegations(DelegationsContract):
    pass


class TestFakePlan(PlanContract):
    pass


class TestFakeEstimates(EstimatesContract):
    pass


class TestFakeReceipts(ReceiptsContract):
    pass
