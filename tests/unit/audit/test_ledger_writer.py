"""The ledger writer: capture order, ack only after commit, nak on failure, gaps held."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from services.audit.adapters.ledger_writer import LedgerWriter, PullSubscription
from services.audit.domain.ledger import verify
from tests.integration.waiting import eventually
from tests.unit.audit.fakes import FakeConnection, FakeLedger, FakeSubscription, capture_msg


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _writer(ledger: FakeLedger, sub: FakeSubscription, clock: Clock | None = None, **kwargs: float) -> LedgerWriter:
    async def subscribe() -> PullSubscription:
        return sub

    options: dict[str, float] = {"retry_delay_s": 0.001, "gap_timeout_s": 60.0, "progress_every_s": 10.0}
    options.update(kwargs)
    return LedgerWriter(ledger, subscribe, batch=256, clock=clock or Clock(), **options)


@pytest.fixture
def events() -> list[str]:
    return []


async def test_a_batch_is_appended_in_capture_order_and_acked_after_commit(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    sub = FakeSubscription([[capture_msg(conn, s) for s in (3, 1, 2)]])
    writer = _writer(ledger, sub)
    assert await writer.step() == 3
    assert [r.capture_seq for r in ledger.records] == [1, 2, 3]
    assert [r.seq for r in ledger.records] == [1, 2, 3]
    assert events == ["commit [1, 2, 3]", "ack 1", "ack 2", "ack 3"]
    assert verify(ledger.records).ok
    assert writer.appended_total == 3


async def test_consecutive_batches_continue_the_chain(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    sub = FakeSubscription([[capture_msg(conn, s) for s in (1, 2)], [capture_msg(conn, s) for s in (3, 4)]])
    writer = _writer(ledger, sub)
    await writer.step()
    await writer.step()
    assert [r.seq for r in ledger.records] == [1, 2, 3, 4]
    assert verify(ledger.records).ok


async def test_a_redelivery_after_a_crash_is_acked_but_not_written_twice(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    first = FakeSubscription([[capture_msg(conn, s) for s in (1, 2, 3)]])
    await _writer(ledger, first).step()
    events.clear()
    # The acks were lost with the crashed process: everything comes again, with something new.
    again = FakeSubscription([[capture_msg(conn, s, delivered=2) for s in (1, 2, 3)] + [capture_msg(conn, 4)]])
    writer = _writer(ledger, again)
    assert await writer.step() == 1
    assert [r.capture_seq for r in ledger.records] == [1, 2, 3, 4]
    assert events == ["commit [4]", "ack 4", "ack 1", "ack 2", "ack 3"]
    assert writer.duplicates_total == 3


async def test_a_database_error_keeps_the_batch_and_acks_nothing_until_it_is_written(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    ledger.fail_next = 2
    sub = FakeSubscription([[capture_msg(conn, s) for s in (2, 1)]])
    writer = _writer(ledger, sub, retry_delay_s=0.001)
    assert await writer.step() == 0
    assert await writer.step() == 0
    assert ledger.records == []
    assert events == ["append-failed", "append-failed"]  # no ack, and no nak: naks burn max_deliver
    assert writer.last_error is not None
    assert writer.held == 2
    assert await writer.step() == 2
    assert [r.capture_seq for r in ledger.records] == [1, 2]
    assert events[2:] == ["commit [1, 2]", "ack 1", "ack 2"]
    assert writer.last_error is None


async def test_a_batch_kept_through_an_outage_stays_in_progress(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    ledger.fail_next = 3
    clock = Clock()
    sub = FakeSubscription([[capture_msg(conn, 1)]])
    writer = _writer(ledger, sub, clock, retry_delay_s=0.001, progress_every_s=10.0)
    await writer.step()
    clock.now += 11
    await writer.step()
    assert "wpi 1" in events
    assert not any(e.startswith(("ack", "nak")) for e in events)


async def test_on_close_what_was_not_written_is_nakd_for_another_replica(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    sub = FakeSubscription([[capture_msg(conn, s) for s in (3, 4)]])
    writer = _writer(ledger, sub)
    await writer.step()
    assert writer.held == 2
    await writer.close()
    assert sorted(e for e in events if e.startswith("nak")) == ["nak 3 ", "nak 4 "]
    assert writer.held == 0
    assert sub.unsubscribed


async def test_newer_messages_wait_behind_a_gap_so_the_ledger_keeps_capture_order(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    # 1 and 2 are still pending elsewhere (a crashed replica, or nak'd with a delay).
    sub = FakeSubscription([[capture_msg(conn, s) for s in (3, 4)], [capture_msg(conn, s) for s in (1, 2)]])
    writer = _writer(ledger, sub)
    assert await writer.step() == 0
    assert writer.held == 2
    assert not any(e.startswith("ack") for e in events)
    assert await writer.step() == 4
    assert [r.capture_seq for r in ledger.records] == [1, 2, 3, 4]
    assert writer.held == 0
    assert sorted(e for e in events if e.startswith("ack")) == ["ack 1", "ack 2", "ack 3", "ack 4"]


async def test_held_messages_are_kept_in_progress(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    clock = Clock()
    sub = FakeSubscription([[capture_msg(conn, 2)]])
    writer = _writer(ledger, sub, clock, progress_every_s=10.0)
    await writer.step()
    clock.now += 11
    await writer.step()
    assert "wpi 2" in events
    assert ledger.records == []


async def test_a_gap_that_outlives_its_timeout_is_appended_past(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    clock = Clock()
    sub = FakeSubscription([[capture_msg(conn, s) for s in (2, 3)]])
    writer = _writer(ledger, sub, clock, gap_timeout_s=60.0)
    await writer.step()
    assert ledger.records == []
    clock.now += 61
    assert await writer.step() == 2
    assert [r.capture_seq for r in ledger.records] == [2, 3]
    # The lost message, should it still arrive, is recorded rather than dropped.
    sub.batches.append([capture_msg(conn, 1, delivered=5), capture_msg(conn, 4)])
    assert await writer.step() == 2
    assert [r.capture_seq for r in ledger.records] == [2, 3, 1, 4]
    assert verify(ledger.records).ok


async def test_a_held_message_delivered_again_is_acked_for_both_deliveries(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    sub = FakeSubscription([[capture_msg(conn, 2)], [capture_msg(conn, 2, delivered=2), capture_msg(conn, 1)]])
    writer = _writer(ledger, sub)
    await writer.step()
    await writer.step()
    assert [r.capture_seq for r in ledger.records] == [1, 2]
    assert [e for e in events if e.startswith("ack")] == ["ack 1", "ack 2", "ack 2"]


async def test_nothing_to_fetch_is_not_an_error(events: list[str]) -> None:
    writer = _writer(FakeLedger(events), FakeSubscription())
    assert await writer.step() == 0
    assert writer.last_error is None


async def test_run_survives_a_failing_subscription_and_stops_on_request(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    sub = FakeSubscription([[capture_msg(conn, 1)]])
    attempts = 0

    async def subscribe() -> PullSubscription:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise ConnectionError("consumer not found")
        return sub

    writer = LedgerWriter(ledger, subscribe, fetch_timeout_s=0.01, max_backoff_s=0.01)
    task = asyncio.create_task(writer.run())
    await eventually(
        _read(lambda: len(ledger.records)), bool, timeout=2, what="the record after the reconnect", interval=0.01
    )
    writer.stop()
    await asyncio.wait_for(task, timeout=2)
    assert [r.capture_seq for r in ledger.records] == [1]
    assert attempts == 2
    assert sub.unsubscribed


async def test_a_full_batch_prefetches_the_next_while_it_is_written(events: list[str]) -> None:
    conn = FakeConnection(events)
    ledger = FakeLedger(events)
    sub = FakeSubscription([[capture_msg(conn, s) for s in (1, 2)], [capture_msg(conn, s) for s in (3, 4)]])

    async def subscribe() -> PullSubscription:
        return sub

    writer = LedgerWriter(ledger, subscribe, batch=2)
    assert await writer.step() == 2
    await asyncio.sleep(0)
    assert sub.batches == []  # the second batch is being pulled already
    assert await writer.step() == 2
    assert [r.capture_seq for r in ledger.records] == [1, 2, 3, 4]
    assert verify(ledger.records).ok


async def test_close_leaves_the_subscription_and_ends_run(events: list[str]) -> None:
    sub = FakeSubscription()

    async def subscribe() -> PullSubscription:
        return sub

    writer = LedgerWriter(FakeLedger(events), subscribe, fetch_timeout_s=0.01)
    task = asyncio.create_task(writer.run())
    await eventually(_read(lambda: sub.fetches), bool, timeout=2, what="the writer to pull", interval=0.01)
    await writer.close()
    assert sub.unsubscribed
    await asyncio.wait_for(task, timeout=2)


async def test_the_audit_runtime_closes_the_writer_when_asked_to_stop(events: list[str]) -> None:
    from services.audit.bootstrap import AuditRuntime

    sub = FakeSubscription()

    async def subscribe() -> PullSubscription:
        return sub

    writer = LedgerWriter(FakeLedger(events), subscribe, fetch_timeout_s=0.01)
    await writer.step()  # subscribed
    nothing: Any = None
    runtime = AuditRuntime(settings=nothing, engine=nothing, broker=nothing, relay=nothing, writer=writer)
    runtime.request_stop()
    assert runtime._stopping.is_set()
    assert runtime._closing is not None
    await runtime._closing
    assert sub.unsubscribed


def _read(read: Callable[[], int]) -> Callable[[], Awaitable[int]]:
    """A probe for `eventually` that reads the test's fakes each time it is asked."""

    async def probe() -> int:
        return read()

    return probe
