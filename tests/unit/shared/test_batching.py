"""Batches keep stream order however late each call of a pull reaches `submit`."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import SimpleNamespace

from faststream import BaseMiddleware
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.messaging.batching import ArrivalGate, BatchCollector


class Recorder:
    """A `process` that keeps each batch it was given and answers each item doubled."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    async def __call__(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        return [item * 2 for item in items]


def collector(recorder: Recorder, *, timeout: float = 5.0) -> BatchCollector[int, int]:
    return BatchCollector(recorder, lambda item: item, name="test", arrival_timeout_s=timeout)


async def turns(n: int = 20) -> None:
    """Let every ready task run `n` times: enough for anything not waiting on something else."""
    for _ in range(n):
        await asyncio.sleep(0)


async def test_a_batch_waits_for_an_announced_delivery_that_is_late() -> None:
    recorder = Recorder()
    batches = collector(recorder)
    for seq in range(1, 6):
        batches.announce(f"d{seq}")
    early = [asyncio.create_task(batches.submit(seq, arrival=f"d{seq}")) for seq in (1, 2, 4, 5)]
    await turns()
    assert recorder.batches == [], "no batch while delivery 3 is on its way"

    late = asyncio.create_task(batches.submit(3, arrival="d3"))
    assert await asyncio.gather(*early, late) == [2, 4, 8, 10, 6]
    assert recorder.batches == [[1, 2, 3, 4, 5]]


async def test_a_delivery_that_leaves_without_submitting_no_longer_holds_the_batch() -> None:
    recorder = Recorder()
    batches = collector(recorder)
    batches.announce("d1")
    batches.announce("d2")
    first = asyncio.create_task(batches.submit(1, arrival="d1"))
    await turns()
    assert recorder.batches == []

    batches.withdraw("d2")  # FastStream could not hand it over
    assert await first == 2
    assert recorder.batches == [[1]]


async def test_a_delivery_that_never_arrives_holds_the_batch_only_until_the_timeout() -> None:
    recorder = Recorder()
    batches = collector(recorder, timeout=0.05)
    batches.announce("lost")
    assert await asyncio.wait_for(batches.submit(1, arrival="a"), 5) == 2
    assert recorder.batches == [[1]]


async def test_without_announcements_the_deliveries_of_one_turn_form_one_batch() -> None:
    recorder = Recorder()
    batches = collector(recorder)
    assert await asyncio.gather(*(batches.submit(seq) for seq in (3, 1, 2))) == [6, 2, 4]
    assert recorder.batches == [[1, 2, 3]]


async def test_a_failing_batch_raises_in_every_waiting_call() -> None:
    async def failing(items: Sequence[int]) -> list[int]:
        raise ConnectionError("database gone")

    batches: BatchCollector[int, int] = BatchCollector(failing, lambda item: item)
    results = await asyncio.gather(batches.submit(1), batches.submit(2), return_exceptions=True)
    assert [type(r) for r in results] == [ConnectionError, ConnectionError]


@settings(max_examples=50, deadline=None)
@given(st.permutations(range(1, 9)), st.lists(st.integers(0, 6), min_size=8, max_size=8))
def test_deliveries_arriving_in_any_order_are_handled_in_stream_order(
    arrival_order: list[int], delays: list[int]
) -> None:
    async def scenario() -> list[list[int]]:
        recorder = Recorder()
        batches = collector(recorder)
        for seq in range(1, 9):
            batches.announce(f"d{seq}")

        async def deliver(seq: int, turns_late: int) -> int:
            await turns(turns_late)
            return await batches.submit(seq, arrival=f"d{seq}")

        results = await asyncio.gather(*(deliver(seq, d) for seq, d in zip(arrival_order, delays, strict=True)))
        assert results == [seq * 2 for seq in arrival_order]
        return recorder.batches

    assert asyncio.run(scenario()) == [list(range(1, 9))]


def delivery_of(consumer: str, seq: int) -> SimpleNamespace:
    """A stand-in for nats-py's message of a pull consumer (its reply subject names the delivery)."""
    reply = f"$JS.ACK.HR.{consumer}.1.{seq}.{seq}.0.0"
    return SimpleNamespace(reply=reply, metadata=SimpleNamespace(stream="HR", consumer=consumer))


async def test_the_gate_announces_deliveries_of_registered_consumers_only() -> None:
    recorder = Recorder()
    batches = collector(recorder)
    gate = ArrivalGate()
    gate.register("HR", "finance_decisions", batches)

    theirs = gate(delivery_of("someone_else", 1), context=None)
    other_stream = delivery_of("finance_decisions", 2)
    other_stream.metadata.stream = "MEETINGS"
    elsewhere = gate(other_stream, context=None)
    core = gate(SimpleNamespace(reply="_INBOX.x", metadata=None), context=None)
    mine = gate(delivery_of("finance_decisions", 1), context=None)
    assert type(theirs) is BaseMiddleware
    assert type(elsewhere) is BaseMiddleware
    assert type(core) is BaseMiddleware

    waiting = asyncio.create_task(batches.submit(7))
    await turns()
    assert recorder.batches == [], "the announced delivery holds the batch"
    await mine.__aexit__(None, None, None)  # its call ended without submitting
    assert await waiting == 14
