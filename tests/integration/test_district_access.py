"""A district connects as its own NATS user and sees its own feed, live and replayed, and nothing else.

The server enforces it (DESIGN §5): the district's account imports only its `district.<id>.>`
subjects and the next-message and ack calls of its own durable consumer.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.topology import district_consumer, district_user, inbox_prefix
from tests.integration.waiting import eventually


async def _as_district(nats_server: Any, district: str, errors: list[str] | None = None) -> Client:
    user = district_user(district)

    async def on_error(exc: Exception) -> None:
        if errors is not None:
            errors.append(str(exc))

    return await nats.connect(
        nats_server.url,
        user=user,
        password=nats_server.passwords[user],
        inbox_prefix=inbox_prefix(user),
        error_cb=on_error,
        allow_reconnect=False,
        connect_timeout=5,
    )


async def _publish_to_feed(nats_server: Any, district: str, marker: str) -> None:
    nc = await nats_server.connect("notifications")
    try:
        body = json.dumps({"marker": marker}).encode()
        await nc.jetstream().publish(
            f"district.{district}.meetings.decision.adopted", body, headers={"Nats-Msg-Id": marker}
        )
    finally:
        await nc.close()


async def test_a_district_reads_its_feed_live_and_replays_it_from_the_start(nats_server: Any) -> None:
    before = f"before-{uuid.uuid4()}"
    await _publish_to_feed(nats_server, "noord", before)
    nc = await _as_district(nats_server, "noord")
    live: list[Msg] = []
    try:

        async def keep(msg: Msg) -> None:
            live.append(msg)

        sub = await nc.subscribe("district.noord.>", cb=keep)
        await nc.flush()
        during = f"live-{uuid.uuid4()}"
        await _publish_to_feed(nats_server, "noord", during)
        await eventually(
            lambda: _snapshot(live), lambda got: any(during.encode() in m.data for m in got), timeout=10, what="live"
        )
        assert not any(before.encode() in m.data for m in live), "the live feed does not replay"
        await sub.unsubscribe()

        spec = district_consumer("noord")
        reader = await nc.jetstream().pull_subscribe_bind(spec.durable, stream=spec.stream)
        seen: list[bytes] = []
        for _ in range(200):
            if any(before.encode() in d for d in seen) and any(during.encode() in d for d in seen):
                break
            for msg in await reader.fetch(50, timeout=5):
                assert msg.subject.startswith("district.noord.")
                seen.append(msg.data)
                await msg.ack()
        assert any(before.encode() in d for d in seen), "published before the district connected"
        assert any(during.encode() in d for d in seen)
    finally:
        await nc.close()
    admin = await nats_server.connect("provisioner")
    try:
        info = await admin.jetstream().consumer_info("DISTRICTS", "district_noord")
        assert info.ack_floor.stream_seq > 0, "the district's acks reach its consumer"
    finally:
        await admin.close()


async def _snapshot(items: list[Any]) -> list[Any]:
    return list(items)


async def _refused(nats_server: Any, action: Any) -> list[str]:
    errors: list[str] = []
    nc = await _as_district(nats_server, "noord", errors)
    try:
        await action(nc)
        await nc.flush()
        await eventually(lambda: _snapshot(errors), bool, timeout=5, what="a permissions violation")
    finally:
        await nc.close()
    return errors


async def test_a_district_cannot_read_another_districts_feed(nats_server: Any) -> None:
    async def snoop(nc: Client) -> None:
        await nc.subscribe("district.zuid.>")

    assert any("permissions violation" in e.lower() for e in await _refused(nats_server, snoop))


async def test_a_district_cannot_read_another_districts_consumer(nats_server: Any) -> None:
    async def steal(nc: Client) -> None:
        await nc.publish("$JS.API.CONSUMER.MSG.NEXT.DISTRICTS.district_zuid", b'{"batch":1}')

    assert any("permissions violation" in e.lower() for e in await _refused(nats_server, steal))


async def test_a_district_publishes_nothing(nats_server: Any) -> None:
    admin = await nats_server.connect("provisioner")
    before = (await admin.jetstream().stream_info("DISTRICTS")).state.messages

    async def forge(nc: Client) -> None:
        await nc.publish("district.noord.meetings.decision.adopted", b"{}")
        await nc.publish("meetings.decision.adopted", b"{}")

    errors = await _refused(nats_server, forge)
    assert any("permissions violation" in e.lower() for e in errors), errors
    after = (await admin.jetstream().stream_info("DISTRICTS")).state.messages
    await admin.close()
    assert after == before, "a forged feed entry must not be stored"


async def test_a_district_calls_no_jetstream_api_beyond_its_consumer(nats_server: Any) -> None:
    for subject in (
        "$JS.API.INFO",
        "$JS.API.STREAM.INFO.DISTRICTS",
        "$JS.API.CONSUMER.CREATE.DISTRICTS",
        "$JS.API.CONSUMER.DELETE.DISTRICTS.district_noord",
        "$JS.API.CONSUMER.INFO.DISTRICTS.district_noord",
    ):

        async def call(nc: Client, subject: str = subject) -> None:
            await nc.publish(subject, b"{}")

        errors = await _refused(nats_server, call)
        assert any("permissions violation" in e.lower() for e in errors), (subject, errors)
