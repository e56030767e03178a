"""The PostgreSQL roles of one service schema (ADR 0006).

Every schema has two roles, named after it:

- `<schema>_owner` (NOLOGIN) owns the schema and everything in it. Migrations act as it
  (`SET ROLE`), so the tables, sequences, functions and triggers they create are its own.
- `<schema>_app` (LOGIN) is what the running service connects as: USAGE on its schema only,
  SELECT/INSERT/UPDATE/DELETE on its tables, USAGE/SELECT on its sequences, nothing it could
  create, alter or drop. Tables a service declares append-only (audit's ledger) get only SELECT
  and INSERT.

`ensure_roles` creates the roles and the schema when the connected login is a superuser (the
embedded runtime, compose, tests); on a server prepared by its administrator (docs/runbook.md,
"PostgreSQL roles") it only checks that they are there. `grant_statements` is what the owner
grants after every migration, so tables added by later revisions are covered too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import string
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = [
    "RolesNotReady",
    "SchemaRoles",
    "database_statements",
    "ensure_roles",
    "grant_statements",
    "login_url",
    "quote_ident",
    "quote_literal",
    "role_statements",
    "roles_for",
    "scram_sha256_verifier",
]

#: Role names are the schema's plus a suffix, within PostgreSQL's 63-byte identifiers.
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,56}$")
#: What a runtime role may do with every table of its schema (never TRUNCATE, REFERENCES, TRIGGER).
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
#: What it may do with an append-only table: read it and add to it.
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"
#: Alembic's bookkeeping: the owner's alone.
VERSION_TABLE = "alembic_version"
#: No role may log in with more than this (and never as anything else).
_ROLE_LIMITS = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"
_PRINTABLE_ASCII = set(string.printable) - set(string.whitespace) | {" "}


class RolesNotReady(RuntimeError):
    """The schema's roles are missing and the connected login may not create them."""


@dataclass(frozen=True)
class SchemaRoles:
    """The owner and runtime role of one schema."""

    schema: str

    @property
    def owner(self) -> str:
        """Owns the schema and its objects; migrations act as it."""
        return f"{self.schema}_owner"

    @property
    def app(self) -> str:
        """The service's login at run time."""
        return f"{self.schema}_app"


def roles_for(schema: str) -> SchemaRoles:
    """The roles of `schema`; refuses names that would not make valid, unquoted role names."""
    if not _NAME.match(schema):
        raise ValueError(f"schema name {schema!r} cannot name its roles (lower case, at most 57 characters)")
    return SchemaRoles(schema)


