"""Real nats-server and PostgreSQL for the integration tier, started once per session."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest

from deploy.embedded import start_nats, start_postgres
from deploy.provision import ProvisionReport, provision
from deploy.roles import secure_local_auth
from tests.integration.servers import TestNats


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestNats]:
    process = start_nats(tmp_path_factory.mktemp("nats"), port=None, http_port=None)

    async def first() -> ProvisionReport:
        nc = await nats.connect(process.url, user="provisioner", password=process.passwords["provisioner"])
        try:
            return await provision(nc)
        finally:
            await nc.close()

    try:
        report = asyncio.run(first())
        yield TestNats(process, report)
    finally:
        process.stop()


@pytest.fixture(scope="session")
def pg_dsn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("RW_TEST_DATABASE_URL")
    if external:
        yield external
        return
    handle = start_postgres(Path(tmp_path_factory.mktemp("pg")) / "data")
    try:
        # As `make run` does: the services' roles must give their passwords.
        secure_local_auth(handle.data_dir, handle.dsn)
        yield handle.dsn
    finally:
        handle.stop()
