"""`python -m services.audit run|migrate|seed|archive|rotate-key` (the ledger has no demo data)."""

import asyncio
import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from services.audit.bootstrap import AuditSettings, archive_folder, build, key_ring
from services.audit.entrypoints.archive import archive_before
from shared.service_cli import service_cli
from shared.settings import load_settings

app = service_cli("audit", AuditSettings, build=build, migrations=Path(__file__).parent / "migrations", seed=None)


@app.command()
def archive(
    before: Annotated[str, typer.Option(help="Archive what was captured before this date or time (ISO 8601, UTC).")],
) -> None:
    """Move a closed period of the ledger (covered by a signed checkpoint) to a compressed archive file."""
    cfg = load_settings(AuditSettings, "audit")
    moment = dt.datetime.fromisoformat(before)
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    migration = cfg.migration_database_url
    done = asyncio.run(
        archive_before(
            migration.get_secret_value() if migration else cfg.database_url,
            cfg.db_schema,
            archive_folder(cfg),
            moment,
            password=None if migration else cfg.database_password,
        )
    )
    if done is None:
        typer.echo("nothing to archive: no signed checkpoint covers records captured before then")
    else:
        typer.echo(f"seq {done.first_seq}–{done.last_seq} ({done.records} records) archived to {done.file_name}")


@app.command("rotate-key")
def rotate_key() -> None:
    """Sign new checkpoints with a new Ed25519 key; earlier public keys stay (old checkpoints still verify)."""
    ring = key_ring(load_settings(AuditSettings, "audit"))
    typer.echo(f"new checkpoint key {ring.rotate()} in {ring.folder}")


if __name__ == "__main__":
    app()
