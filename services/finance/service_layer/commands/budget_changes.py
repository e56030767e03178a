"""Changing the plan: a change or carry-over is staged here for its body; an internal adjustment is at once."""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.budget import Adjustment, applied_changes, change_lines_refusal
from services.finance.domain.changes import BudgetChange, ChangeKind, carry_over_lines, carry_over_refusal
from services.finance.domain.commands import AdjustCredits, ProposeBudgetChange, ProposeCarryOver
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.locks import locked_for_change, save
from services.finance.service_layer.planning import stage_change
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, refuse

__all__ = ["BudgetChangeCommands"]


class BudgetChangeCommands:
    """Plan changes and carry-overs are staged here and put in force by their body's decision
    (`reactions.py`); an internal adjustment changes the credits at once, under the locks."""

    def __init__(self, policy: FinancePolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def propose(self, uow: FinanceUnitOfWork, cmd: ProposeBudgetChange) -> Accepted:
        """Stage a change of the plan (credits and estimates), with its balance test; the council (or
        RMW, then the gemeenteraad's approval) puts it in force."""
        refuse(change_lines_refusal(cmd.entity, cmd.lines))
        change, refusal = await stage_change(
            uow,
            self._policy,
            BudgetChange(
                budget_change_id=uuid.uuid4(),
                entity=cmd.entity,
                title=cmd.title,
                lines=cmd.lines,
                proposed_by=cmd.proposed_by,
                proposed_at=self._clock(),
                kind=ChangeKind.CHANGE,
            ),
        )
        return Accepted(
            ids={"budget_change_id": str(change.budget_change_id)},
            data={
                "status": change.status.value,
                "balanced": change.balanced,
                "refusal": refusal.message if refusal is not None else None,
            },
        )

    async def propose_carry_over(self, uow: FinanceUnitOfWork, cmd: ProposeCarryOver) -> Accepted:
        """Stage the carry-over of unused investment and financing credits; the college (vast bureau)
        decides it before 1 March. Nothing moves by itself."""
        refuse(carry_over_refusal(cmd.from_year, self._clock().date()))
        lines = carry_over_lines(await uow.credits.of_entity(cmd.entity), cmd.entity, cmd.from_year, cmd.credits)
        change, _ = await stage_change(
            uow,
            self._policy,
            BudgetChange(
                budget_change_id=uuid.uuid4(),
                entity=cmd.entity,
                title=f"Overdracht kredieten {cmd.from_year} naar {cmd.from_year + 1} ({cmd.entity.value})",
                lines=lines,
                proposed_by=cmd.proposed_by,
                proposed_at=self._clock(),
                kind=ChangeKind.CARRY_OVER,
            ),
        )
        moved = [{"credit_key": line.credit_key, "amount": f"{-line.change:.2f}"} for line in lines if line.change < 0]
        return Accepted(ids={"budget_change_id": str(change.budget_change_id)}, data={"moves": moved})

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
