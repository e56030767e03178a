"""PostgreSQL roles for a deployment: passwords, logins, local authentication, the DBA's script.

The role model itself (names, privileges, the SQL) is `shared.db.roles`; this module is what the
launcher and an operator add around it:

- `database_logins`: each service's runtime role and password (generated once per data folder and
  kept in `database-secrets.json` beside the other generated secrets, or from
  `RW_<SERVICE>_DATABASE_PASSWORD`);
- `secure_local_auth`: the embedded server is initialised with trust authentication on its socket;
  this makes every role but the administrator prove itself with its password (scram-sha-256);
- `python -m deploy.roles sql`: the script an administrator runs on an external server.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import secrets
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shared.db.engine import sqlalchemy_url
from shared.db.roles import database_statements, login_url, quote_ident, role_statements, roles_for
from shared.topology import SERVICE_NAMES

__all__ = [
    "DATABASE_SECRETS",
    "DatabaseLogin",
    "database_logins",
    "dba_script",
    "load_or_create_database_passwords",
    "local_auth_files",
    "secure_local_auth",
    "verify_logins",
]

#: File name, in the data folder, of the generated runtime-role passwords (mode 0600).
DATABASE_SECRETS = "database-secrets.json"
#: The pg_ident.conf map that names who may administer the embedded cluster.
IDENT_MAP = "raderwerk"


@dataclass(frozen=True)
class DatabaseLogin:
    """How one service connects: its runtime role's URL (no password in it) and password."""

    role: str
    url: str
    password: str


def load_or_create_database_passwords(path: Path, services: Iterable[str] = SERVICE_NAMES) -> dict[str, str]:
    """One password per service, reused across runs; the `dev-` prefix is refused in prod."""
    wanted = list(services)
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if all(name in stored for name in wanted):
        return stored
    passwords = {**stored, **{name: f"dev-{secrets.token_urlsafe(24)}" for name in wanted if name not in stored}}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(passwords, handle, indent=2)
    return passwords


def database_logins(
    admin_dsn: str, data_dir: Path, services: Iterable[str] = SERVICE_NAMES
) -> dict[str, DatabaseLogin]:
    """Each service's login: the admin DSN's server and database, the service's own role.

    A password in `RW_<SERVICE>_DATABASE_PASSWORD` wins over the generated one (an external
    server whose roles an administrator created with passwords of their own).
    """
    names = list(services)
    generated = load_or_create_database_passwords(data_dir / DATABASE_SECRETS, names)
    logins = {}
    for name in names:
        role = roles_for(name).app
        password = os.environ.get(f"RW_{name.upper()}_DATABASE_PASSWORD") or generated[name]
        logins[name] = DatabaseLogin(role, login_url(admin_dsn, role), password)
    return logins


def verify_logins(logins: Mapping[str, DatabaseLogin], *, timeout: float = 10.0) -> None:
    """Each service can log in as its runtime role, and that role is no superuser.

    Raises `RuntimeError` naming the service otherwise, before any service is started with it.
    """
    asyncio.run(_verify_logins(logins, timeout))


async def _verify_logins(logins: Mapping[str, DatabaseLogin], timeout: float) -> None:
    for name, login in logins.items():
        engine = create_async_engine(
            sqlalchemy_url(login.url), poolclass=NullPool, connect_args={"password": login.password, "timeout": timeout}
        )
        try:
            async with engine.connect() as conn:
                superuser = await conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        except Exception as exc:
            raise RuntimeError(
                f"{name} cannot log in as {login.role}: {getattr(exc, 'orig', exc)}; on a server whose roles an "
                f"administrator made, set RW_{name.upper()}_DATABASE_PASSWORD to that role's password"
            ) from exc
        finally:
            await engine.dispose()
        if superuser:
            raise RuntimeError(f"{name} would run as {login.role}, a superuser: a service's role must not be one")


def local_auth_files(administrator: str, os_user: str) -> dict[str, str]:
    """pg_hba.conf and pg_ident.conf of the embedded cluster (it listens on its socket only).

    The administrator role is reserved to the operating-system user who runs `make run` (peer
    authentication through the map); every other role, the services' included, needs its password.
    """
    hba = (
        "# Written by Raderwerk (deploy/roles.py) at every start; edits are overwritten.\n"
        f"# {administrator}: only the operating-system user in pg_ident.conf's map {IDENT_MAP!r}.\n"
        "# Every other role (each service's <schema>_app) proves itself with its password.\n"
        f"local   all   {administrator}   peer   map={IDENT_MAP}\n"
        "local   all   all   scram-sha-256\n"
    )
    ident = (
        "# Written by Raderwerk (deploy/roles.py): who may administer this cluster.\n"
        f"{IDENT_MAP}   {os_user}   {administrator}\n"
    )
    return {"pg_hba.conf": hba, "pg_ident.conf": ident}


