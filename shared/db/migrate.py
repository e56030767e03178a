"""Alembic, run programmatically, one version table per service schema."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db.engine import sqlalchemy_url

__all__ = ["run_migrations_online", "upgrade"]


def upgrade(script_location: Path, dsn: str, schema: str, revision: str = "head") -> None:
    """Upgrade one service's schema to `revision` (creates the schema when missing)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.attributes["dsn"] = dsn
    cfg.attributes["schema"] = schema
    command.upgrade(cfg, revision)


def run_migrations_online(metadata: MetaData) -> None:
    """Body of every service's `env.py`: migrate inside the service schema."""
    cfg = context.config
    dsn: str = cfg.attributes["dsn"]
    schema: str = cfg.attributes["schema"]

    def _run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            compare_type=True,
            # The version table lives in the service schema but is not part of its metadata.
            include_name=lambda name, type_, _parent: not (type_ == "table" and name == "alembic_version"),
        )
        with context.begin_transaction():
            context.run_migrations()

    async def _main() -> None:
        engine = create_async_engine(sqlalchemy_url(dsn))
        try:
            async with engine.connect() as conn:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                await conn.execute(text(f'SET search_path TO "{schema}", public'))
                await conn.commit()
                await conn.run_sync(_run)
                await conn.commit()
        finally:
            await engine.dispose()

    asyncio.run(_main())
