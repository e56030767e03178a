"""When to restart a child that stopped: exponential backoff within a restart budget per time window.

A budget per window, not per life: a service that crashes twice a day keeps being restarted for
weeks, while one that crashes in a loop is left stopped after a few tries instead of burning
the machine. The clock is injected so the arithmetic is tested without waiting.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RestartBudget", "RestartPolicy", "Verdict"]


@dataclass(frozen=True)
class RestartPolicy:
    """At most `max_restarts` restarts within any `window_s` seconds; delays double from `first_delay_s`."""

    max_restarts: int = 5
    window_s: float = 60.0
    first_delay_s: float = 0.5
    max_delay_s: float = 10.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before restart number `attempt` (1-based) of the current window."""
        doubled: float = self.first_delay_s * 2.0 ** max(0, attempt - 1)
        return min(self.max_delay_s, doubled)

    def describe(self) -> str:
        """The budget in words, for log lines."""
        return f"{self.max_restarts} restarts per {self.window_s:.0f} s"


@dataclass(frozen=True)
class Verdict:
    """What to do about one stop: restart after `delay_s` (restart number `attempt`), or give up."""

    attempt: int
    delay_s: float | None

    @property
    def give_up(self) -> bool:
        """The budget of the window is spent."""
        return self.delay_s is None


class RestartBudget:
    """The restarts of one child within the sliding window."""

    def __init__(self, policy: RestartPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self._policy = policy
        self._clock = clock
        self._restarts: deque[float] = deque()

    @property
    def policy(self) -> RestartPolicy:
        """The rule this budget applies."""
        return self._policy

    def _forget_old(self, now: float) -> None:
        while self._restarts and self._restarts[0] <= now - self._policy.window_s:
            self._restarts.popleft()

    def used(self) -> int:
        """Restarts within the window ending now."""
        self._forget_old(self._clock())
        return len(self._restarts)

    def on_stop(self) -> Verdict:
        """The child stopped (or failed to start): restart it, and when, or give up."""
        now = self._clock()
        self._forget_old(now)
        if len(self._restarts) >= self._policy.max_restarts:
            return Verdict(attempt=len(self._restarts) + 1, delay_s=None)
        self._restarts.append(now)
        attempt = len(self._restarts)
        return Verdict(attempt=attempt, delay_s=self._policy.delay(attempt))
