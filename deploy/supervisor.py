"""Child processes for `make run`: prefixed output, restarts with backoff, no orphans."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["Child", "Supervisor"]

_COLOURS = ("36", "33", "32", "35", "34", "31", "96", "93")


@dataclass
class Child:
    """One supervised process."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    gave_up: bool = False
    last_lines: list[str] = field(default_factory=list)


class Supervisor:
    """Starts children in their own sessions (Ctrl-C reaches only us), stops them in order."""

    def __init__(self, *, max_restarts: int = 3, out: TextIO | None = None) -> None:
        self._children: dict[str, Child] = {}
        self._max_restarts = max_restarts
        self._lock = threading.Lock()
        self._out: TextIO = out or sys.stdout
        self._stopping = False

    @property
    def children(self) -> dict[str, Child]:
        """The supervised children by name."""
        return dict(self._children)

    def start(self, name: str, argv: Sequence[str], env: Mapping[str, str]) -> Child:
        """Start a child and stream its output with a coloured name prefix."""
        child = self._children.get(name) or Child(name, argv, env)
        self._children[name] = child
        child.process = subprocess.Popen(
            list(argv),
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        colour = _COLOURS[list(self._children).index(name) % len(_COLOURS)]
        threading.Thread(target=self._pump, args=(child, child.process, colour), daemon=True).start()
        return child

    def _pump(self, child: Child, process: subprocess.Popen[bytes], colour: str) -> None:
        assert process.stdout is not None
        prefix = f"\x1b[{colour}m{child.name:>13}\x1b[0m | " if _tty(self._out) else f"{child.name:>13} | "
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode(errors="replace").rstrip()
            child.last_lines = [*child.last_lines[-19:], line]
            with self._lock:
                print(prefix + line, file=self._out, flush=True)

    def check(self) -> list[str]:
        """Restart children that died (with backoff); answer messages about what happened."""
        notes: list[str] = []
        for child in self._children.values():
            process = child.process
            if self._stopping or child.gave_up or process is None or process.poll() is None:
                continue
            if child.restarts >= self._max_restarts:
                child.gave_up = True
                notes.append(
                    f"{child.name} exited with {process.returncode} {child.restarts + 1} times; not restarting. "
                    f"Last output:\n  " + "\n  ".join(child.last_lines[-10:])
                )
                continue
            child.restarts += 1
            time.sleep(min(5.0, 0.5 * 2**child.restarts))
            notes.append(f"{child.name} exited with {process.returncode}; restart {child.restarts}")
            self.start(child.name, child.argv, child.env)
        return notes

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM every child's process group, wait, then SIGKILL what is left."""
        self._stopping = True
        running = [c.process for c in self._children.values() if c.process and c.process.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _tty(out: TextIO) -> bool:
    return out.isatty()
