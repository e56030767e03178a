"""Changing the estimates: a budget change for the council, an internal adjustment, a carry-over."""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.budget import (
    Adjustment,
    BudgetChange,
    ChangeLine,
    applied_changes,
    carry_over_refusal,
    change_lines_refusal,
)
from services.finance.domain.commands import AdjustCredits, CarryOverInvestmentCredits, ProposeBudgetChange
from services.finance.domain.model import CreditTotal
from services.finance.service_layer.locks import locked, locked_for_change, save
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, refuse

__all__ = ["BudgetChangeCommands"]


class BudgetChangeCommands:
    """Budget changes are proposed here and applied by the council (`reactions.py`); adjustments
    and carry-overs change the credits at once, under the totals' and credits' locks."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def propose(self, uow: FinanceUnitOfWork, cmd: ProposeBudgetChange) -> Accepted:
        """Prepare a budget change; it is applied when the council (or RMW) adopts it."""
        refuse(change_lines_refusal(cmd.entity, cmd.lines))
        change = BudgetChange(
            budget_change_id=uuid.uuid4(),
            entity=cmd.entity,
            title=cmd.title,
            lines=cmd.lines,
            proposed_by=cmd.proposed_by,
            proposed_at=self._clock(),
        )
        await uow.budget_changes.add(change)
        uow.emit(
            events.BudgetChangeProposed(
                budget_change_id=change.budget_change_id,
                entity=cmd.entity,
                title=cmd.title,
                lines=cmd.lines,
                proposed_by=cmd.proposed_by,
            )
        )
        return Accepted(ids={"budget_change_id": str(change.budget_change_id)}, data={"status": change.status.value})

    async def adjust(self, uow: FinanceUnitOfWork, cmd: AdjustCredits) -> Accepted:
        """Move estimates between credits of one limitative total of one entity; the total never changes."""
        refuse(change_lines_refusal(cmd.entity, cmd.lines))
        budget = await locked_for_change(uow, cmd.lines)
        changed = budget.adjust(cmd.lines)
        await save(uow, budget)
        adjustment = Adjustment(
            adjustment_id=uuid.uuid4(),
            entity=cmd.entity,
            lines=cmd.lines,
            decided_by=cmd.decided_by,
            reason=cmd.reason,
            adjusted_at=self._clock(),
        )
        await uow.budget_changes.add_adjustment(adjustment)
        uow.emit(
            events.CreditsAdjusted(
                adjustment_id=adjustment.adjustment_id,
                entity=cmd.entity,
                changes=applied_changes(changed, cmd.lines),
                decided_by=cmd.decided_by,
                reason=cmd.reason,
            )
        )
        return Accepted(ids={"adjustment_id": str(adjustment.adjustment_id)})

    async def carry_over(self, uow: FinanceUnitOfWork, cmd: CarryOverInvestmentCredits) -> Accepted:
        """Move unused investment credits of `from_year` to the next year, before 1 March."""
        refuse(carry_over_refusal(cmd.from_year, self._clock().date()))
        sources = [
            c
            for c in await uow.credits.of_entity(cmd.entity)
            if c.financial_year == cmd.from_year and c.total is CreditTotal.INVESTMENT
        ]
        keys_next = [(c.entity, cmd.from_year + 1, c.economic_account, c.policy_field, c.action) for c in sources]
        budget = await locked(
            uow,
            [
                (cmd.entity, cmd.from_year, CreditTotal.INVESTMENT),
                (cmd.entity, cmd.from_year + 1, CreditTotal.INVESTMENT),
            ],
            [c.key for c in sources] + keys_next,
        )
        moved = budget.carry_over(cmd.entity, cmd.from_year)
        await save(uow, budget)
        lines = [
            line
            for old, new, amount in moved
            for line in (
                ChangeLine(old.entity, old.financial_year, old.economic_account, old.policy_field, old.action, -amount),
                ChangeLine(new.entity, new.financial_year, new.economic_account, new.policy_field, new.action, amount),
            )
        ]
        uow.emit(
            events.InvestmentCreditsCarriedOver(
                entity=cmd.entity,
                from_year=cmd.from_year,
                to_year=cmd.from_year + 1,
                changes=applied_changes([c for old, new, _ in moved for c in (old, new)], lines),
                decision_id=cmd.decision_id,
            )
        )
        return Accepted(
            data={"moved": [{"credit_key": old.credit_key, "amount": f"{amount:.2f}"} for old, _new, amount in moved]}
        )
