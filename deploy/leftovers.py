"""Processes an earlier, crashed run left behind in a data folder: found, and stopped before a new start.

A process is recognised as ours by what it is, never only by where it works: nats-server with
its configuration in the folder, the postmaster with `-D` there (its server processes go with
it), the watchdog, and services whose environment names the folder (or, for a run that predates
that, whose pid `run.json` lists). Anything else that uses the folder — a shell `cd`'d into it,
an editor — is named and left alone.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from deploy import pgctl, procfs
from shared.supervised import SUPERVISOR_DATA_DIR

__all__ = ["Leftover", "Seen", "classify", "find_leftovers", "stop_leftovers"]

#: Seconds each kind gets after SIGTERM before SIGKILL.
_GRACE_S = 8.0
#: How long a stopped postmaster may stay a zombie before its parent (often PID 1) reaps it.
_REAP_S = 30.0


@dataclass(frozen=True)
class Leftover:
    """One process that still uses the folder."""

    pid: int
    kind: str
    """`service`, `nats-server`, `postmaster`, `postgres`, `watchdog` or `other`."""
    label: str
    """What it is, for the line that reports it (`finance`, `nats-server`, a command line)."""


def _service_pids_from_run_info(data_dir: Path) -> dict[int, str]:
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        info = json.loads((data_dir / "run.json").read_text())
        return {int(s["pid"]): name for name, s in info["services"].items() if s.get("pid")}
    return {}


def _service_name(args: list[str]) -> str | None:
    """`finance` for `python -m services.finance run`."""
    for flag, module in itertools.pairwise(args):
        if flag == "-m" and module.startswith("services."):
            return module.split(".")[1]
    return None


@dataclass(frozen=True)
class Seen:
    """What /proc shows of one process (its environment only read when it matters)."""

    pid: int
    args: list[str]
    cwd: str | None
    environ: Callable[[], dict[str, str]]


def classify(seen: Seen, data_dir: Path, listed: dict[int, str]) -> Leftover | None:  # noqa: PLR0911 - one per kind
    """Which kind of leftover `seen` is for `data_dir`, or None when it has nothing to do with the folder.

    `listed`: service pids by name from a leftover `run.json`, for runs that predate the marker.
    """
    args = seen.args
    if not args:
        return None
    service = _service_name(args)
    if service is not None:
        marker = seen.environ().get(SUPERVISOR_DATA_DIR)
        if marker == str(data_dir) or (marker is None and listed.get(seen.pid) == service):
            return Leftover(seen.pid, "service", service)
        return None
    in_folder = seen.cwd is not None and procfs.points_into(seen.cwd, data_dir)
    if not in_folder and not any(procfs.points_into(arg, data_dir) for arg in args):
        return None
    program, command = Path(args[0]).name, " ".join(args)
    if program == "nats-server":
        return Leftover(seen.pid, "nats-server", "nats-server")
    if program == "postgres" and "-D" in args:
        return Leftover(seen.pid, "postmaster", "PostgreSQL postmaster")
    if args[0].startswith("postgres:"):
        return Leftover(seen.pid, "postgres", command)
    if "deploy.watchdog" in args:
        return Leftover(seen.pid, "watchdog", "PostgreSQL watchdog")
    return Leftover(seen.pid, "other", command[:120])


def _seen(pid: int) -> Seen:
    return Seen(pid, procfs.cmdline(pid), procfs.cwd(pid), lambda: procfs.environ(pid))


def _ancestors() -> list[int]:
    """This process's parent, its parent, …: the shell that started `make run` is no leftover."""
    chain, pid = [], os.getppid()
    while pid > 1 and pid not in chain:
        chain.append(pid)
        pid = procfs.parent_pid(pid) or 0
    return chain


def find_leftovers(data_dir: Path, *, exclude: Iterable[int] = ()) -> list[Leftover]:
    """Every live process that uses `data_dir`, classified (this process and `exclude` left out)."""
    data_dir = data_dir.resolve()
    skip = {os.getpid(), *_ancestors(), *exclude}
    listed = _service_pids_from_run_info(data_dir)
    found = []
    for pid in procfs.all_pids():
        if pid in skip or not procfs.alive(pid):
            continue
        leftover = classify(_seen(pid), data_dir, listed)
        if leftover is not None:
            found.append(leftover)
    return found


def _terminate(group: list[Leftover], say: Callable[[str], None], folder: str) -> None:
    for leftover in group:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(leftover.pid, signal.SIGTERM)
    stubborn = set(procfs.wait_gone([lo.pid for lo in group], _GRACE_S))
    for leftover in group:
        how = "stopped"
        if leftover.pid in stubborn:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(leftover.pid, signal.SIGKILL)
            how = f"killed (it ignored SIGTERM for {_GRACE_S:.0f} s)"
        say(f"{how} a leftover {leftover.label} (pid {leftover.pid}) of an earlier run that still used {folder}")


def stop_leftovers(data_dir: Path, leftovers: list[Leftover], say: Callable[[str], None], folder: str) -> None:
    """Stop the leftovers in the order a clean stop would, one line each.

    Services first (they still write to the servers), then nats-server (SIGTERM flushes its
    store) and the watchdog (SIGTERM makes it stop PostgreSQL now), then PostgreSQL with a fast
    shutdown. Processes that are not ours are named and left alone.
    """
    by_kind: dict[str, list[Leftover]] = {}
    for leftover in leftovers:
        by_kind.setdefault(leftover.kind, []).append(leftover)
    for kind in ("service", "nats-server", "watchdog"):
        if by_kind.get(kind):
            _terminate(by_kind[kind], say, folder)
    pgdata = data_dir.resolve() / "postgres"
    for postmaster in by_kind.get("postmaster", []):
        outcome = pgctl.stop_cluster(pgdata) if pgctl.postmaster_pid(pgdata) == postmaster.pid else "not ours"
        if outcome == "not ours":  # a cluster in another folder under this one: stop it by signal
            _terminate([postmaster], say, folder)
            continue
        say(f"stopped a leftover PostgreSQL (pid {postmaster.pid}) of an earlier run in {folder}: {outcome}")
        # The embedded server's start takes a dead postmaster its parent has not reaped yet (a
        # zombie) for a running one and refuses to start: wait until it is reaped, too.
        if not procfs.wait_reaped(postmaster.pid, _REAP_S):
            say(f"the leftover PostgreSQL (pid {postmaster.pid}) has not been reaped after {_REAP_S:.0f} s")
    servers = [lo.pid for lo in by_kind.get("postgres", [])]
    # A postmaster's server processes exit by themselves once it is gone; wait for that.
    for pid in procfs.wait_gone(servers, _GRACE_S):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    for other in by_kind.get("other", []):
        say(f"left alone: pid {other.pid} ({other.label}) uses {folder} but is not part of Raderwerk")
