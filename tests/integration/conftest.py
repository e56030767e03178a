"""The integration tier: real nats-server and PostgreSQL, started once per session."""

from __future__ import annotations

import pytest

from tests.integration.fixtures import nats_server, pg_dsn

__all__ = ["nats_server", "pg_dsn"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
