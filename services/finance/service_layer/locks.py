"""The one lock order of finance, shared by every command and reaction that changes credits.

Every handler that changes credits locks the limitative totals first and the credits second
(each in key order), so concurrent commitments, budget changes, adjustments and carry-overs
are serialised on the rows they share and never overspend a credit or a total. A change that
also touches estimates (receipts, repayments) locks them last, in key order.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.finance.domain.accounts import total_of
from services.finance.domain.budget import Budget, ChangeLine
from services.finance.domain.model import CreditKey, TotalKey, key_of
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.vocabulary import FinancialImpact

__all__ = ["locked", "locked_for_change", "locked_for_commitment", "save"]


async def locked(
    uow: FinanceUnitOfWork, totals: Sequence[TotalKey], credit_keys: Sequence[CreditKey], *, create_totals: bool = True
) -> Budget:
    """Lock the totals, then the credits: always in that order."""
    locked_totals = await uow.totals.lock(totals, create=create_totals)
    locked_credits = await uow.credits.lock(credit_keys)
    return Budget(locked_credits, locked_totals)


async def locked_for_change(uow: FinanceUnitOfWork, lines: Sequence[ChangeLine]) -> Budget:
    """The totals and credits a budget change, an adjustment or a plan import touches."""
    return await locked(uow, [line.total_key for line in lines], [line.key for line in lines])


async def locked_for_commitment(uow: FinanceUnitOfWork, impact: FinancialImpact) -> Budget:
    """The total and the credit of one commitment; an amount outside the totals has no credit."""
    total = total_of(impact.economic_account, impact.flow)
    if total is None:
        return Budget([], [])
    return await locked(uow, [(impact.entity, impact.financial_year, total)], [key_of(impact)], create_totals=False)


async def save(uow: FinanceUnitOfWork, budget: Budget) -> None:
    """Store what the budget changed: totals, then credits, in key order."""
    for key in sorted(budget.changed_totals, key=lambda k: (k[0].value, k[1], k[2].value)):
        await uow.totals.update(budget.totals[key])
    for ckey in sorted(budget.changed_credits, key=lambda k: (k[0].value, *k[1:])):
        credit = budget.credits[ckey]
        if ckey in budget.new_credits:
            await uow.credits.add(credit)
        else:
            await uow.credits.update(credit)
