"""Demo data of finance: the demo city's multi-year plan, adopted by the demo council (idempotent).

`deploy/demo/meerjarenplan.csv` is a template: each line is a yearly amount at 2026 prices (the
opening result is given once). `demo_plan_csv` writes it out as a plan for the six financial years
from a given one, every amount grown 2 % a year from 2026, so an amount depends on its year only
and a later start adds years without changing those in force. The plan is in balance in every
year (the receipts cover the expenses, the opening result is positive).

`seed` covers the current year (by the run's clock) and the five after it, adding only what is not
in force yet (an amount in force, adjusted or committed since, is never touched), through the rule
path a real plan takes: the CSV is staged (`import_plan`), then adopted by the demo council's first
meeting, a gemeenteraad decision for the gemeente's part and an RMW decision for the OCMW's,
which the gemeenteraad then approves. Those decisions have fixed ids (`DEMO_COUNCIL`).
"""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal
from pathlib import Path

from services.finance.adapters.tables import tables
from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.bootstrap import FinanceSettings, handlers_of, policy_of
from services.finance.domain.changes import BudgetChangeStatus
from services.finance.domain.commands import ApplyBudgetChange, ImportPlan
from services.finance.domain.model import CreditTotal, EstimateKey
from services.finance.domain.plan import COLUMNS
from shared.db.engine import make_engine, make_session_factory
from shared.settings import ServiceSettings
from shared.vocabulary import BodyKind, DecisionKind, Flow, LegalEntity
from shared.wiring import clock_of

__all__ = ["BASE_YEAR", "DEMO_COUNCIL", "PLAN_TEMPLATE", "YEARS", "demo_plan_csv", "seed"]

# services/finance/adapters/demo.py -> parents[3] is the repository root.
PLAN_TEMPLATE = Path(__file__).resolve().parents[3] / "deploy" / "demo" / "meerjarenplan.csv"
#: The year the template's amounts are of, and their yearly growth.
BASE_YEAR = 2026
GROWTH = Decimal("1.02")
#: The current year and the five after it.
YEARS = 6
#: The demo council's first meeting: the namespace of the ids of the decisions that adopted the plan.
DEMO_COUNCIL = uuid.UUID("5d0c0a7e-2b1f-4c55-9d0e-6f1a3c2b9e01")
_CENT = Decimal("0.01")
_OPTIONAL = (
    "kind",
    "investment_project",
    "policy_objective",
    "policy_objective_title",
    "action_plan",
    "action_plan_title",
    "action_title",
)


def _grown(amount: Decimal, year: int) -> Decimal:
    return (amount * GROWTH ** (year - BASE_YEAR)).quantize(_CENT)


def demo_plan_csv(
    first_year: int, *, openings: bool | set[LegalEntity] = True, skip: frozenset[EstimateKey] = frozenset()
) -> str:
    """The demo plan for `first_year` and the five years after it, as `rw finance import` reads it.

    `openings` says for which entities the opening result (at `first_year`) is written: every one,
    none, or those in the set (an entity whose plan is in force keeps the opening it has). Lines
    whose key is in `skip` (in force already) are left out.
    """
    rows = list(csv.DictReader(io.StringIO(PLAN_TEMPLATE.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *_OPTIONAL], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        entity = LegalEntity(row["entity"])
        if row["kind"] == "opening_result":
            if openings is True or (isinstance(openings, set) and entity in openings):
                writer.writerow({**_blank(row), "financial_year": first_year, "amount": row["amount"]})
            continue
        flow = Flow.RECEIPT if row["kind"] == "receipt" else Flow.EXPENSE
        for year in range(first_year, first_year + YEARS):
            if (entity, year, row["economic_account"], row["policy_field"], row["action"], flow) in skip:
                continue
            amount = _grown(Decimal(row["amount"]), year)
            writer.writerow({**_blank(row), "financial_year": year, "amount": f"{amount}"})
    return out.getvalue()


def _blank(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k in {*COLUMNS, *_OPTIONAL}}


def _decision(change_id: uuid.UUID, body: BodyKind) -> uuid.UUID:
    """The demo council's decision on a staged part of the plan: the same id whenever the seed runs."""
    return uuid.uuid5(DEMO_COUNCIL, f"{change_id}/{body.value}")


async def seed(settings: ServiceSettings) -> str:
    """Stage the demo plan for this year and the five after it and have the demo council adopt it."""
    if not isinstance(settings, FinanceSettings):  # pragma: no cover - the service CLI passes its own class
        raise TypeError("finance's seed needs FinanceSettings")
    clock = clock_of(settings)
    handlers = handlers_of(policy_of(settings), clock)
    engine = make_engine(settings.database_url, settings.db_schema, pool_size=1, password=settings.database_password)
    sessions = make_session_factory(engine)
    year = clock().year
    try:
        async with SqlFinanceUnitOfWork(sessions, tables) as uow:
            have_opening = {o.entity for o in await uow.estimates.openings()}
            # Only what is missing: amounts in force (adjusted, changed, committed) are never touched.
            in_force = frozenset(
                {(*c.key, Flow.RECEIPT if c.total is CreditTotal.LOAN_RECEIPTS else Flow.EXPENSE)
                 for c in await uow.credits.of_entity()}
                | {e.key for e in await uow.estimates.all()}
            )  # fmt: skip
            text = demo_plan_csv(year, openings=set(LegalEntity) - have_opening, skip=in_force)
            staged = await handlers.plan.import_plan(uow, ImportPlan(csv=text, proposed_by="p-fd"))
            await uow.commit()
        steps = {
            LegalEntity.GEMEENTE: [(BodyKind.GEMEENTERAAD, LegalEntity.GEMEENTE, DecisionKind.BUDGET_CHANGE)],
            LegalEntity.OCMW: [
                (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, LegalEntity.OCMW, DecisionKind.BUDGET_CHANGE),
                (BodyKind.GEMEENTERAAD, LegalEntity.GEMEENTE, DecisionKind.BUDGET_APPROVAL),
            ],
        }
        adopted: list[str] = []
        for entity_name, change_id in staged.ids.items():
            change = uuid.UUID(change_id)
            for body, deciding_for, kind in steps[LegalEntity(entity_name)]:
                async with SqlFinanceUnitOfWork(sessions, tables) as uow:
                    decision = ApplyBudgetChange(change, _decision(change, body), body, deciding_for, kind)
                    await handlers.reactions.apply_budget_change(uow, decision)
                    await uow.commit()
            async with SqlFinanceUnitOfWork(sessions, tables) as uow:
                result = await uow.budget_changes.get(change)
            if result is None or result.status is not BudgetChangeStatus.APPLIED:
                why = result.refusal if result is not None else "not staged"
                raise RuntimeError(f"the demo plan of the {entity_name} was not adopted: {why}")
            adopted.append(entity_name)
    finally:
        await engine.dispose()
    span = f"{year}–{year + YEARS - 1}"
    if not adopted:
        return f"demo plan {span} in force, unchanged"
    return f"demo plan {span} staged and adopted by the demo council ({', '.join(adopted)})"
