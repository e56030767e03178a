"""A compatibility fix between nats-py 2.16 and FastStream 0.7's pull loop.

When a pull request expires with no messages, nats-py's `PullSubscription.fetch` sometimes raises
the builtin `TimeoutError` instead of `nats.errors.TimeoutError` (a race between the no-wait probe
and the deadline). FastStream's pull loop suppresses only the latter, so every idle consumer
logged a traceback and restarted its loop about once a second. Converting the exception restores
the intended meaning: "no messages yet".
"""

from __future__ import annotations

import functools
from typing import Any

import nats.errors
from nats.js.client import JetStreamContext

__all__ = ["install_fetch_timeout_fix"]

_MARK = "_raderwerk_timeout_fix"


def install_fetch_timeout_fix() -> None:
    """Idempotently wrap `PullSubscription.fetch` (called by the composition root, not at import)."""
    original = JetStreamContext.PullSubscription.fetch
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    async def fetch(self: JetStreamContext.PullSubscription, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, *args, **kwargs)
        except nats.errors.TimeoutError:
            raise
        except TimeoutError as exc:
            raise nats.errors.TimeoutError from exc

    setattr(fetch, _MARK, True)
    JetStreamContext.PullSubscription.fetch = fetch  # type: ignore[method-assign]
