"""One runtime per data folder: an exclusive lock on `<data>/run.lock`, held for the launcher's life.

`flock` is released by the kernel when the process ends, however it ends, so a crash never
leaves the folder locked; the file's content (who holds it) then stays behind and tells the
next launcher that the earlier run did not stop cleanly. Taking the lock writes nothing when it
fails: the second `make run` leaves the folder exactly as it found it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["LOCK_FILE", "AlreadyRunningError", "Holder", "RunLock"]

LOCK_FILE = "run.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) the lock."""

    pid: int
    started: str
    command: str

    @classmethod
    def me(cls) -> Holder:
        """This process."""
        return cls(os.getpid(), time.strftime("%Y-%m-%d %H:%M:%S"), " ".join(sys.orig_argv))


class AlreadyRunningError(Exception):
    """Another process holds the lock; `holder` is None while it has not written its name yet."""

    def __init__(self, folder: Path, holder: Holder | None) -> None:
        self.folder = folder
        self.holder = holder
        super().__init__(f"{folder} is locked by {holder}")


def _read(fd: int) -> Holder | None:
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        raw = os.pread(fd, 64 * 1024, 0)
        if raw.strip():
            data = json.loads(raw)
            return Holder(int(data["pid"]), str(data["started"]), str(data["command"]))
    return None


class RunLock:
    """The data folder's lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> Holder | None:
        """Take the lock; answers the holder a crashed run left in the file (None after a clean stop).

        Raises `AlreadyRunningError` when a live process holds it.
        """
        # No O_TRUNC: opening must not change the file when the lock is someone else's.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise AlreadyRunningError(self.folder, holder) from None
        stale = _read(fd)
        record = json.dumps(asdict(Holder.me())).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
        self._fd = fd
        return stale

    def release(self) -> None:
        """Empty the file (a clean stop leaves no holder behind) and unlock it."""
        if self._fd is None:
            return
        # The file itself stays: removing it would let two launchers lock two different files,
        # one opened just before the removal and one created after it.
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)
        self._fd = None
