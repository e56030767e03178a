"""Demo data of finance: the multi-year plan of the demo municipality (idempotent)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.dialects.postgresql import insert

from services.finance.adapters.repository import credit_row
from services.finance.adapters.tables import credit_table
from services.finance.domain.plan import parse_plan_csv
from shared.db.engine import make_engine
from shared.settings import ServiceSettings

__all__ = ["PLAN_CSV", "seed"]

# services/finance/adapters/demo.py -> parents[3] is the repository root.
PLAN_CSV = Path(__file__).resolve().parents[3] / "deploy" / "demo" / "meerjarenplan.csv"


async def seed(settings: ServiceSettings) -> str:
    """Insert every credit of the plan that is not there yet; never touches committed amounts."""
    lines = parse_plan_csv(PLAN_CSV.read_text(encoding="utf-8"))
    engine = make_engine(settings.database_url, settings.db_schema, pool_size=1)
    try:
        async with engine.begin() as conn:
            added = 0
            for line in lines:
                stmt = (
                    insert(credit_table)
                    .values(**credit_row(line.to_credit()))
                    .on_conflict_do_nothing(constraint="uq_credits_key")
                )
                added += (await conn.execute(stmt)).rowcount
    finally:
        await engine.dispose()
    entities = len({line.entity for line in lines})
    return f"{len(lines)} credits in the plan ({entities} entities), {added} new"
