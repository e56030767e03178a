"""The time every rule reads, injected by each service's composition root.

Rules with terms (agenda deadlines, publication within 10 days, overdue tasks, silence that means
approval) must be testable on the real stack without waiting days. In development and test
settings a service may read its time from a *clock file* that every process of one deployment
shares: `rw clock set` writes it, each service reads it on every tick. Production refuses the
setting (`shared.settings`), so there the clock is always the system's.

The file holds JSON: `{"offset_s": 86400.0}` shifts the system time (time keeps running), and
`{"frozen_at": "2026-12-01T10:00:00+00:00"}` stops it at one moment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Clock",
    "ClockSetting",
    "FileClock",
    "FixedClock",
    "advance_clock_file",
    "read_clock_file",
    "system_clock",
    "write_clock_file",
]

#: Now, as an aware datetime in UTC.
Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The system's time in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ClockSetting:
    """What a clock file says: a shift of the system time, or a frozen moment."""

    offset_s: float = 0.0
    frozen_at: dt.datetime | None = None

    def now(self, real: dt.datetime) -> dt.datetime:
        """The controlled time when the system says `real`."""
        if self.frozen_at is not None:
            return self.frozen_at
        return real + dt.timedelta(seconds=self.offset_s)

    def describe(self) -> str:
        """One line for people."""
        if self.frozen_at is not None:
            return f"frozen at {self.frozen_at.isoformat()}"
        if self.offset_s:
            return f"system time shifted by {dt.timedelta(seconds=self.offset_s)}"
        return "system time"


def read_clock_file(path: Path) -> ClockSetting:
    """The setting in `path`; the system time when the file does not exist."""
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        return ClockSetting()
    frozen = raw.get("frozen_at")
    frozen_at = dt.datetime.fromisoformat(frozen) if frozen else None
    if frozen_at is not None and frozen_at.tzinfo is None:
        raise ValueError(f"{path}: frozen_at must carry a time zone, not {frozen!r}")
    return ClockSetting(offset_s=float(raw.get("offset_s", 0.0)), frozen_at=frozen_at)


def write_clock_file(path: Path, setting: ClockSetting) -> None:
    """Replace the setting atomically, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body: dict[str, object] = {"offset_s": setting.offset_s}
    if setting.frozen_at is not None:
        body["frozen_at"] = setting.frozen_at.astimezone(dt.UTC).isoformat()
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(body))
    tmp.replace(path)


def advance_clock_file(path: Path, moment: dt.datetime, real: Clock = system_clock) -> ClockSetting:
    """Move the shared time on to `moment` if it is earlier (never back); a frozen clock stays frozen.

    For walks and tests of a development run: a meeting planned days ahead opens at its time.
    """
    setting = read_clock_file(path)
    now = real()
    if setting.now(now) >= moment:
        return setting
    if setting.frozen_at is not None:
        moved = ClockSetting(offset_s=setting.offset_s, frozen_at=moment)
    else:
        moved = ClockSetting(offset_s=(moment - now).total_seconds())
    write_clock_file(path, moved)
    return moved


class FileClock:
    """The system time as the shared clock file adjusts it; re-read whenever the file changes."""

    def __init__(self, path: Path, real: Clock = system_clock) -> None:
        self._path = path
        self._real = real
        self._stamp: tuple[int, int] | None = None
        self._setting = ClockSetting()

    def __call__(self) -> dt.datetime:
        try:
            stat = self._path.stat()
            stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            self._setting = read_clock_file(self._path) if stamp is not None else ClockSetting()
            self._stamp = stamp
        return self._setting.now(self._real())


class FixedClock:
    """A clock for unit tests: stands still until moved."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock answers aware datetimes")
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> dt.datetime:
        """Move on by `timedelta(**delta)`; answers the new time."""
        self.at += dt.timedelta(**delta)
        return self.at
