"""The demo plan is seeded through the adoption path, once; a later seed adds only what is missing."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import text

from services.finance.adapters.demo import YEARS, seed
from services.finance.bootstrap import FinanceSettings
from shared.db.engine import make_engine
from tests.integration.processes import prepare_runtime_schema

ROOT = Path(__file__).resolve().parents[2]


async def test_the_demo_plan_is_adopted_once_and_a_later_seed_never_touches_what_is_in_force(pg_dsn: str) -> None:
    schema = f"t_finseed_{uuid.uuid4().hex[:8]}"
    dsn, password = await asyncio.to_thread(
        prepare_runtime_schema, ROOT / "services" / "finance" / "migrations", pg_dsn, schema
    )
    settings = FinanceSettings(
        service_name="finance",
        database_url=dsn,
        database_password=password,
        db_schema=schema,
        nats_url="nats://unused",
        nats_password=SecretStr("x"),
        financial_director_person_id="p-fd",
    )
    year = dt.datetime.now(dt.UTC).year
    first = await seed(settings)
    assert "staged and adopted by the demo council (gemeente, ocmw)" in first
    engine = make_engine(dsn, schema, password=password)
    try:
        async with engine.begin() as conn:
            changes = (await conn.execute(text("SELECT entity, kind, status, adopted_by FROM budget_changes"))).all()
            assert sorted((c.entity, c.kind, c.status) for c in changes) == [
                ("gemeente", "plan", "applied"),
                ("ocmw", "plan", "applied"),
            ]
            assert next(c for c in changes if c.entity == "ocmw").adopted_by is not None
            years = {r[0] for r in await conn.execute(text("SELECT DISTINCT financial_year FROM credits"))}
            assert years == set(range(year, year + YEARS))
            # What an operator does between two runs: move credit, commit on it.
            await conn.execute(
                text(
                    "UPDATE credits SET amount = amount + 1000, committed = amount + 500 WHERE entity = 'gemeente'"
                    " AND financial_year = :y AND economic_account = '6140000'"
                ),
                {"y": year},
            )
            [(changed,)] = (
                await conn.execute(
                    text("SELECT amount FROM credits WHERE entity = 'gemeente' AND financial_year = :y"
                         " AND economic_account = '6140000'"),
                    {"y": year},
                )
            ).all()  # fmt: skip
        again = await seed(settings)
        assert again.endswith("in force, unchanged"), again
        async with engine.connect() as conn:
            [(count,)] = (await conn.execute(text("SELECT count(*) FROM budget_changes"))).all()
            [(amount,)] = (
                await conn.execute(
                    text("SELECT amount FROM credits WHERE entity = 'gemeente' AND financial_year = :y"
                         " AND economic_account = '6140000'"),
                    {"y": year},
                )
            ).all()  # fmt: skip
        assert count == 2, "nothing staged the second time"
        assert amount == changed, "an amount in force is never touched by the seed"
        assert amount > Decimal("12500000.00")
    finally:
        await engine.dispose()