def secure_local_auth(pgdata: Path, admin_dsn: str, *, timeout: float = 10.0) -> bool:
    """Install `local_auth_files` in `pgdata` and reload; answers whether anything changed.

    Returns once new connections use the new rules, so nothing started afterwards can still log
    in as a service's role without its password.
    """
    administrator = urlsplit(admin_dsn).username or "postgres"
    wanted = local_auth_files(administrator, _os_user())
    changed = [name for name, content in wanted.items() if _read(pgdata / name) != content]
    if not changed:
        return False
    for name in changed:
        # Rewritten in place: the files keep the owner and mode the cluster gave them.
        with (pgdata / name).open("w") as handle:
            handle.write(wanted[name])
    asyncio.run(_reload(admin_dsn, timeout))
    return True


async def _reload(admin_dsn: str, timeout: float) -> None:
    engine = create_async_engine(sqlalchemy_url(admin_dsn), poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            rules = text("SELECT file_name, line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL")
            errors = (await conn.execute(rules)).all()
            if errors:
                raise RuntimeError(f"PostgreSQL refuses the new authentication rules: {errors}")
            asked = await conn.scalar(text("SELECT clock_timestamp()"))
            await conn.execute(text("SELECT pg_reload_conf()"))
        # The postmaster reloads on its own time; a new session reports when it last did.
        deadline = time.monotonic() + timeout
        while True:
            async with engine.connect() as conn:
                if await conn.scalar(text("SELECT pg_conf_load_time() >= :asked"), {"asked": asked}):
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"PostgreSQL did not reload its authentication rules within {timeout:.0f} s")
            await asyncio.sleep(0.02)
    finally:
        await engine.dispose()


def _read(path: Path) -> str | None:
    return path.read_text() if path.exists() else None


def _os_user() -> str:
    # What peer authentication sees: the effective user, not $USER (which sudo or su may keep).
    return pwd.getpwuid(os.geteuid()).pw_name


def dba_script(database: str, migrator: str, schemas: Mapping[str, str]) -> str:
    """The SQL an administrator runs once on an external server (psql, as a superuser).

    The same statements `make run` and compose run; passwords are set afterwards with psql's
    `\\password`, so they appear in no file or log.
    """
    roles_for(migrator)  # the same rule for its name as for the roles' names
    lines = [
        "-- Raderwerk: PostgreSQL roles (docs/runbook.md, PostgreSQL roles). Run as a superuser, in",
        f"-- the database {database!r}; it is idempotent. Passwords afterwards, with psql's \\password.",
        "BEGIN;",
    ]
    lines += [f"{s};" for s in database_statements(database)]
    lines += [
        "-- The login that runs migrations: a member of every owner role, nothing more.",
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{migrator}') "
        f"THEN CREATE ROLE {quote_ident(migrator)}; END IF; END $$;",
        f"ALTER ROLE {quote_ident(migrator)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
        "NOBYPASSRLS NOINHERIT;",
        f"GRANT CONNECT ON DATABASE {quote_ident(database)} TO {quote_ident(migrator)};",
    ]
    for service, schema in schemas.items():
        roles = roles_for(schema)
        lines.append(f"-- {service}: schema {schema}, owner {roles.owner}, runtime role {roles.app}")
        lines += [f"{s.strip()};" for s in role_statements(roles, database, app_password=None)]
        lines.append(f"GRANT {quote_ident(roles.owner)} TO {quote_ident(migrator)};")
    lines.append("COMMIT;")
    lines.append(f"\\password {quote_ident(migrator)}")
    lines += [f"\\password {quote_ident(roles_for(schema).app)}" for schema in schemas.values()]
    return "\n".join(lines) + "\n"


app = typer.Typer(help="PostgreSQL roles of Raderwerk.", no_args_is_help=True, add_completion=False)


@app.command()
def sql(
    database: Annotated[str, typer.Option(help="The database the services use.")] = "raderwerk",
    migrator: Annotated[str, typer.Option(help="The login that runs migrations.")] = "raderwerk_migrator",
) -> None:
    """Print the script that creates every service's roles on an external server."""
    sys.stdout.write(dba_script(database, migrator, {name: name for name in SERVICE_NAMES}))


@app.callback()
def _commands() -> None:
    """PostgreSQL roles of Raderwerk."""


if __name__ == "__main__":
    app()
