"""Demo data of finance: the multi-year plan of the demo municipality (idempotent)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from services.finance.adapters.repository import credit_row
from services.finance.adapters.tables import action_plan_table, action_table, credit_table, policy_objective_table
from services.finance.domain.plan import parse_plan_csv, plan_tree
from shared.db.engine import make_engine
from shared.settings import ServiceSettings

__all__ = ["PLAN_CSV", "seed"]

# services/finance/adapters/demo.py -> parents[3] is the repository root.
PLAN_CSV = Path(__file__).resolve().parents[3] / "deploy" / "demo" / "meerjarenplan.csv"

# The limitative totals are the sums of their credits; recomputed after new credits are added.
_TOTALS = text(
    "INSERT INTO limitative_totals (entity, financial_year, total, amount, committed)"
    " SELECT entity, financial_year, total, sum(amount), sum(committed) FROM credits"
    " GROUP BY entity, financial_year, total"
    " ON CONFLICT (entity, financial_year, total)"
    " DO UPDATE SET amount = excluded.amount, committed = excluded.committed"
)


async def seed(settings: ServiceSettings) -> str:
    """Insert every credit of the plan that is not there yet; never touches committed amounts."""
    lines = parse_plan_csv(PLAN_CSV.read_text(encoding="utf-8"))
    tree = plan_tree(lines)
    engine = make_engine(
        settings.database_url, settings.db_schema, pool_size=1, password=settings.database_password
    )
    try:
        async with engine.begin() as conn:
            for code, title in tree.objectives.items():
                await conn.execute(
                    insert(policy_objective_table).values(code=code, title=title).on_conflict_do_nothing()
                )
            for code, (objective, title) in tree.action_plans.items():
                await conn.execute(
                    insert(action_plan_table)
                    .values(code=code, objective_code=objective, title=title)
                    .on_conflict_do_nothing()
                )
            for code, (plan, title) in tree.actions.items():
                await conn.execute(
                    insert(action_table).values(code=code, action_plan_code=plan, title=title).on_conflict_do_nothing()
                )
            added = 0
            for line in lines:
                stmt = (
                    insert(credit_table)
                    .values(**credit_row(line.to_credit()))
                    .on_conflict_do_nothing(constraint="uq_credits_key")
                )
                added += (await conn.execute(stmt)).rowcount
            if added:
                # Serialised against running commitments: they lock the total rows first.
                await conn.execute(text("LOCK TABLE limitative_totals IN EXCLUSIVE MODE"))
                await conn.execute(_TOTALS)
    finally:
        await engine.dispose()
    entities = len({line.entity for line in lines})
    return f"{len(lines)} credits in the plan ({entities} entities), {added} new"
