"""Supervision for `make run`: restarts with backoff and a budget per window, stops in tiers.

Every child (the watchdog, nats-server, PostgreSQL, each service) is something that can be
started, asked why it is not running, and stopped. The supervisor polls them from the
launcher's main thread (children get their parent-death signal from the thread that forked
them, so restarts must happen here too), restarts what stopped after a growing delay, and
gives up on a child that stops more often than its budget allows while the rest keeps running.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from deploy.restarts import RestartBudget, RestartPolicy

__all__ = ["Supervised", "Supervisor", "exit_reason"]


class Supervised(Protocol):
    """One child of the launcher, whatever kind of process it is."""

    @property
    def name(self) -> str:
        """How log lines name it."""
        ...

    def start(self) -> None:
        """Start it (again); raises when it cannot be started."""
        ...

    def exit_reason(self) -> str | None:
        """None while it runs; otherwise why it is not running (`exit code 1`, `killed by SIGKILL`, …)."""
        ...

    def request_stop(self) -> None:
        """Ask it to stop, without waiting."""
        ...

    def wait_stopped(self, timeout: float) -> None:
        """Wait until it stopped, forcing it after `timeout` seconds."""
        ...

    def last_output(self) -> list[str]:
        """Its last lines of output, for the line that says it was given up on."""
        ...


def exit_reason(returncode: int) -> str:
    """`exit code 3` or `killed by SIGKILL`, from a `Popen.returncode`."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


@dataclass
class _Entry:
    child: Supervised
    tier: int
    budget: RestartBudget
    restart_at: float | None = None
    gave_up: bool = False


class Supervisor:
    """Keeps children running within their restart budget; stops them tier by tier, highest first."""

    def __init__(
        self,
        *,
        policy: RestartPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_restarted: Callable[[Supervised], None] | None = None,
    ) -> None:
        self._policy = policy or RestartPolicy()
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._on_restarted = on_restarted
        self._stopping = False

    @property
    def children(self) -> dict[str, Supervised]:
        """The supervised children by name, in the order they were added."""
        return {name: entry.child for name, entry in self._entries.items()}

    def given_up(self) -> list[str]:
        """Children left stopped because they exceeded their budget."""
        return [name for name, entry in self._entries.items() if entry.gave_up]

    def adopt(self, child: Supervised, *, tier: int) -> None:
        """Supervise a child that is already running (started and waited for by the caller)."""
        self._entries[child.name] = _Entry(child, tier, RestartBudget(self._policy, self._clock))

    def start(self, child: Supervised, *, tier: int) -> None:
        """Start a child and supervise it."""
        child.start()
        self.adopt(child, tier=tier)

    def next_due(self) -> float | None:
        """The earliest scheduled restart (clock time), if any."""
        due = [e.restart_at for e in self._entries.values() if e.restart_at is not None and not e.gave_up]
        return min(due) if due else None

    def check(self) -> list[str]:
        """Notice stopped children, restart those whose delay has passed; answers one line per event."""
        notes: list[str] = []
        for entry in list(self._entries.values()):
            if self._stopping or entry.gave_up:
                continue
            if entry.restart_at is None:
                reason = entry.child.exit_reason()
                if reason is not None:
                    notes.append(self._schedule(entry, reason))
            elif self._clock() >= entry.restart_at:
                entry.restart_at = None
                if entry.child.exit_reason() is None:
                    continue  # it runs again (PostgreSQL started by hand): nothing to restart
                try:
                    entry.child.start()
                except Exception as exc:  # noqa: BLE001 - any failure to start counts against the budget
                    notes.append(self._schedule(entry, f"did not start ({type(exc).__name__}: {exc})"))
                    continue
                if self._on_restarted is not None:
                    self._on_restarted(entry.child)
        return notes

    def _schedule(self, entry: _Entry, reason: str) -> str:
        verdict = entry.budget.on_stop()
        name, budget = entry.child.name, self._policy.describe()
        if verdict.delay_s is None:
            entry.gave_up = True
            tail = "\n  ".join(entry.child.last_output()[-10:])
            return (
                f"{name} stopped ({reason}) and has used its budget of {budget}: leaving it stopped, "
                "the rest keeps running" + (f". Its last output:\n  {tail}" if tail else "")
            )
        entry.restart_at = self._clock() + verdict.delay_s
        return f"restarting {name} in {verdict.delay_s:g} s: {reason} (restart {verdict.attempt} of {budget})"

    def stop(self, timeout: float = 20) -> None:
        """Stop every child, the highest tier first; each tier gets `timeout` seconds before SIGKILL."""
        self._stopping = True
        for tier in sorted({e.tier for e in self._entries.values()}, reverse=True):
            members = [e.child for e in self._entries.values() if e.tier == tier]
            for child in members:
                child.request_stop()
            deadline = time.monotonic() + timeout
            for child in members:
                child.wait_stopped(deadline - time.monotonic())
