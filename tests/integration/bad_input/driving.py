"""Hypothesis drives real I/O: its search runs in a worker thread, each example on the test's loop.

Hypothesis cannot run an `async def` property itself, and the connections and engines of the
suite belong to the test's event loop. So the property is a plain function run in a thread that
hands every example to the loop and waits for its verdict: a failing example is shrunk against
the real services like any other.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

__all__ = ["EXAMPLES", "drive"]

T = TypeVar("T")

#: Generated examples per subject and per consumer; `RW_BAD_INPUT_EXAMPLES` raises it for long runs.
EXAMPLES = max(50, int(os.environ.get("RW_BAD_INPUT_EXAMPLES", "50")))

#: Longest wait for one example's verdict (a reply, or a publish acknowledgement).
EXAMPLE_TIMEOUT_S = 60.0


async def drive(
    strategy: st.SearchStrategy[T],
    check: Callable[[T], Coroutine[Any, Any, None]],
    *,
    examples: int = EXAMPLES,
    explicit: Sequence[T] = (),
) -> int:
    """Run `check` on `explicit` and on `examples` generated values; answers how many ran."""
    loop = asyncio.get_running_loop()
    ran = 0

    def verdict(value: T) -> None:
        nonlocal ran
        ran += 1
        asyncio.run_coroutine_threadsafe(check(value), loop).result(timeout=EXAMPLE_TIMEOUT_S)

    prop = given(strategy)(verdict)
    for value in explicit:
        prop = example(value)(prop)
    prop = settings(
        max_examples=examples,
        deadline=None,
        # No shrinking: every example already says what it is (its `why`), and shrinking against
        # seven live services would outlast the test's timeout before the report is printed.
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        # Bodies up to the NATS limit are built from small draws, but checking them takes time.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )(prop)
    await asyncio.to_thread(prop)
    return ran
