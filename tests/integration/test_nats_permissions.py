"""Each identity gets only the subjects it needs, enforced by the real nats-server."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import nats
import pytest
from nats.errors import Error as NatsError
from nats.js.errors import NoStreamResponseError

from deploy.provision import provision
from tests.integration.waiting import eventually


async def test_provisioning_twice_changes_nothing(nats_server: Any) -> None:
    assert nats_server.first_provision.changed
    nc = await nats_server.connect("provisioner")
    try:
        report = await provision(nc)
    finally:
        await nc.close()
    assert not report.changed, report.actions


async def test_a_service_publishes_its_own_events(nats_server: Any) -> None:
    nc = await nats_server.connect("finance")
    try:
        ack = await nc.jetstream().publish("finance.test.published", b"{}", headers={"Nats-Msg-Id": "perm-ok-1"})
        assert ack.stream == "FINANCE"
    finally:
        await nc.close()


async def _violations(user: str, nats_server: Any, action: Any) -> list[str]:
    """Run `action(nc)` and collect the permission errors the server reports asynchronously."""
    errors: list[str] = []
    seen = asyncio.Event()

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc))
        seen.set()

    nc = await nats.connect(
        nats_server.url,
        user=user,
        password=nats_server.passwords[user],
        inbox_prefix=f"_INBOX_{user}",
        error_cb=on_error,
        allow_reconnect=False,
    )
    try:
        await action(nc)
        await nc.flush()
        await asyncio.wait_for(seen.wait(), timeout=5)
    finally:
        await nc.close()
    return errors


async def test_a_service_cannot_forge_another_services_event(nats_server: Any) -> None:
    admin = await nats_server.connect("provisioner")
    js = admin.jetstream()
    before = (await js.stream_info("MEETINGS")).state.messages

    async def forge(nc: Any) -> None:
        await nc.publish("meetings.decision.adopted", b"{}")

    errors = await _violations("finance", nats_server, forge)
    assert any("permissions violation" in e.lower() for e in errors), errors
    after = (await js.stream_info("MEETINGS")).state.messages
    await admin.close()
    assert after == before, "the forged event must not be stored"


async def test_a_service_cannot_read_another_services_consumer(nats_server: Any) -> None:
    async def steal(nc: Any) -> None:
        await nc.publish("$JS.API.CONSUMER.MSG.NEXT.MEETINGS.organisation_decisions", b'{"batch":1}')

    errors = await _violations("finance", nats_server, steal)
    assert any("permissions violation" in e.lower() for e in errors), errors


async def test_a_service_cannot_delete_a_stream(nats_server: Any) -> None:
    async def delete(nc: Any) -> None:
        await nc.publish("$JS.API.STREAM.DELETE.CAPTURE", b"")

    errors = await _violations("audit", nats_server, delete)
    assert any("permissions violation" in e.lower() for e in errors), errors


async def test_a_service_cannot_read_another_services_replies(nats_server: Any) -> None:
    async def snoop(nc: Any) -> None:
        await nc.subscribe("_INBOX_operator.>")

    errors = await _violations("finance", nats_server, snoop)
    assert any("permissions violation" in e.lower() for e in errors), errors


async def test_the_operator_sends_commands_but_publishes_no_events(nats_server: Any) -> None:
    async def forge(nc: Any) -> None:
        await nc.publish("finance.commitment.recorded", b"{}")

    errors = await _violations("operator", nats_server, forge)
    assert any("permissions violation" in e.lower() for e in errors), errors
    nc = await nats_server.connect("operator")
    try:
        info = await nc.jetstream().stream_info("CAPTURE")  # read-only stream state is allowed
        assert info.config.name == "CAPTURE"
        with pytest.raises((NatsError, NoStreamResponseError, TimeoutError)):
            await nc.jetstream().publish("finance.x.y", b"{}", timeout=1)
    finally:
        await nc.close()


@pytest.mark.parametrize(
    ("what", "subject"),
    [("publish an event", "finance.visum.granted"), ("publish as itself", "gateway.session.opened")],
)
async def test_the_gateway_may_send_commands_and_nothing_more(nats_server: Any, what: str, subject: str) -> None:
    async def forge(nc: Any) -> None:
        await nc.publish(subject, b"{}")

    errors = await _violations("gateway", nats_server, forge)
    assert any("permissions violation" in e.lower() for e in errors), (what, errors)


async def test_the_gateway_cannot_serve_or_overhear_commands(nats_server: Any) -> None:
    async def overhear(nc: Any) -> None:
        await nc.subscribe("cmd.finance.grant_visum")

    errors = await _violations("gateway", nats_server, overhear)
    assert any("permissions violation" in e.lower() for e in errors), errors
    # Sending a command is allowed: the COMMANDS stream, which captures every request, has it.
    subject = f"cmd.gatewaytest.{uuid.uuid4().hex}"
    gateway, operator = await nats_server.connect("gateway"), await nats_server.connect("operator")
    try:
        await gateway.publish(subject, b"{}")
        await gateway.flush()

        async def captured() -> int:
            info = await operator.jetstream().stream_info("COMMANDS", subjects_filter=subject)
            return int((info.state.subjects or {}).get(subject, 0))

        await eventually(captured, lambda n: n == 1, timeout=10, what="the gateway's command in COMMANDS")
    finally:
        await gateway.close()
        await operator.close()


async def test_every_event_is_captured_for_the_ledger(nats_server: Any) -> None:
    admin = await nats_server.connect("provisioner")
    js = admin.jetstream()
    nc = await nats_server.connect("hr")
    try:
        before = (await js.stream_info("CAPTURE")).state.messages
        await nc.jetstream().publish("hr.test.captured", b"{}", headers={"Nats-Msg-Id": "capture-1"})
        await eventually(
            lambda: js.stream_info("CAPTURE"),
            lambda info: info.state.messages >= before + 1,
            timeout=10,
            what="the captured copy",
        )
    finally:
        await nc.close()
        await admin.close()
