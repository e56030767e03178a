"""The system on a three-node JetStream cluster with two replicas of every service (`make run-cluster`).

One launch for the module (starting the cluster, PostgreSQL and sixteen service processes is the
slow part). Its tests drive bursts of decisions through the services as `rw demo` drives one
(`tests.chaos.burst`), and afterwards count every effect in the services' own tables and in the
audit ledger:

* a nats-server killed with SIGKILL in the middle of a burst: every effect exists exactly once,
  the ledger holds one record per captured message, and once the node is back every stream
  reports three current replicas again;
* two replicas of every service share the work of a burst (each one's handled count on its own
  `/metrics`), while the audit ledger is written by one active writer; SIGKILL of that writer
  hands over to the standby with the chain intact and one record per captured message.

`make test` runs a short burst; `RW_CHAOS=long` (`make test-chaos`) a longer one, killing every
node in turn.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from nats.aio.client import Client
from nats.js.api import StreamInfo
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cli.decisions import Decided
from shared.topology import CAPTURE_STREAM, SERVICE_NAMES, STREAMS
from tests.chaos.burst import every_effect_once, ledger_verifies, run_burst
from tests.chaos.kills import kill_and_await_restart
from tests.chaos.launcher import Launch, kill_everything_using, start_launcher, until
from tests.chaos.test_burst_under_kills import admin_engine, assert_each_once, patient_operator
from tests.integration.waiting import eventually

LONG = os.environ.get("RW_CHAOS") == "long"
DECISIONS = 24 if LONG else 8
#: The nodes killed one after the other during the burst (each restarted by the launcher).
KILLED_NODES = ("nats-server-n1", "nats-server-n2", "nats-server-n3") if LONG else ("nats-server-n2",)
#: What one decision causes in the ledger, each exactly once (as `tests.chaos.flows.EFFECTS`).
LEDGER_EFFECTS = {
    "be.raderwerk.meetings.decision.adopted.v1": 1,
    "be.raderwerk.finance.commitment.recorded.v1": 1,
    "be.raderwerk.organisation.task.created.v1": 3,
    "be.raderwerk.notifications.inbox_entry.created.v1": 3,
}
HANDLED = re.compile(r'^raderwerk_messages_handled_total_snapshot\{kind="(\w+)"\} ([0-9.e+]+)$', re.MULTILINE)


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launch]:
    """`python -m deploy.run --cluster`, ready; stopped (and its folder's processes gone) afterwards."""
    data_dir = Path(tmp_path_factory.mktemp("cluster-run")) / "rw"
    data_dir.mkdir()
    launched = start_launcher(data_dir, "--cluster")
    try:
        launched.wait_ready(timeout=300)
        yield launched
    finally:
        launched.stop()
        kill_everything_using(data_dir)


def _three_current_replicas(info: StreamInfo) -> bool:
    cluster = info.cluster
    return (
        info.config.num_replicas == 3
        and cluster is not None
        and cluster.leader is not None
        and cluster.replicas is not None
        and len(cluster.replicas) == 2
        and all(r.current and not r.offline for r in cluster.replicas)
    )


async def streams_short_of_three_replicas(nc: Client) -> list[str]:
    """The streams without a leader and two current followers (a stream whose info fails counts too)."""
    js = nc.jetstream()
    short: list[str] = []
    for spec in STREAMS:
        try:
            if not _three_current_replicas(await js.stream_info(spec.name)):
                short.append(spec.name)
        except Exception as exc:  # noqa: BLE001 - no leader yet, or the request fell between nodes
            short.append(f"{spec.name} ({type(exc).__name__})")
    return short


async def assert_ledger_once(nc: Client, engine: AsyncEngine) -> None:
    """One ledger record per captured message: none missing, none twice, the ledger's own sequence gap-free."""
    capture = await nc.jetstream().stream_info(CAPTURE_STREAM)
    last = int(capture.state.last_seq)

    async def written() -> tuple[int, int, int, int]:
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT count(*), count(DISTINCT capture_seq), coalesce(max(capture_seq), 0), max(seq)"
                        " FROM audit.ledger"
                    )
                )
            ).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3] or 0)

    count, distinct, highest, seq = await eventually(
        written, lambda w: w[2] >= last, timeout=120, interval=0.5, what="the ledger to reach the end of CAPTURE"
    )
    assert count == distinct == seq, (count, distinct, seq)
    # Every captured message once: CAPTURE has no gaps (nothing deleted), so its first `last` messages.
    assert capture.state.first_seq == 1
    assert count >= last
    assert highest >= last
    async with engine.connect() as conn:
        missing = await conn.scalar(
            text(
                "SELECT count(*) FROM generate_series(1, :last) s"
                " WHERE NOT EXISTS (SELECT 1 FROM audit.ledger l WHERE l.capture_seq = s)"
            ),
            {"last": last},
        )
    assert missing == 0, f"{missing} captured messages have no ledger record"


