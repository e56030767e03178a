"""Every test here is marked `chaos`; each launch is stopped and its folder cleared of processes afterwards.

Tests that kill a single consumer or relay use the integration tier's servers (`nats_server`, `pg_dsn`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.chaos.launcher import Launch, kill_everything_using, start_launcher
from tests.integration.fixtures import nats_server, pg_dsn

__all__ = ["data_dir", "launch", "nats_server", "pg_dsn"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/chaos" in str(item.fspath):
            item.add_marker(pytest.mark.chaos)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data folder for `deploy.run`."""
    folder = tmp_path / "rw"
    folder.mkdir()
    return folder


@pytest.fixture
def launch(data_dir: Path) -> Iterator[Callable[..., Launch]]:
    """Start `python -m deploy.run --data-dir <data_dir>` (as often as a test needs); all stopped at the end."""
    started: list[Launch] = []

    def start(*args: str) -> Launch:
        launched = start_launcher(data_dir, *args)
        started.append(launched)
        return launched

    yield start
    for launched in started:
        launched.stop()
    # Whatever a failing test left (a postmaster, a nats-server) must not outlive it.
    kill_everything_using(data_dir)
