"""The command line every service has: `python -m services.<name> run|migrate|seed`."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import typer

from shared.logging import configure_logging
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, load_settings

__all__ = ["ServiceHooks", "service_cli", "service_hooks"]

S = TypeVar("S", bound=ServiceSettings)


@dataclass(frozen=True)
class ServiceHooks:
    """What a launcher needs to prepare a service without starting a process for it."""

    settings_cls: type[ServiceSettings]
    migrations: Path
    seed: Callable[[Any], Coroutine[Any, Any, str]] | None


_HOOKS: dict[str, ServiceHooks] = {}


def service_hooks(name: str) -> ServiceHooks:
    """The hooks of `services.<name>` (imports its command line module once)."""
    if name not in _HOOKS:
        importlib.import_module(f"services.{name}.__main__")
    return _HOOKS[name]


def service_cli(
    name: str,
    settings_cls: type[S],
    *,
    build: Callable[[S], ServiceRuntime],
    migrations: Path,
    seed: Callable[[S], Coroutine[Any, Any, str]] | None = None,
) -> typer.Typer:
    """A typer app with the service's lifecycle commands."""
    _HOOKS[name] = ServiceHooks(settings_cls, migrations, seed)
    app = typer.Typer(help=f"The {name} service of Raderwerk.", no_args_is_help=True, add_completion=False)

    def settings() -> S:
        cfg = load_settings(settings_cls, name)
        configure_logging(name, level=cfg.log_level, json=cfg.log_json)
        return cfg

    @app.command()
    def run() -> None:
        """Consume, serve commands and relay the outbox until SIGINT/SIGTERM."""
        cfg = settings()

        async def main() -> None:
            await build(cfg).run()

        asyncio.run(main())

    def migrate_schema(cfg: S, revision: str = "head") -> None:
        # Alembic is imported here only: `run`, how every service starts, never migrates.
        from shared.db.migrate import prepare_schema

        # As the schema's owner, through the migration login; the roles are created (with the
        # runtime role's password from the settings) when that login is a superuser.
        # Without a migration login, the service's own is tried, which names what it lacks.
        migration = cfg.migration_database_url
        own_password = cfg.database_password.get_secret_value() if cfg.database_password else None
        prepare_schema(
            migrations,
            migration.get_secret_value() if migration else cfg.database_url,
            cfg.db_schema,
            revision,
            app_password=own_password,
            password=None if migration else own_password,
        )

    @app.command()
    def migrate(revision: str = typer.Argument("head", help="Alembic revision to upgrade to.")) -> None:
        """Create or upgrade this service's schema (and its roles, given a superuser login)."""
        cfg = settings()
        migrate_schema(cfg, revision)
        typer.echo(f"{name}: schema {cfg.db_schema!r} at {revision}")

    @app.command()
    def prepare(demo: bool = typer.Option(False, help="Also load the demo data.")) -> None:
        """Migrate, then optionally seed, in one process (what `make run` does at start-up)."""
        cfg = settings()
        migrate_schema(cfg)
        summary = asyncio.run(seed(cfg)) if demo and seed is not None else "schema at head"
        typer.echo(f"{name}: {summary}")

    @app.command(name="seed")
    def seed_cmd() -> None:
        """Load the demo municipality's data owned by this service (idempotent)."""
        cfg = settings()
        if seed is None:
            typer.echo(f"{name}: no demo data")
            return
        typer.echo(f"{name}: {asyncio.run(seed(cfg))}")

    return app