async def effect_records_per_decision(engine: AsyncEngine, decided: Sequence[Decided]) -> dict[str, int]:
    """Every decision's effect events in the ledger, by type, over all decisions (each exactly once)."""
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT ce_type, count(*), count(DISTINCT message_id) FROM audit.ledger"
                    " WHERE ce_type = ANY(:types) AND correlation_id IN"
                    " (SELECT correlation_id FROM audit.ledger WHERE ce_type = :adopted AND payload ~ :ids)"
                    " GROUP BY ce_type"
                ),
                {
                    "types": list(LEDGER_EFFECTS),
                    "adopted": "be.raderwerk.meetings.decision.adopted.v1",
                    "ids": "|".join(str(d.decision_id) for d in decided),
                },
            )
        ).all()
    for ce_type, records, messages in rows:
        assert records == messages, f"{ce_type}: {records} records of {messages} messages"
    return {str(t): int(n) for t, n, _ in rows}


async def assert_ledger_effects_once(engine: AsyncEngine, decided: Sequence[Decided]) -> None:
    """Once the ledger holds every decision's effect events, none of them is there twice."""
    wanted = {t: n * len(decided) for t, n in LEDGER_EFFECTS.items()}
    ledger = await eventually(
        lambda: effect_records_per_decision(engine, decided),
        lambda counts: all(counts.get(t, 0) >= n for t, n in wanted.items()),
        timeout=120,
        interval=0.5,
        what="every effect of the burst in the audit ledger",
    )
    assert ledger == wanted


def handled_by(port: int) -> dict[str, float]:
    """A service process's handled counts, from its `/metrics`."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        body = resp.read().decode()
    return {kind: float(n) for kind, n in HANDLED.findall(body)}


def readiness(port: int) -> dict[str, object]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
            answer: dict[str, object] = json.loads(resp.read())
            return answer
    except (urllib.error.URLError, OSError, ValueError):
        return {}


def audit_writers(launched: Launch) -> dict[str, str]:
    """Each audit replica's role: `active`, `standby`, or `?` while it does not answer."""
    services = launched.run_info["services"]
    return {
        name: str(readiness(int(services[name]["http_port"])).get("ledger_writer", "?"))
        for name in ("audit", "audit-2")
    }


