"""The SQL unit of work of finance."""

from __future__ import annotations

from typing import Self

from services.finance.adapters.plan_repository import SqlBudgetChanges, SqlEstimates, SqlPlan, SqlReceipts
from services.finance.adapters.repository import (
    SqlCommitments,
    SqlCredits,
    SqlDelegations,
    SqlPaymentOrders,
    SqlTotals,
    SqlVisums,
)
from services.finance.adapters.translation import outgoing
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlFinanceUnitOfWork"]


class SqlFinanceUnitOfWork(SqlUnitOfWork):
    """Repositories bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "finance"
    outgoing = staticmethod(outgoing)

    credits: SqlCredits
    totals: SqlTotals
    commitments: SqlCommitments
    payments: SqlPaymentOrders
    visums: SqlVisums
    budget_changes: SqlBudgetChanges
    delegations: SqlDelegations
    plan: SqlPlan
    estimates: SqlEstimates
    receipts: SqlReceipts

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.credits = SqlCredits(self.session)
        self.totals = SqlTotals(self.session)
        self.commitments = SqlCommitments(self.session)
        self.payments = SqlPaymentOrders(self.session)
        self.visums = SqlVisums(self.session)
        self.budget_changes = SqlBudgetChanges(self.session)
        self.delegations = SqlDelegations(self.session)
        self.plan = SqlPlan(self.session)
        self.estimates = SqlEstimates(self.session)
        self.receipts = SqlReceipts(self.session)
        return self
