"""A service's own command line, as the compose and Kubernetes jobs run it: `migrate`, then `seed`.

The other integration tests migrate in their own process, as `make run` does; these are the only
ones that start `python -m services.<name> migrate` for it.
"""

from __future__ import annotations

import asyncio
import uuid

import asyncpg  # type: ignore[import-untyped]  # no stubs; used only to ask PostgreSQL directly

from shared.db.roles import roles_for
from tests.integration.processes import ServiceProcess, runtime_password
from tests.integration.servers import TestNats


def _hr(nats_server: TestNats, pg_dsn: str) -> ServiceProcess:
    schema = f"t_cli_hr_{uuid.uuid4().hex[:8]}"
    return ServiceProcess("hr", nats_server.url, nats_server.passwords["hr"], pg_dsn, schema)


def _migrate(service: ServiceProcess) -> str:
    # The jobs' migration login is the administrator's; the runtime role's password is the service's own.
    return service.cli("migrate", env={**service.env, "RW_HR_MIGRATION_DATABASE_URL": service.dsn})


async def test_migrate_creates_the_schema_with_its_roles_and_again_changes_nothing(
    nats_server: TestNats, pg_dsn: str
) -> None:
    service = _hr(nats_server, pg_dsn)

    first = await asyncio.to_thread(_migrate, service)
    again = await asyncio.to_thread(_migrate, service)

    assert first.strip() == again.strip() == f"hr: schema {service.schema!r} at head"
    admin = await asyncpg.connect(pg_dsn)
    try:
        owner = await admin.fetchval(
            "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = $1", service.schema
        )
        version = await admin.fetchval(f'SELECT version_num FROM "{service.schema}".alembic_version')
    finally:
        await admin.close()
    assert owner == roles_for(service.schema).owner
    assert version, "the version table names the revision reached"
    app = await asyncpg.connect(service.app_dsn, password=runtime_password(service.schema))
    try:
        assert await app.fetchval("SELECT current_user") == roles_for(service.schema).app
    finally:
        await app.close()


async def test_seed_loads_the_demo_staff_once(nats_server: TestNats, pg_dsn: str) -> None:
    service = _hr(nats_server, pg_dsn)
    await asyncio.to_thread(_migrate, service)

    first = await asyncio.to_thread(service.cli, "seed")
    again = await asyncio.to_thread(service.cli, "seed")

    assert first.startswith("hr: 7 staff members (7 new, 0 updated, 0 unchanged)"), first
    assert again.startswith("hr: 7 staff members (0 new, 0 updated, 7 unchanged)"), again
