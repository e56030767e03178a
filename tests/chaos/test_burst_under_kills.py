"""A burst of decisions completes with every effect exactly once while its processes are killed.

The burst is driven as `rw demo` drives a decision (`tests.chaos.burst`), patient through outages.
Beside it, SIGKILL hits the services, nats-server and PostgreSQL one after the other under the
launcher, and in a second test the launcher itself, which is then started again. Afterwards each
decision has exactly one commitment, one task per follow-up action and one inbox entry per task,
and the audit ledger's hash chain verifies.

`make test` runs a bounded version; `make test-chaos` (RW_CHAOS=long) a long one that kills every
service and drives more decisions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import time
from collections.abc import Callable

import nats
import pytest
from nats.aio.client import Client
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.db.engine import sqlalchemy_url
from shared.topology import SERVICE_NAMES, inbox_prefix
from tests.chaos.burst import (
    ADOPTED_CONSUMERS,
    Effects,
    every_effect_once,
    ledger_verifies,
    one_consume_record_per_message,
    run_burst,
)
from tests.chaos.kills import kill_and_await_restart
from tests.chaos.launcher import Launch, processes_using, until

LONG = os.environ.get("RW_CHAOS") == "long"
DECISIONS = 40 if LONG else 8
#: Bounded: one service with consumers and commands of its own, and one at the end of the fan-out.
KILLED_SERVICES = SERVICE_NAMES if LONG else ("finance", "notifications")


async def _quiet(_error: Exception) -> None:
    """Reconnection attempts are expected here; their tracebacks are noise."""


async def patient_operator(launched: Launch) -> Client:
    """An operator connection that keeps reconnecting while nats-server (or one node of a cluster) is away."""
    info = launched.operator_info()
    return await nats.connect(
        info.nats_url.split(","),  # a cluster's run gives every node's URL
        user=info.user,
        password=info.password,
        inbox_prefix=inbox_prefix(info.user),
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        error_cb=_quiet,
    )


def admin_engine(launched: Launch) -> AsyncEngine:
    """The test's own view of every schema (the administrator's socket login of the run)."""
    return create_async_engine(sqlalchemy_url(str(launched.run_info["database_url"])), pool_pre_ping=True)


def assert_each_once(effects: Effects, decisions: int) -> None:
    assert effects.decisions == decisions, effects
    assert decisions >= DECISIONS
    assert (effects.commitments, effects.doubled_commitments) == (decisions, 0), effects
    assert (effects.tasks, effects.doubled_tasks) == (3 * decisions, 0), effects
    assert (effects.inbox_entries, effects.doubled_inbox_entries) == (3 * decisions, 0), effects


@pytest.mark.timeout(900 if LONG else 480)
async def test_a_burst_survives_sigkill_of_services_nats_and_postgres(launch: Callable[..., Launch]) -> None:
    launched = launch()
    launched.wait_ready()
    nc = await patient_operator(launched)
    director = launched.signer().acting_as("p-ad")
    try:
        kills_done = asyncio.Event()
        today = dt.datetime.now(dt.UTC).date()
        burst = asyncio.create_task(
            run_burst(nc, launched.signer(), DECISIONS, today=today, concurrency=4, until=kills_done)
        )
        for name in (*KILLED_SERVICES, "nats-server", "PostgreSQL"):
            assert not burst.done(), f"the burst must still run when {name} is killed"
            line = await kill_and_await_restart(launched, name, timeout=90)
            assert "killed by SIGKILL" in line or "is gone" in line, line
        kills_done.set()
        decided = await burst
        engine = admin_engine(launched)
        try:
            assert_each_once(await every_effect_once(engine, decided), len(decided))
            records = await one_consume_record_per_message(engine, decided)
            assert {c: records.get(c) for c in ADOPTED_CONSUMERS} == dict.fromkeys(
                ADOPTED_CONSUMERS, (len(decided), len(decided))
            ), "the ledger holds one acked consume record per message and consumer"
        finally:
            await engine.dispose()
        assert (await ledger_verifies(nc, director)).ok
    finally:
        await nc.close()
    assert not [line for line in launched.output if "leaving it stopped" in line]


@pytest.mark.timeout(900 if LONG else 480)
async def test_a_burst_survives_sigkill_of_the_launcher(launch: Callable[..., Launch]) -> None:
    first = launch()
    first.wait_ready()
    nc = await patient_operator(first)
    director = first.signer().acting_as("p-ad")
    try:
        today = dt.datetime.now(dt.UTC).date()
        burst = asyncio.create_task(run_burst(nc, first.signer(), DECISIONS, today=today, concurrency=4))
        # Let the burst get going, then take the launcher away from under it.
        await asyncio.to_thread(
            first.wait_for_line, lambda s: "command handled" in s, timeout=60, what="the burst's first command"
        )
        assert not burst.done(), "the launcher must die in the middle of the burst"
        first.process.send_signal(signal.SIGKILL)
        first.wait_exit(10)
        killed_at = time.monotonic()
        left = await asyncio.to_thread(
            until, lambda: processes_using(first.data_dir), lambda found: not found, timeout=10, what="no process left"
        )
        assert left == {}
        assert time.monotonic() - killed_at <= 10
        second = launch()
        second.wait_ready()
        decided = await burst
        engine = admin_engine(second)
        try:
            assert_each_once(await every_effect_once(engine, decided), len(decided))
            records = await one_consume_record_per_message(engine, decided)
            assert {c: records.get(c) for c in ADOPTED_CONSUMERS} == dict.fromkeys(
                ADOPTED_CONSUMERS, (len(decided), len(decided))
            ), "the ledger holds one acked consume record per message and consumer"
        finally:
            await engine.dispose()
        assert (await ledger_verifies(nc, director)).ok
    finally:
        await nc.close()
