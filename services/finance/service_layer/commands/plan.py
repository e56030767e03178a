"""Staging the multi-year plan (meerjarenplan): nothing read from a CSV is in force by itself."""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.changes import COUNCIL_OF, BudgetChange
from services.finance.domain.commands import ImportPlan
from services.finance.domain.plan import Staged, parse_plan_csv, plan_tree, stage
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.planning import stage_change
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted

__all__ = ["PlanCommands"]


def _title(staged: Staged) -> str:
    years = sorted(
        {line.financial_year for line in staged.lines} | ({staged.opening.financial_year} if staged.opening else set())
    )
    span = f"{years[0]}–{years[-1]}" if years else ""
    what = "Meerjarenplan" if staged.kind.value == "plan" else "Aanpassing meerjarenplan"
    return f"{what} {span} ({staged.entity.value})"


class PlanCommands:
    """Stage a plan or plan change per entity, each with its balance test, for its council to adopt."""

    def __init__(self, policy: FinancePolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def import_plan(self, uow: FinanceUnitOfWork, cmd: ImportPlan) -> Accepted:
        """Read the CSV and stage, per entity, what differs from the plan in force: a plan (nothing of
        the entity in force yet) or a change. The councils adopt them; until then nothing can be committed."""
        plan = parse_plan_csv(cmd.csv)
        staged = stage(plan, await uow.credits.of_entity(), await uow.estimates.all(), await uow.estimates.openings())
        await uow.plan.save_tree(plan_tree(plan.lines))
        ids: dict[str, str] = {}
        outcome: dict[str, object] = {}
        for part in staged:
            if part.empty:
                outcome[part.entity.value] = {"staged": False, "unchanged": part.unchanged}
                continue
            change, refusal = await stage_change(
                uow,
                self._policy,
                BudgetChange(
                    budget_change_id=uuid.uuid4(),
                    entity=part.entity,
                    title=_title(part),
                    lines=part.lines,
                    proposed_by=cmd.proposed_by,
                    proposed_at=self._clock(),
                    kind=part.kind,
                    opening=part.opening,
                ),
            )
            ids[part.entity.value] = str(change.budget_change_id)
            outcome[part.entity.value] = {
                "staged": True,
                "kind": change.kind.value,
                "balanced": change.balanced,
                "refusal": refusal.message if refusal is not None else None,
                "added": part.added,
                "changed": part.changed,
                "unchanged": part.unchanged,
                "adopted_by": COUNCIL_OF[part.entity].value,
            }
        added = sum(p.added for p in staged)
        unchanged = sum(p.unchanged for p in staged)
        uow.emit(
            events.PlanImported(
                credits_added=added,
                credits_unchanged=unchanged,
                budget_change_ids=tuple(uuid.UUID(i) for i in ids.values()),
            )
        )
        return Accepted(ids=ids, data={"credits_added": added, "credits_unchanged": unchanged, **outcome})
