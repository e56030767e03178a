"""One running system for the whole bad-input suite: starting seven services costs seconds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.integration.bad_input.system import System, running_system


@pytest.fixture(scope="package")
async def system(tmp_path_factory: pytest.TempPathFactory, pg_dsn: str) -> AsyncIterator[System]:
    async with running_system(tmp_path_factory.mktemp("bad-input-nats"), pg_dsn) as running:
        yield running
