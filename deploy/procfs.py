"""What Linux's /proc says about a process: alive, its arguments, working directory, environment.

The launcher uses it to find processes that still use a data folder and to wait for processes
that are not its children (the postmaster, leftovers of a crashed run) to be gone. A zombie
counts as gone: it runs no code and holds no files, only its parent has not reaped it yet.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = [
    "alive",
    "all_pids",
    "cmdline",
    "cwd",
    "environ",
    "parent_pid",
    "points_into",
    "uses_folder",
    "wait_gone",
    "wait_reaped",
]

PROC = Path("/proc")


def all_pids() -> Iterator[int]:
    """Every process id the system shows now."""
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            yield int(entry.name)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may itself contain spaces and parentheses.
    return raw[raw.rindex(")") + 2 :].split()


def alive(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def parent_pid(pid: int) -> int | None:
    """The parent of `pid`, or None when it is gone."""
    fields = _stat_fields(pid)
    return int(fields[1]) if fields is not None else None


def cmdline(pid: int) -> list[str]:
    """The arguments of `pid` (empty when it is gone, a zombie or a kernel thread)."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def cwd(pid: int) -> str | None:
    """The working directory of `pid`, or None when it cannot be read."""
    try:
        return str((PROC / str(pid) / "cwd").readlink())
    except OSError:
        return None


def environ(pid: int) -> dict[str, str]:
    """The environment `pid` started with (empty when it cannot be read)."""
    try:
        raw = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return {}
    pairs = (part.decode(errors="replace").partition("=") for part in raw.split(b"\0") if part)
    return {key: value for key, _, value in pairs}


def points_into(text: str, folder: Path) -> bool:
    """Whether `text` names `folder` or something inside it (`/x/.rw` or `/x/.rw/…`, not `/x/.rw2`)."""
    return re.search(re.escape(str(folder)) + r"(/|$|\s)", text) is not None


def uses_folder(pid: int, folder: Path) -> bool:
    """Whether an argument or the working directory of `pid` points into `folder`."""
    directory = cwd(pid)
    if directory is not None and points_into(directory, folder):
        return True
    return any(points_into(arg, folder) for arg in cmdline(pid))


def wait_gone(pids: Iterable[int], timeout: float, *, interval: float = 0.05) -> list[int]:
    """Wait until none of `pids` is alive; answers those still alive after `timeout` seconds."""
    remaining = list(pids)
    deadline = time.monotonic() + timeout
    while True:
        remaining = [pid for pid in remaining if alive(pid)]
        if not remaining or time.monotonic() >= deadline:
            return remaining
        time.sleep(interval)


def wait_reaped(pid: int, timeout: float, *, interval: float = 0.05) -> bool:
    """Wait until `pid` no longer exists at all, not even as a zombie; answers whether it is gone."""
    deadline = time.monotonic() + timeout
    while (PROC / str(pid)).exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True
