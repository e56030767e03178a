"""One runtime per data folder: a second launch is refused and changes nothing; a crashed run's traces are cleared."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from deploy.embedded import nats_server_binary
from tests.chaos.flows import demo
from tests.chaos.launcher import Launch, pid_alive, processes_using, until

#: Files the launcher writes into the data folder (the servers' own files change while they run).
WRITTEN = ("run.lock", "run.json", "nats/ports.json", "nats/nats.conf", "nats/secrets.json")


def _snapshot(folder: Path) -> dict[str, object]:
    return {
        "top": sorted(p.name for p in folder.iterdir()),
        "nats": sorted(p.name for p in (folder / "nats").iterdir()),
        **{name: ((folder / name).stat().st_mtime_ns, (folder / name).read_bytes()) for name in WRITTEN},
    }


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def _started_by_a_launcher(folder: Path) -> dict[int, str]:
    """The processes using `folder` but PostgreSQL's server processes, which come and go with connections.

    A backend has the postmaster as its parent; right after the fork it still shows the
    postmaster's command line, before it names itself `postgres: ...`.
    """
    found = processes_using(folder)
    postmasters = {pid for pid, command in found.items() if "/bin/postgres " in command}
    return {
        pid: command
        for pid, command in found.items()
        if not command.startswith("postgres:") and _parent(pid) not in postmasters
    }


@pytest.mark.timeout(300)
def test_a_second_launch_on_a_running_folder_says_who_runs_it_and_changes_nothing(
    launch: Callable[..., Launch], data_dir: Path
) -> None:
    first = launch()
    first.wait_ready()
    before, running = _snapshot(data_dir), _started_by_a_launcher(data_dir)

    second = launch()
    assert second.wait_exit(timeout=60) == 1
    lines = [line.rstrip("\n") for line in second.output if line.strip()]
    pid = first.process.pid
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Raderwerk already runs from {data_dir} (pid {pid}, started "), lines[0]
    assert lines[0].endswith(f"stop it with Ctrl-C in its terminal or `kill {pid}`"), lines[0]
    restarts = [line for line in first.output if line.startswith("raderwerk  restarting")]
    assert not restarts, f"a restart under the first launch rewrites run.json:\n{first.tail()}"
    assert _snapshot(data_dir) == before, "the refused launch changed the folder"
    assert _started_by_a_launcher(data_dir) == running, "the refused launch started or stopped something"
    assert all(first.services_ready().values())


def _dead_pid() -> int:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    return int(finished.stdout)


@pytest.mark.timeout(300)
def test_a_stale_lock_is_reported_and_taken_over(launch: Callable[..., Launch], data_dir: Path) -> None:
    dead = _dead_pid()
    holder = {"pid": dead, "started": "2026-01-01 09:00:00", "command": "python -m deploy.run"}
    (data_dir / "run.lock").write_text(json.dumps(holder))

    launched = launch()
    line = launched.wait_for_line(lambda s: "run.lock" in s, timeout=60, what="the stale lock's line")
    assert f"names pid {dead} (started 2026-01-01 09:00:00), which no longer runs" in line
    assert "taking the lock over" in line
    launched.wait_ready()
    assert json.loads((data_dir / "run.lock").read_text())["pid"] == launched.process.pid


def _orphan_nats_server(data_dir: Path) -> subprocess.Popen[bytes]:
    """nats-server on the folder's configuration and store, in a session of its own, no parent-death signal."""
    return subprocess.Popen(
        [str(nats_server_binary()), "-c", str(data_dir / "nats" / "nats.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.timeout(420)
async def test_leftovers_of_a_crashed_run_are_stopped_before_anything_starts(
    launch: Callable[..., Launch], data_dir: Path
) -> None:
    first = launch()
    first.wait_ready()
    processes = first.run_info["processes"]
    # A crash that took the watchdog along: PostgreSQL stays up, nothing else does.
    os.kill(processes["watchdog"], signal.SIGKILL)
    os.kill(processes["launcher"], signal.SIGKILL)
    first.wait_exit(timeout=10)
    until(lambda: pid_alive(processes["nats-server"]), lambda alive: not alive, timeout=10, what="nats-server to end")
    postmaster = processes["PostgreSQL"]
    assert pid_alive(postmaster)
    # And a nats-server on the same store, as an earlier version of the launcher left them behind.
    orphan = _orphan_nats_server(data_dir)
    until(lambda: orphan.pid in processes_using(data_dir), bool, timeout=10, what="the orphan nats-server to run")

    second = launch()
    second.wait_ready()
    leftovers = [line for line in second.output if "leftover" in line]
    assert any(f"leftover nats-server (pid {orphan.pid})" in line for line in leftovers), second.tail()
    assert any(f"leftover PostgreSQL (pid {postmaster})" in line and "fast shutdown" in line for line in leftovers)
    assert orphan.wait(timeout=10) == 0, "the orphan nats-server was stopped with SIGTERM, so it flushed its store"
    now = second.run_info["processes"]
    servers = [p for p, command in processes_using(data_dir).items() if "nats-server" in command]
    assert servers == [now["nats-server"]], "exactly one nats-server uses the store"
    assert now["PostgreSQL"] != postmaster
    await demo(second)
