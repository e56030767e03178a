"""The plan in force as the handlers read it, and the one way a staged change comes into force.

`balance_with` tests the financial balance of the plan in force with a staged change applied;
`put_in_force` applies a staged plan, plan change or carry-over under the one lock order of
`locks.py` (totals, credits, then estimates), all or nothing. Both the agenda check and the
adoption ask the same questions, so an item that reached an agenda and the decision on it meet
the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.finance.domain import events
from services.finance.domain.balance import BalanceTest, balance_test
from services.finance.domain.budget import Budget, ChangeLine
from services.finance.domain.changes import BudgetChange
from services.finance.domain.model import Credit, Estimate
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.locks import locked_for_change, save
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.kernel import Refusal

__all__ = ["InForce", "balance_refusal", "balance_with", "put_in_force", "stage_change"]


async def balance_with(
    uow: FinanceUnitOfWork, policy: FinancePolicy, change: BudgetChange | None = None
) -> tuple[BalanceTest, ...]:
    """The balance test of the plan in force, with `change` applied when given (read without locks)."""
    return balance_test(
        await uow.credits.of_entity(),
        await uow.estimates.all(),
        await uow.estimates.openings(),
        change=change.lines if change is not None else (),
        opening=change.opening if change is not None else None,
        per_entity=policy.balance_per_entity,
    )


def balance_refusal(tests: tuple[BalanceTest, ...]) -> Refusal | None:
    """The first norm the tested plan breaks, or None when it is in balance."""
    return next((r for r in (t.refusal() for t in tests) if r is not None), None)


@dataclass(frozen=True)
class InForce:
    """What a staged change changed once in force: credits (with the locked budget) and estimates."""

    budget: Budget
    credits: list[Credit]
    estimates: tuple[Estimate, ...]


def _estimate_refusal(line: ChangeLine, current: Estimate | None) -> Refusal | None:
    amount = (current.amount if current is not None else 0) + line.change
    if amount < 0:
        return Refusal(
            "estimate_below_zero", f"{line.credit_key} ({line.flow.value}) would drop to {amount:.2f}, below zero"
        )
    return None


async def put_in_force(uow: FinanceUnitOfWork, change: BudgetChange) -> InForce | Refusal:
    """Apply the change's credits, estimates and opening result, or answer why it cannot be applied
    (nothing is changed then)."""
    budget = await locked_for_change(uow, change.credit_lines)
    refusal = budget.budget_change_refusal(change.credit_lines)
    if refusal is not None:
        return refusal
    estimate_lines = change.estimate_lines
    locked = {e.key: e for e in await uow.estimates.lock([line.estimate_key for line in estimate_lines])}
    for line in estimate_lines:
        refusal = _estimate_refusal(line, locked.get(line.estimate_key))
        if refusal is not None:
            return refusal
    changed_credits = budget.apply_budget_change(change.credit_lines)
    await save(uow, budget)
    after: list[Estimate] = []
    for line in estimate_lines:
        current = locked.get(line.estimate_key)
        if current is None:
            estimate = Estimate(
                line.entity,
                line.financial_year,
                line.economic_account,
                line.policy_field,
                line.action,
                line.flow,
                line.change,
                line.description,
            )
            await uow.estimates.add(estimate)
        else:
            estimate = replace(current, amount=current.amount + line.change)
            await uow.estimates.update(estimate)
        after.append(estimate)
    if change.opening is not None:
        await uow.estimates.set_opening(change.opening)
    return InForce(budget, changed_credits, tuple(after))


async def stage_change(
    uow: FinanceUnitOfWork, policy: FinancePolicy, change: BudgetChange
) -> tuple[BudgetChange, Refusal | None]:
    """Test the balance of the plan in force with `change`, store the change with the outcome, announce it.

    Answers the stored change and, for a plan out of balance, the norm it breaks.
    """
    tests = await balance_with(uow, policy, change) if change.needs_balance else ()
    for test in tests:
        test.ensure_within_bounds()
    refusal = balance_refusal(tests)
    if change.needs_balance:
        change = replace(change, balanced=refusal is None)
    await uow.budget_changes.add(change)
    years = next((t.years for t in tests if t.entity in {None, change.entity}), ())
    uow.emit(
        events.BudgetChangeProposed(
            budget_change_id=change.budget_change_id,
            entity=change.entity,
            title=change.title,
            lines=change.lines,
            proposed_by=change.proposed_by,
            kind=change.kind.value,
            balanced=change.balanced,
            balance=years,
            refusal=refusal.message if refusal is not None else None,
            opening=change.opening,
        )
    )
    return change, refusal
