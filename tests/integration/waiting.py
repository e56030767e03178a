"""Wait for a condition with a deadline instead of sleeping a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from shared.messaging.errors import NoAnswer

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    *,
    timeout: float = 30.0,
    what: str = "condition",
    interval: float = 0.05,
) -> T:
    """Poll `probe` until `done(value)`; fail with the last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last value: {value!r}")
        await asyncio.sleep(interval)


#: The longest a single try of `answered` waits for its reply.
LONGEST_TRY_S = 8.0


async def answered(ask: Callable[[float], Awaitable[T]], *, what: str, timeout: float = 60.0) -> T:
    """The first reply to `ask(seconds)`, asked again while no service answers (`NoAnswer`).

    Nothing tells a sender that no service has subscribed yet: the COMMANDS stream captures every
    `cmd.>` subject, so nats-server never answers "no responders", and a request sent before the
    service subscribed waits its whole timeout. So the first try waits half a second, and each
    next one twice as long, up to `LONGEST_TRY_S`, for a service that is up but busy.
    Ask only what may be asked twice: a query, or a command under one command id.
    """
    deadline = time.monotonic() + timeout
    per_try = 0.5
    while True:
        try:
            return await ask(max(0.1, min(per_try, deadline - time.monotonic())))
        except NoAnswer:
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}") from None
        per_try = min(per_try * 2, LONGEST_TRY_S)
