"""Loading the multi-year plan (meerjarenplan)."""

from __future__ import annotations

from services.finance.domain import events
from services.finance.domain.commands import ImportPlan
from services.finance.domain.plan import new_credits, parse_plan_csv, plan_tree
from services.finance.service_layer.locks import locked_for_change, save
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.kernel import Accepted

__all__ = ["PlanCommands"]


class PlanCommands:
    """Import the plan; neither the council's policy nor the time plays a part in it."""

    async def import_plan(self, uow: FinanceUnitOfWork, cmd: ImportPlan) -> Accepted:
        """Load the multi-year plan: new credits are added, equal ones kept; a different estimate
        for an existing credit is refused (that is a budget change for the council)."""
        lines = parse_plan_csv(cmd.csv)
        tree = plan_tree(lines)
        budget = await locked_for_change(uow, [line.change for line in lines])
        new, unchanged = new_credits(budget, lines)
        if new:
            budget.apply_budget_change(new)
        await uow.plan.save_tree(tree)
        await save(uow, budget)
        uow.emit(events.PlanImported(credits_added=len(new), credits_unchanged=unchanged))
        return Accepted(data={"credits_added": len(new), "credits_unchanged": unchanged})
