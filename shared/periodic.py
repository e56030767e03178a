"""A scan that runs every few seconds in a service, as of the injected clock's today.

Deadline, overdue and term scans keep what they already did in their own rows, so a scan after a
restart goes on where the last one stopped and a second scan on the same day changes nothing. A
failed run is logged and tried again at the next interval: a scan never stops its service.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Coroutine
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from shared.clock import Clock
from shared.kernel import Accepted
from shared.logging import get_logger

__all__ = ["ScanTransaction", "periodic_scan"]

log = get_logger(__name__)


class ScanTransaction(Protocol):
    """A unit of work the scan opens, commits and closes itself."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...


T = TypeVar("T", bound=ScanTransaction)


def periodic_scan(
    name: str,
    transaction: Callable[[], T],
    scan: Callable[[T, dt.date], Awaitable[Accepted]],
    clock: Clock,
    interval_s: float,
) -> Callable[[], Coroutine[Any, Any, None]]:
    """Run `scan` as of the clock's today in its own transaction, every `interval_s` seconds."""

    async def run() -> None:
        while True:
            try:
                today = clock().date()
                async with transaction() as uow:
                    done = await scan(uow, today)
                    await uow.commit()
                log.info(name, **done.data)
            except Exception as exc:  # noqa: BLE001 - the next run retries; never stop the service
                log.warning(f"{name} failed", error=f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(interval_s)

    return run
