"""Events as they arrive, for the console's live pages (server-sent events).

The gateway subscribes read-only (core NATS, no consumer) to the event subjects `shared.topology`
lets it watch, and hands each event to the pages that asked for it. A page never gets an event's
content from here: it is told that something changed and asks the service again, so it shows only
what the service lets the signed-in person see.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.logging import get_logger
from shared.topology import service

__all__ = ["Change", "LiveHub"]

log = get_logger(__name__)

#: How many changes a slow page may fall behind before older ones are dropped (it re-reads anyway).
QUEUE_SIZE = 64


@dataclass(frozen=True)
class Change:
    """One event as a page's filter sees it."""

    subject: str
    correlation_id: str
    body: dict[str, Any]


Filter = Callable[[Change], bool]


class LiveHub:
    """Fans the watched subjects out to the pages listening, each through its own filter."""

    def __init__(self, connection: Callable[[], Client], subjects: tuple[str, ...] | None = None) -> None:
        self._connection = connection
        self._subjects = subjects if subjects is not None else service("gateway").watches
        self._listeners: dict[int, tuple[Filter, asyncio.Queue[Change | None]]] = {}
        self._next = 0
        self.ready = asyncio.Event()
        #: Set whenever a page starts listening (cleared by whoever waits for the next one).
        self.joined = asyncio.Event()

    async def run(self) -> None:
        """Subscribe until cancelled (a background job of the service runtime)."""
        nc = self._connection()
        subscriptions = [await nc.subscribe(subject, cb=self._received) for subject in self._subjects]
        self.ready.set()
        try:
            await asyncio.Event().wait()
        finally:
            for sub in subscriptions:
                with contextlib.suppress(Exception):
                    await sub.unsubscribe()
            self.close()

    def close(self) -> None:
        """Tell every listening page that no more changes come (`None`), so its stream ends."""
        for _, queue in list(self._listeners.values()):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(None)

    async def _received(self, msg: Msg) -> None:
        try:
            body = json.loads(msg.data) if msg.data else {}
        except ValueError:
            return
        headers = msg.headers or {}
        self.publish(Change(msg.subject, headers.get("ce-correlationid", ""), body if isinstance(body, dict) else {}))

    def publish(self, change: Change) -> None:
        """Hand a change to every listener whose filter takes it."""
        for wanted, queue in list(self._listeners.values()):
            try:
                if not wanted(change):
                    continue
            except Exception:  # noqa: BLE001 - one page's filter never stops the others
                log.warning("live filter failed", subject=change.subject)
                continue
            if queue.qsize() < QUEUE_SIZE:
                queue.put_nowait(change)

    @contextlib.asynccontextmanager
    async def listen(self, wanted: Filter) -> AsyncIterator[asyncio.Queue[Change | None]]:
        """A queue of the changes `wanted` takes, for as long as the page listens; `None` once the hub closes."""
        key, self._next = self._next, self._next + 1
        # One place more than a page may fall behind, so the closing `None` always fits.
        queue: asyncio.Queue[Change | None] = asyncio.Queue(QUEUE_SIZE + 1)
        self._listeners[key] = (wanted, queue)
        self.joined.set()
        try:
            yield queue
        finally:
            del self._listeners[key]

    @property
    def listeners(self) -> int:
        """How many pages listen now."""
        return len(self._listeners)
