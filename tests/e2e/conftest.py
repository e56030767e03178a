"""Start the whole system the way `make run` does, in a temporary data folder."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.system import RunningSystem

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 180


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _pump(stream: object, lines: queue.Queue[str | None], keep: list[str]) -> None:
    assert hasattr(stream, "readline")
    for line in iter(stream.readline, ""):
        keep.append(line)
        lines.put(line)
    lines.put(None)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    data_dir = tmp_path_factory.mktemp("rw-e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RW_")}
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.run", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, lines, output), daemon=True).start()
    deadline = time.monotonic() + READY_TIMEOUT_S
    ready = ""
    while not ready:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            process.kill()
            pytest.fail("no ready line in time:\n" + "".join(output[-60:]))
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            pytest.fail(f"deploy.run exited with {process.wait()}:\n" + "".join(output[-60:]))
        if line.startswith("Raderwerk ready"):
            ready = line
    running = RunningSystem(process, data_dir, ready, output)
    yield running
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
