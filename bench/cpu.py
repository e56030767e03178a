"""CPU time per process of the running system over a phase of the bench: where a decision's time goes.

Read from `/proc/<pid>/stat` (user + system ticks), for each service, the launcher, nats-server
and PostgreSQL with its backends (the postmaster's children), before and after the phase.
Divided by the decisions of the phase, the figures say which process a decision costs most in.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["CpuMeter"]

_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, user + system ticks) of `pid`, or None when it is gone."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[11]) + int(fields[12])
    return None


def _children_ticks(parents: Mapping[int, str]) -> dict[str, int]:
    """Ticks of every process whose parent is one of `parents`, summed under the parent's name."""
    ticks: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None and stat[0] in parents:
            name = parents[stat[0]]
            ticks[name] = ticks.get(name, 0) + stat[1]
    return ticks


class CpuMeter:
    """CPU seconds per process between `start()` and `stop()`.

    `processes` names each pid; `with_children` names the pids whose children count too (the
    PostgreSQL postmaster, whose backends do the work).
    """

    def __init__(self, processes: Mapping[str, int], with_children: Mapping[str, int] | None = None) -> None:
        self.processes = dict(processes)
        self.with_children = dict(with_children or {})
        self._start: dict[str, int] = {}

    def _ticks(self) -> dict[str, int]:
        ticks: dict[str, int] = {}
        for name, pid in {**self.processes, **self.with_children}.items():
            stat = _stat(pid)
            if stat is not None:
                ticks[name] = stat[1]
        parents = {pid: name for name, pid in self.with_children.items()}
        for name, extra in _children_ticks(parents).items():
            ticks[name] = ticks.get(name, 0) + extra
        return ticks

    def start(self) -> None:
        self._start = self._ticks()

    def stop(self) -> dict[str, float]:
        """CPU seconds per process since `start()`, the busiest first."""
        end = self._ticks()
        spent = {name: (end[name] - self._start.get(name, 0)) / _TICKS_PER_S for name in end}
        return dict(sorted(spent.items(), key=lambda kv: -kv[1]))
