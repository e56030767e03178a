"""Gathering the deliveries of one pull into a batch, in stream order, whatever order they arrive in.

FastStream hands each message of a pull to its own call of the subscriber, all started in the same
loop turn, and fetches the next pull only when every call of this one has returned. Between its
start and our handler a call passes FastStream's middlewares and parser, and with dependency
injection a worker thread: on a loaded machine the calls of one pull reach the handler in any
order and spread over many loop turns. A batch taken "a few turns after the first one" then
missed a message, and the next batch handled it after the ones behind it in the stream.

So a call announces itself before it can yield to the loop (`ArrivalGate`, the outermost broker
middleware, is built in the call's first step), and a batch is taken only when every announced
delivery of its consumer has been submitted or has left without (a message FastStream could not
hand over):

| a call of the pull ...                        | the batch ...                                  |
|-----------------------------------------------|------------------------------------------------|
| has not reached `submit` yet                  | waits for it (at most `arrival_timeout_s`)     |
| submitted                                     | holds it, sorted by stream sequence            |
| left without submitting (FastStream error)    | stops waiting for it                           |
| still missing after `arrival_timeout_s`       | goes without it, with a warning: late beats    |
|                                               | stuck, and the message stays unacked until its |
|                                               | own batch                                      |

Batches of one consumer are handled one after the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from faststream import BaseMiddleware
from faststream.nats import NatsBroker

from shared.logging import get_logger

__all__ = ["ArrivalGate", "BatchCollector"]

log = get_logger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class BatchCollector(Generic[T, R]):
    """Gathers submitted items into batches for `process`, which answers one result per item, in order.

    `arrival` names an item on its way (announced with `announce`, see `ArrivalGate`); `order` is
    the key a batch is sorted by (the stream sequence).
    """

    def __init__(
        self,
        process: Callable[[Sequence[T]], Awaitable[list[R]]],
        order: Callable[[T], int],
        *,
        name: str = "",
        settle_turns: int = 3,
        arrival_timeout_s: float = 5.0,
    ) -> None:
        self._process = process
        self._order = order
        self._name = name
        self._turns = settle_turns
        self._arrival_timeout_s = arrival_timeout_s
        self._arriving: set[str] = set()
        self._all_in: asyncio.Event | None = None
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._scheduled = False
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def announce(self, arrival: str) -> None:
        """An item is on its way to `submit` (named as `submit` will name it)."""
        self._arriving.add(arrival)

    def withdraw(self, arrival: str) -> None:
        """The announced item will not be submitted (or already was): stop waiting for it."""
        self._arriving.discard(arrival)
        if not self._arriving and self._all_in is not None:
            self._all_in.set()

    async def submit(self, item: T, *, arrival: str | None = None) -> R:
        """Wait for the result of `item`, processed in a batch with the others on their way with it."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if arrival is not None:
            self.withdraw(arrival)
        if not self._scheduled:
            self._scheduled = True
            task = asyncio.get_running_loop().create_task(self._run())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _all_arrived(self) -> None:
        for _ in range(self._turns):
            await asyncio.sleep(0)
        if not self._arriving:
            return
        self._all_in = asyncio.Event()
        try:
            await asyncio.wait_for(self._all_in.wait(), self._arrival_timeout_s)
        except TimeoutError:
            log.warning(
                "deliveries of the pull did not arrive; handling the batch without them",
                consumer=self._name,
                missing=len(self._arriving),
                waited_s=self._arrival_timeout_s,
            )
            self._arriving.clear()
        finally:
            self._all_in = None

    async def _run(self) -> None:
        await self._all_arrived()
        batch, self._waiting, self._scheduled = self._waiting, [], False
        batch.sort(key=lambda entry: self._order(entry[0]))
        async with self._lock:
            try:
                results = await self._process([item for item, _ in batch])
            except Exception as exc:  # noqa: BLE001 - each waiting call raises it, as one by one it would have
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                return
            except BaseException:  # stopping: the unacked messages are delivered again
                for _, future in batch:
                    future.cancel()
                raise
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


class ArrivalGate:
    """The outermost broker middleware: announces each JetStream delivery to its consumer's collector.

    FastStream builds a message's middlewares in order, before the first can yield: this one, put
    first, runs in the call's first step, so every call of a pull is announced before any of them
    is submitted. Deliveries of other consumers and core NATS messages pass untouched.
    """

    def __init__(self) -> None:
        self._collectors: dict[tuple[str, str], BatchCollector[Any, Any]] = {}

    @classmethod
    def of(cls, broker: NatsBroker) -> ArrivalGate:
        """The broker's gate, installed as its outermost middleware on first use."""
        for middleware in broker.config.broker_middlewares:
            if isinstance(middleware, ArrivalGate):
                return middleware
        gate = cls()
        broker.insert_middleware(gate)
        return gate

    def register(self, stream: str, durable: str, collector: BatchCollector[Any, Any]) -> None:
        """Announce the deliveries of `durable` on `stream` to `collector`."""
        self._collectors[(stream, durable)] = collector

    def __call__(self, msg: Any, /, *, context: Any) -> BaseMiddleware:
        reply = getattr(msg, "reply", None)
        if isinstance(reply, str) and reply.startswith("$JS.ACK."):
            try:
                meta = msg.metadata
                collector = self._collectors.get((meta.stream, meta.consumer))
            except Exception:  # noqa: BLE001 - not a consumer delivery we batch: nothing to announce
                collector = None
            if collector is not None:
                collector.announce(reply)
                return _Announced(msg, context=context, collector=collector, arrival=reply)
        return BaseMiddleware(msg, context=context)


class _Announced(BaseMiddleware):
    """Withdraws the announcement when the call ends, submitted or not."""

    def __init__(self, msg: Any, /, *, context: Any, collector: BatchCollector[Any, Any], arrival: str) -> None:
        super().__init__(msg, context=context)
        self._collector = collector
        self._arrival = arrival

    async def after_processed(self, *_: object) -> bool | None:
        self._collector.withdraw(self._arrival)
        return False