def quote_ident(name: str) -> str:
    """A double-quoted identifier (names here are checked, so this is for readability of SQL)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """A single-quoted SQL literal."""
    return "'" + value.replace("'", "''") + "'"


def scram_sha256_verifier(password: str, *, salt: bytes | None = None, iterations: int = 4096) -> str:
    """What PostgreSQL stores for `password`, computed here so the password never reaches its logs.

    The same computation as libpq's `PQencryptPasswordConn` (RFC 5802/7677). PostgreSQL normalises
    a password with SASLprep first, which is the identity for printable ASCII; anything else is
    refused here rather than risk a verifier that does not match.
    """
    if not password or not set(password) <= _PRINTABLE_ASCII:
        raise ValueError("database passwords must be non-empty printable ASCII")
    salt = salt if salt is not None else os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def login_url(dsn: str, user: str) -> str:
    """`dsn` with `user` as its login and no password (the password is given separately)."""
    parts = urlsplit(dsn)
    if not parts.scheme.startswith("postgres"):
        raise ValueError(f"not a PostgreSQL URL: {parts.scheme}://…")
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}@{host}"))


def database_statements(database: str) -> list[str]:
    """Once per database: nobody gets anything from PUBLIC (no CONNECT, TEMP, or use of `public`)."""
    return [
        f"REVOKE ALL ON DATABASE {quote_ident(database)} FROM PUBLIC",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
    ]


def role_statements(roles: SchemaRoles, database: str, *, app_password: str | None) -> list[str]:
    """Create (or bring back in line) the roles and the schema; run by a superuser, idempotent.

    Objects left owned by another role (a schema migrated before roles existed) are handed to the
    owner, so the runtime role can never be the owner of anything.
    """
    owner, app, schema = quote_ident(roles.owner), quote_ident(roles.app), quote_ident(roles.schema)
    statements = [_create_role(roles.owner), f"ALTER ROLE {owner} NOLOGIN {_ROLE_LIMITS}"]
    statements.append(_create_role(roles.app))
    password = f" PASSWORD {quote_literal(scram_sha256_verifier(app_password))}" if app_password else ""
    statements.append(f"ALTER ROLE {app} LOGIN {_ROLE_LIMITS}{password}")
    statements += [
        # A runtime role is a member of nothing, so it can never SET ROLE to a more powerful one.
        f"GRANT CONNECT ON DATABASE {quote_ident(database)} TO {app}",
        f"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {owner}",
        f"ALTER SCHEMA {schema} OWNER TO {owner}",
        _adopt_objects(roles),
    ]
    return statements


def grant_statements(roles: SchemaRoles, tables: Collection[str], *, append_only: Collection[str] = ()) -> list[str]:
    """What the owner grants after migrating; `tables` are those the schema holds now.

    Everything is revoked first and granted again, so a privilege added by hand does not survive
    the next migration, and the default privileges cover tables a later revision creates.
    """
    owner, app, schema = quote_ident(roles.owner), quote_ident(roles.app), quote_ident(roles.schema)
    statements = [
        f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC, {app}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM PUBLIC, {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        # Trigger functions fire without EXECUTE; nobody needs to call them.
        f"REVOKE ALL ON ALL ROUTINES IN SCHEMA {schema} FROM PUBLIC",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {TABLE_PRIVILEGES} ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} REVOKE EXECUTE ON ROUTINES FROM PUBLIC",
    ]
    present = set(tables)
    if VERSION_TABLE in present:
        statements.append(f"REVOKE ALL ON TABLE {schema}.{VERSION_TABLE} FROM {app}")
    for table in sorted(set(append_only) & present):
        statements.append(f"REVOKE ALL ON TABLE {schema}.{quote_ident(table)} FROM {app}")
        statements.append(f"GRANT {APPEND_ONLY_PRIVILEGES} ON TABLE {schema}.{quote_ident(table)} TO {app}")
    return statements


async def ensure_roles(conn: AsyncConnection, roles: SchemaRoles, *, app_password: str | None) -> bool:
    """Create the roles and schema if this login is a superuser; else check they exist.

    Answers whether it created or updated them. Raises `RolesNotReady` naming what is missing.
    """
    superuser = await conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    if superuser:
        # Two services migrating at once would GRANT on the same database row, and PostgreSQL fails the
        # second with "tuple concurrently updated": the role statements of one cluster run one at a time.
        await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('raderwerk.roles'))"))
        database = str(await conn.scalar(text("SELECT current_database()")))
        for statement in (*database_statements(database), *role_statements(roles, database, app_password=app_password)):
            await conn.exec_driver_sql(statement)
        return True
    existing = set(
        (
            await conn.scalars(
                text("SELECT rolname FROM pg_roles WHERE rolname IN (:owner, :app)"),
                {"owner": roles.owner, "app": roles.app},
            )
        ).all()
    )
    missing = [name for name in (roles.owner, roles.app) if name not in existing]
    if missing:
        raise RolesNotReady(
            f"the role(s) {', '.join(missing)} do not exist and this login may not create them: "
            "run the SQL of docs/runbook.md (PostgreSQL roles) as an administrator first"
        )
    return False


def _create_role(name: str) -> str:
    # No CREATE ROLE IF NOT EXISTS in PostgreSQL; a concurrent creation is harmless.
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {quote_literal(name)}) "
        f"THEN CREATE ROLE {quote_ident(name)}; END IF; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )


def _adopt_objects(roles: SchemaRoles) -> str:
    # Sequences of identity and serial columns follow their table; indexes and triggers have no
    # owner of their own. Everything else in the schema not owned by the owner is handed to it.
    schema, owner = quote_literal(roles.schema), quote_literal(roles.owner)
    return f"""
DO $adopt$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT format('ALTER %s %s OWNER TO %I',
                      CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                     WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                                     ELSE 'TABLE' END,
                      c.oid::regclass, {owner}) AS statement
        FROM pg_class c
        WHERE c.relnamespace = {schema}::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND c.relowner <> {owner}::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
        UNION ALL
        SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, {owner})
        FROM pg_proc p
        WHERE p.pronamespace = {schema}::regnamespace AND p.proowner <> {owner}::regrole
        UNION ALL
        SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, {owner})
        FROM pg_type t
        WHERE t.typnamespace = {schema}::regnamespace AND t.typtype IN ('e', 'd', 'r')
          AND t.typowner <> {owner}::regrole
    LOOP
        EXECUTE item.statement;
    END LOOP;
END
$adopt$"""  # noqa: S608 - quoted literals of checked names
