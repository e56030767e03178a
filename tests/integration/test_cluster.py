"""A three-node JetStream cluster from the wheel: streams at R3 survive a SIGKILLed node.

The burst is published the way the outbox relay publishes: every message with its `Nats-Msg-Id`,
a failed or unanswered publish sent again with the same id until it is acknowledged. With one node
killed mid-burst every message must be in its stream exactly once, and once the node is back
every stream must report three current replicas again.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client
from nats.js.api import StreamInfo
from nats.js.client import JetStreamContext

from deploy.cluster import NatsCluster, start_nats_cluster, wait_for_meta_leader
from deploy.provision import provision
from shared.topology import STREAMS
from tests.integration.waiting import eventually

BURST = 400
KILL_AFTER = 120


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsCluster]:
    started = start_nats_cluster(Path(tmp_path_factory.mktemp("cluster")))
    try:
        yield started
    finally:
        started.stop()


async def _connect(cluster: NatsCluster, user: str = "provisioner") -> Client:
    return await nats.connect(
        servers=cluster.urls,
        user=user,
        password=cluster.passwords[user],
        connect_timeout=5,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.2,
    )


def _healthy(info: StreamInfo) -> bool:
    replicas = info.cluster.replicas if info.cluster is not None else None
    return (
        info.config.num_replicas == 3
        and info.cluster is not None
        and info.cluster.leader is not None
        and replicas is not None
        and len(replicas) == 2
        and all(r.current and not r.offline for r in replicas)
    )


async def _publish_until_acked(js: nats.js.JetStreamContext, n: int, attempts: dict[int, int]) -> None:
    deadline = time.monotonic() + 60
    while True:
        attempts[n] = attempts.get(n, 0) + 1
        try:
            await js.publish(
                f"meetings.burst.m{n}",
                f'{{"n": {n}}}'.encode(),
                timeout=2,
                stream="MEETINGS",
                headers={"Nats-Msg-Id": f"burst-{n}"},
            )
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.25)


async def test_a_killed_node_loses_and_doubles_nothing_and_its_replicas_come_back(cluster: NatsCluster) -> None:
    nc = await _connect(cluster)
    try:
        report = await provision(nc, replicas=3)
        assert report.actions
        js = nc.jetstream()
        infos = {s.name: await js.stream_info(s.name) for s in STREAMS}
        assert all(i.config.num_replicas == 3 for i in infos.values())
        # Kill the node leading the stream under the burst: the harder case.
        leader = infos["MEETINGS"].cluster.leader if infos["MEETINGS"].cluster else None
        victim = next(n for n in cluster.nodes if n.config.read_text().count(f'"server_name": "{leader}"'))
        attempts: dict[int, int] = {}
        tasks = []
        for n in range(BURST):
            tasks.append(asyncio.create_task(_publish_until_acked(js, n, attempts)))
            if n == KILL_AFTER:
                victim.process.send_signal(signal.SIGKILL)
                victim.process.wait()
            await asyncio.sleep(0.002)
        await asyncio.gather(*tasks)
        print(f"resent {sum(attempts.values()) - BURST} publishes after the kill")

        # Exactly once: every id in the stream, none twice, although some were sent more than once.
        async def state() -> int:
            try:
                return int((await js.stream_info("MEETINGS", subjects_filter="meetings.burst.>")).state.messages)
            except Exception:  # noqa: BLE001 - the stream is electing a leader: not there yet
                return -1

        assert await eventually(state, lambda m: m >= BURST, timeout=30, what="the burst in MEETINGS") == BURST
        seen: list[str] = []

        async def reader() -> JetStreamContext.PushSubscription | None:
            try:
                return await js.subscribe("meetings.burst.>", ordered_consumer=True, stream="MEETINGS")
            except (nats.errors.TimeoutError, nats.js.errors.APIError):
                return None  # the cluster still settles after the kill: the consumer request times out

        sub = await eventually(reader, lambda s: s is not None, timeout=60, what="a reader of MEETINGS")
        assert sub is not None
        while len(seen) < BURST:
            msg = await sub.next_msg(timeout=10)
            seen.append((msg.headers or {}).get("Nats-Msg-Id", ""))
        await sub.unsubscribe()
        assert sorted(seen) == sorted(f"burst-{n}" for n in range(BURST))

        # The node returns and catches up: three current replicas of every stream again.
        victim.restart()
        wait_for_meta_leader(cluster.nodes, timeout=30)

        async def unhealthy() -> list[str]:
            short: list[str] = []
            for spec in STREAMS:
                try:
                    if not _healthy(await js.stream_info(spec.name)):
                        short.append(spec.name)
                except Exception as exc:  # noqa: BLE001 - no leader yet: the stream info request times out
                    short.append(f"{spec.name} ({type(exc).__name__})")
            return short

        await eventually(unhealthy, lambda names: not names, timeout=60, what="three current replicas of every stream")
    finally:
        await nc.close()
