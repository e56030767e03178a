"""Write the next Alembic revision of a service by comparing its tables with its migrated schema.

    python -m deploy.revision <service> "<message>" [--database-url DSN]

Without a DSN a throw-away embedded PostgreSQL is started, the service's migrations are applied,
and Alembic autogenerates the difference with `adapters/tables.py`. Review the file it writes:
autogenerate misses triggers, functions and data changes.
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from deploy.embedded import start_postgres
from shared.db.migrate import upgrade

__all__ = ["main", "next_revision_id"]

ROOT = Path(__file__).resolve().parents[1]


def next_revision_id(script_location: Path) -> str:
    """`0001`, `0002`, …: revisions numbered in order are easier to review than hashes."""
    heads = ScriptDirectory.from_config(_config(script_location, "", "")).get_heads()
    if len(heads) > 1:
        raise typer.BadParameter(f"{script_location} has several heads: {heads}; merge them first")
    return f"{int(heads[0]) + 1:04d}" if heads else "0001"


def _config(script_location: Path, dsn: str, schema: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.attributes["dsn"] = dsn
    cfg.attributes["schema"] = schema
    return cfg


def main(
    service: Annotated[str, typer.Argument(help="Service package under services/")],
    message: Annotated[str, typer.Argument(help="What the revision changes, e.g. 'meetings and votes'")],
    database_url: Annotated[str | None, typer.Option(help="Use this PostgreSQL instead of a temporary one")] = None,
) -> None:
    """Autogenerate the next revision of SERVICE's schema."""
    importlib.import_module(f"services.{service}.adapters.tables")
    location = ROOT / "services" / service / "migrations"
    schema = f"rw_revision_{service}"
    rev_id = next_revision_id(location)
    with tempfile.TemporaryDirectory(prefix="rw-revision-") as tmp:
        handle = None
        if database_url is None:
            handle = start_postgres(Path(tmp) / "pg")
            database_url = handle.dsn
        try:
            upgrade(location, database_url, schema)
            command.revision(_config(location, database_url, schema), message, autogenerate=True, rev_id=rev_id)
        finally:
            if handle is not None:
                handle.stop()
    typer.echo(f"{service}: wrote revision {rev_id}; review it, then run the migration test")


if __name__ == "__main__":
    typer.run(main)
