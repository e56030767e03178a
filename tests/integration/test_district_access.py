"""A district connects as its own NATS user and sees its own feed, live and replayed, and nothing else.

The server enforces it (DESIGN §5): the district's account imports only its `district.<id>.>`
subjects and the next-message and ack calls of its own durable consumer.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg

from cli.district import read_feed, start_of
from deploy.embedded import start_nats
from deploy.provision import provision
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


async def test_the_operator_reads_a_district_feed_from_a_point_without_moving_the_districts_position(
    nats_server: Any,
) -> None:
    first, second = f"from-{uuid.uuid4()}", f"from-{uuid.uuid4()}"
    await _publish_to_feed(nats_server, "zuid", first)
    admin = await nats_server.connect("provisioner")
    js = admin.jetstream()
    start = (await js.stream_info("DISTRICTS")).state.last_seq + 1
    position = (await js.consumer_info("DISTRICTS", "district_zuid")).delivered.stream_seq
    await _publish_to_feed(nats_server, "zuid", second)
    await _publish_to_feed(nats_server, "oost", f"other-{uuid.uuid4()}")
    operator = await nats_server.connect("operator")
    try:
        entries = await read_feed(operator, "zuid", start_of(str(start)), limit=1000, idle_s=1.0)
        everything = await read_feed(operator, "zuid", start_of("1"), limit=100_000, idle_s=1.0)
    finally:
        await operator.close()
    markers = [body.get("marker") for _, _, body in entries]
    assert second in markers
    assert first not in markers, "the feed starts where it was asked to"
    assert all(subject.startswith("district.zuid.") for _, subject, _ in everything)
    assert first in [body.get("marker") for _, _, body in everything]
    after = (await js.consumer_info("DISTRICTS", "district_zuid")).delivered.stream_seq
    await admin.close()
    assert after == position, "reading as the operator leaves the district's own consumer alone"


async def test_adding_a_district_is_one_line_and_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    districts = tmp_path / "districts.yaml"
    districts.write_text("districts:\n  - {id: noord, name: Noord}\n")
    monkeypatch.setenv("RW_DISTRICTS_FILE", str(districts))
    server = start_nats(tmp_path / "nats")
    try:
        before = json.loads((tmp_path / "nats" / "secrets.json").read_text())
        assert "district_west" not in before
        server.stop()
        with districts.open("a") as f:
            f.write("  - {id: west, name: West}\n")
        server = start_nats(tmp_path / "nats")
        nc = await nats.connect(server.url, user="provisioner", password=server.passwords["provisioner"])
        try:
            await provision(nc)
        finally:
            await nc.close()
        after = server.passwords
        assert {u: p for u, p in after.items() if u in before} == before, "nobody else's password changed"
        west = await nats.connect(
            server.url,
            user="district_west",
            password=after["district_west"],
            inbox_prefix=inbox_prefix("district_west"),
            allow_reconnect=False,
        )
        try:
            spec = district_consumer("west")
            reader = await west.jetstream().pull_subscribe_bind(spec.durable, stream=spec.stream)
            publisher = await nats.connect(
                server.url,
                user="notifications",
                password=after["notifications"],
                inbox_prefix=inbox_prefix("notifications"),
                allow_reconnect=False,
            )
            await publisher.jetstream().publish("district.west.meetings.decision.adopted", b'{"marker":"w"}')
            await publisher.close()
            [msg] = await reader.fetch(1, timeout=10)
            assert msg.data == b'{"marker":"w"}'
            await msg.ack()
        finally:
            await west.close()
    finally:
        server.stop()