@pytest.mark.timeout(1200 if LONG else 600)
async def test_a_node_killed_during_a_burst_of_decisions_loses_and_doubles_no_effect(cluster_run: Launch) -> None:
    nc = await patient_operator(cluster_run)
    engine = admin_engine(cluster_run)
    try:
        assert not await streams_short_of_three_replicas(nc)
        kills_done = asyncio.Event()
        today = dt.datetime.now(dt.UTC).date()
        burst = asyncio.create_task(
            run_burst(nc, cluster_run.signer(), DECISIONS, today=today, concurrency=4, until=kills_done)
        )
        await asyncio.to_thread(
            cluster_run.wait_for_line, lambda s: "command handled" in s, timeout=60, what="the burst's first command"
        )
        for node in KILLED_NODES:
            assert not burst.done(), f"the burst must still run when {node} is killed"
            line = await kill_and_await_restart(cluster_run, node, timeout=120)
            assert "killed by SIGKILL" in line, line
        kills_done.set()
        decided = await burst
        assert_each_once(await every_effect_once(engine, decided), len(decided))
        await assert_ledger_effects_once(engine, decided)
        await assert_ledger_once(nc, engine)
        assert (await ledger_verifies(nc, cluster_run.signer().acting_as("p-ad"))).ok
        await eventually(
            lambda: streams_short_of_three_replicas(nc),
            lambda short: not short,
            timeout=90,
            interval=0.5,
            what="three current replicas of every stream",
        )
    finally:
        await engine.dispose()
        await nc.close()


@pytest.mark.timeout(900 if LONG else 300)
async def test_two_replicas_share_a_burst_and_the_standby_takes_over_the_ledger(cluster_run: Launch) -> None:
    services = cluster_run.run_info["services"]
    replicas = {name: (name, f"{name}-2") for name in SERVICE_NAMES}
    before = {p: handled_by(int(services[p]["http_port"])) for pair in replicas.values() for p in pair}
    roles = await asyncio.to_thread(
        until,
        lambda: audit_writers(cluster_run),
        lambda r: sorted(r.values()) == ["active", "standby"],
        timeout=30,
        what="one active ledger writer and one standby",
    )
    active = next(name for name, role in roles.items() if role == "active")
    standby = next(name for name, role in roles.items() if role == "standby")
    nc = await patient_operator(cluster_run)
    engine = admin_engine(cluster_run)
    try:
        killed = asyncio.Event()
        today = dt.datetime.now(dt.UTC).date()
        burst = asyncio.create_task(
            run_burst(nc, cluster_run.signer(), DECISIONS, today=today, concurrency=4, until=killed)
        )
        await asyncio.to_thread(
            cluster_run.wait_for_line, lambda s: "command handled" in s, timeout=60, what="the burst's first command"
        )
        assert not burst.done(), "the writer must be killed in the middle of the burst"
        killed_at = time.monotonic()
        kill = asyncio.create_task(kill_and_await_restart(cluster_run, active, timeout=120))
        await asyncio.to_thread(
            until, lambda: audit_writers(cluster_run)[standby], lambda r: r == "active", timeout=60, what="the takeover"
        )
        print(f"{standby} took over the ledger {time.monotonic() - killed_at:.1f} s after {active} was killed")
        line = await kill
        assert "killed by SIGKILL" in line, line
        # The killed writer, restarted, stands by in its turn.
        await asyncio.to_thread(
            until,
            lambda: audit_writers(cluster_run),
            lambda r: r == {standby: "active", active: "standby"},
            timeout=60,
            what=f"{standby} active and {active} standing by",
        )
        killed.set()
        decided = await burst
        assert_each_once(await every_effect_once(engine, decided), len(decided))
        await assert_ledger_effects_once(engine, decided)
        await assert_ledger_once(nc, engine)
        verdict = await ledger_verifies(nc, cluster_run.signer().acting_as("p-ad"))
        assert verdict.ok, verdict
    finally:
        await engine.dispose()
        await nc.close()

    after = {p: handled_by(int(cluster_run.run_info["services"][p]["http_port"])) for p in before}
    work = {
        p: sum(after[p].get(k, 0) for k in ("command", "query", "delivery"))
        - (0 if p == active else sum(before[p].get(k, 0) for k in ("command", "query", "delivery")))
        for p in before
    }
    print("handled per replica during the burst:", json.dumps(work, sort_keys=True))
    # The audit writer's standby waits by design; the gateway serves HTTP and takes no part in a burst of events.
    idle = [p for name, pair in replicas.items() if name not in ("audit", "gateway") for p in pair if work[p] <= 0]
    assert not idle, f"replicas that did no work in the burst: {idle} ({work})"
