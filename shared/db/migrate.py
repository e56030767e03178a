"""Alembic, run programmatically, one version table per service schema, as the schema's owner."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from shared.db.engine import sqlalchemy_url
from shared.db.roles import SchemaRoles, ensure_roles, grant_statements, quote_ident, roles_for

__all__ = ["prepare_schema", "run_migrations_online", "upgrade"]


def upgrade(
    script_location: Path,
    dsn: str,
    schema: str,
    revision: str = "head",
    *,
    roles: SchemaRoles | None = None,
    password: str | None = None,
) -> None:
    """Upgrade one service's schema to `revision`.

    With `roles`, the login of `dsn` (and `password`) acts as `roles.owner` (`SET ROLE`), the
    schema must exist, and the owner grants the runtime role its privileges afterwards. Without
    them it migrates as the login itself and creates the schema when missing (only for tools that
    work on a throw-away database, such as `deploy.revision`).
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.attributes["dsn"] = dsn
    cfg.attributes["schema"] = schema
    cfg.attributes["roles"] = roles
    cfg.attributes["password"] = password
    command.upgrade(cfg, revision)


def prepare_schema(
    script_location: Path,
    dsn: str,
    schema: str,
    revision: str = "head",
    *,
    app_password: str | None = None,
    password: str | None = None,
) -> None:
    """Roles (created when the login of `dsn` is a superuser), then migrations as the owner.

    `app_password` becomes the runtime role's password when the roles are created or updated here.
    """
    roles = roles_for(schema)

    async def _roles() -> None:
        engine = create_async_engine(sqlalchemy_url(dsn), connect_args=_password_args(password))
        try:
            async with engine.begin() as conn:
                await ensure_roles(conn, roles, app_password=app_password)
        finally:
            await engine.dispose()

    asyncio.run(_roles())
    upgrade(script_location, dsn, schema, revision, roles=roles, password=password)


def run_migrations_online(metadata: MetaData, *, append_only: Collection[str] = ()) -> None:
    """Body of every service's `env.py`: migrate inside the service schema.

    `append_only` names the tables whose runtime role may only SELECT and INSERT.
    """
    cfg = context.config
    dsn: str = cfg.attributes["dsn"]
    schema: str = cfg.attributes["schema"]
    roles: SchemaRoles | None = cfg.attributes.get("roles")
    password: str | None = cfg.attributes.get("password")

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
            if roles is not None:
                # In the migrations' transaction: the runtime role never sees a table without grants.
                tables = connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"), {"schema": schema}
                ).scalars()
                for statement in grant_statements(roles, list(tables), append_only=append_only):
                    connection.exec_driver_sql(statement)

    async def _main() -> None:
        engine = create_async_engine(sqlalchemy_url(dsn), connect_args=_password_args(password))
        try:
            async with engine.connect() as conn:
                if roles is None:
                    await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                else:
                    await _act_as_owner(conn, roles)
                await conn.execute(text(f'SET search_path TO "{schema}", public'))
                await conn.commit()
                await conn.run_sync(_run)
                await conn.commit()
        finally:
            await engine.dispose()

    asyncio.run(_main())


async def _act_as_owner(conn: AsyncConnection, roles: SchemaRoles) -> None:
    try:
        await conn.execute(text(f"SET ROLE {quote_ident(roles.owner)}"))
    except DBAPIError as exc:
        raise RuntimeError(
            f"cannot migrate {roles.schema!r} as {roles.owner}: {exc.orig}; the migration login must be a "
            f"superuser or a member of {roles.owner} (docs/runbook.md, PostgreSQL roles)"
        ) from exc
    exists = await conn.scalar(text("SELECT true FROM pg_namespace WHERE nspname = :schema"), {"schema": roles.schema})
    if not exists:
        raise RuntimeError(
            f"schema {roles.schema!r} does not exist; create it with its roles first "
            "(docs/runbook.md, PostgreSQL roles)"
        )


def _password_args(password: str | None) -> dict[str, str]:
    # A password given apart from the URL wins over one in it (asyncpg's keyword argument).
    return {"password": password} if password else {}
