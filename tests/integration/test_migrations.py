"""Each service's migrations build exactly the tables its adapters declare."""

from __future__ import annotations

import asyncio
import importlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db.engine import sqlalchemy_url
from shared.db.migrate import prepare_schema
from shared.topology import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]


def _diff(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_name": lambda name, type_, _parent: not (type_ == "table" and name == "alembic_version"),
        },
    )
    return list(compare_metadata(context, metadata))


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_migrations_match_the_tables(pg_dsn: str, service: str) -> None:
    # Synchronous on purpose: `upgrade` runs its own event loop, as the launcher calls it.
    metadata: MetaData = importlib.import_module(f"services.{service}.adapters.tables").metadata
    schema = f"mig_{service}_{uuid.uuid4().hex[:8]}"
    # As `make run` migrates: roles first, then every revision as the schema's owner.
    prepare_schema(ROOT / "services" / service / "migrations", pg_dsn, schema)

    async def compare() -> list[Any]:
        engine = create_async_engine(sqlalchemy_url(pg_dsn))
        try:
            async with engine.connect() as conn:
                await conn.execute(text(f'SET search_path TO "{schema}", public'))
                return await conn.run_sync(_diff, metadata)
        finally:
            await engine.dispose()

    diff = asyncio.run(compare())
    assert diff == [], f"{service}: tables and migrations differ; run `python -m deploy.revision {service} ...`"
