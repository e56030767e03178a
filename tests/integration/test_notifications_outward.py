"""Decisions reach the parties outside the back office, redacted, on the real stack.

Meetings adopts a public and a closed decision in one council session, both tagged with district
`noord`, and a BCSD decision; notifications (a real process) republishes what a district may see,
signs and retries webhooks, mails a mailbox over SMTP. The district reads its feed as its own NATS
user; the webhook receivers verify signatures with the `standardwebhooks` package, which shares no
code with the service's signing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from standardwebhooks import Webhook

from shared.contracts.base import Confidentiality
from shared.contracts.common import BodyKind
from shared.contracts.meetings import AppointmentDetails, DecisionKind
from shared.contracts.notifications import (
    AddSubscription,
    Channel,
    DeliveryStatus,
    ListDeliveries,
    ListDeliveriesReply,
    ResendDeliveries,
)
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.topology import district_user, inbox_prefix
from tests.actors import as_person
from tests.integration.meeting_driver import MeetingDriver, majority, meetings_process, publish_mandates
from tests.integration.outward import Mailbox, WebhookEndpoint
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import eventually

SECRETS = ("Geheimhouder", "Vertrouwelijk", "Kerkstraat 9")
PUBLIC_TITLE = "Heraanleg van het Dorpsplein in Noord"


@dataclass
class Outside:
    driver: MeetingDriver
    operator: Client
    district: Client
    feed: list[Msg]
    mailbox: Mailbox
    flaky: WebhookEndpoint
    broken: WebhookEndpoint
    secrets: dict[str, str]
    subscriptions: dict[str, str]


async def _subscribe(nc: Client, **fields: Any) -> tuple[str, str | None]:
    reply = await send_command(
        nc, AddSubscription(command_id=uuid.uuid4().hex, **fields), actor=as_person("p-ad"), source="/raderwerk/test"
    )
    assert reply.accepted, (reply.code, reply.message)
    secret = reply.data.get("secret")
    return reply.ids["subscription_id"], str(secret) if secret else None


@pytest.fixture
async def outside(nats_server: Any, pg_dsn: str, tmp_path: Path) -> AsyncIterator[Outside]:
    suffix = uuid.uuid4().hex[:8]
    clock_file = tmp_path / "clock.json"
    meetings = meetings_process(nats_server, pg_dsn, f"t_meet_{suffix}", clock_file)
    mailbox = Mailbox()
    mailbox.start()
    notifications = ServiceProcess(
        "notifications",
        nats_server.url,
        nats_server.passwords["notifications"],
        pg_dsn,
        f"t_notify_{suffix}",
        extra_env={
            "RW_NOTIFICATIONS_SMTP_PORT": str(mailbox.port),
            "RW_NOTIFICATIONS_RETRY_DELAYS_S": "[0.2, 0.4]",
            "RW_NOTIFICATIONS_DELIVERY_POLL_S": "0.05",
        },
    )
    await asyncio.gather(asyncio.to_thread(meetings.migrate), asyncio.to_thread(notifications.migrate))
    engine = make_engine(pg_dsn, f"t_meet_{suffix}")
    operator = await nats_server.connect("operator")
    org = await nats_server.connect("organisation")
    user = district_user("noord")
    district = await nats.connect(
        nats_server.url, user=user, password=nats_server.passwords[user], inbox_prefix=inbox_prefix(user)
    )
    feed: list[Msg] = []

    async def keep(msg: Msg) -> None:
        feed.append(msg)

    await district.subscribe("district.noord.>", cb=keep)
    flaky, broken = WebhookEndpoint(fail_first=2), WebhookEndpoint(fail_first=None)
    await flaky.start()
    await broken.start()
    try:
        cast: dict[BodyKind, list[str]] = {}
        for body, size in ((BodyKind.GEMEENTERAAD, 9), (BodyKind.BCSD, 3)):
            people = [f"{body.value[:4]}-{suffix}-{i}" for i in range(size)]
            await publish_mandates(org, body, people)
            cast[body] = people
        meetings.start()
        notifications.start()
        driver = MeetingDriver(operator, engine, clock_file, cast=cast)
        await driver.wait_ready()
        ids, secrets = {}, {}
        wanted: dict[str, dict[str, Any]] = {
            "flaky": {"channel": Channel.WEBHOOK, "target": flaky.url},
            # Decisions only: the district's published documents and tasks would fail there too.
            "broken": {
                "channel": Channel.WEBHOOK,
                "target": broken.url,
                "owner_email": "beheer@noord.example",
                "event_types": ("meetings.decision.adopted",),
            },
            "mail": {"channel": Channel.EMAIL, "target": "secretariaat@noord.example"},
        }
        for name, fields in wanted.items():

            async def added(fields: dict[str, Any] = fields) -> tuple[str, str | None] | None:
                try:
                    return await _subscribe(operator, district="noord", **fields)
                except Exception:  # noqa: BLE001 - notifications is still starting
                    return None

            found = await eventually(added, lambda r: r is not None, timeout=60, what="notifications to answer")
            assert found is not None
            ids[name] = found[0]
            if found[1]:
                secrets[name] = found[1]
        yield Outside(driver, operator, district, feed, mailbox, flaky, broken, secrets, ids)
        assert meetings.stop() == 0, meetings.log_tail()
        assert notifications.stop() == 0, notifications.log_tail()
    finally:
        for process in (meetings, notifications):
            if process.process and process.process.poll() is None:
                process.kill()
        await flaky.stop()
        await broken.stop()
        mailbox.stop()
        for nc in (operator, org, district):
            await nc.close()
        await engine.dispose()


def _appointment() -> dict[str, Any]:
    return {
        "appointment": AppointmentDetails(
            person_id="p-geheim",
            person_name="Jan Geheimhouder",
            entity="gemeente",  # type: ignore[arg-type]
            position="diensthoofd",
            grade="A1a",
            statutory=True,
            start_date=dt.date.today() + dt.timedelta(days=30),
        )
    }


async def _snapshot(items: list[Any]) -> list[Any]:
    return list(items)


async def test_only_the_public_decision_leaves_and_webhooks_are_signed_retried_and_dead_lettered(
    outside: Outside,
) -> None:
    drv = outside.driver
    council = await drv.voters(BodyKind.GEMEENTERAAD, at_least=9)
    bcsd = await drv.voters(BodyKind.BCSD, at_least=3)
    public = await drv.propose(BodyKind.GEMEENTERAAD, PUBLIC_TITLE, district="noord")
    closed = await drv.propose(
        BodyKind.GEMEENTERAAD,
        "Benoeming van Jan Geheimhouder tot diensthoofd",
        kind=DecisionKind.APPOINTMENT,
        confidentiality=Confidentiality.CLOSED,
        motivation="Jan Geheimhouder scoorde het best",
        district="noord",
        **_appointment(),
    )
    social = await drv.propose(
        BodyKind.BCSD,
        "Leefloon voor Marie Vertrouwelijk",
        motivation="Marie Vertrouwelijk, Kerkstraat 9",
        district="noord",
    )
    session = await drv.schedule(BodyKind.GEMEENTERAAD, days=9)
    await drv.convene(session, public, closed)
    present = majority(council, extra=1)
    await drv.open(session, present)
    adopted = await drv.vote_open(session, public, present)
    await drv.vote_secret(session, closed, _tally(len(present)))
    await drv.close(session)
    b_session = await drv.schedule(BodyKind.BCSD, days=1)
    await drv.convene(b_session, social)
    await drv.open(b_session, bcsd)
    await drv.vote_open(b_session, social, bcsd)
    await drv.close(b_session)
    decision_id = adopted.ids["decision_id"]

    # The district's feed, live, as the district's own NATS user.
    feed = await eventually(
        lambda: _snapshot(outside.feed),
        lambda got: any(decision_id.encode() in m.data for m in got),
        timeout=60,
        what="the public decision in the district feed",
    )
    entry = json.loads(next(m for m in feed if decision_id.encode() in m.data).data)
    assert entry["data"]["title"] == PUBLIC_TITLE
    assert entry["event_id"], "receivers drop duplicates by the event id"

    # The flaky receiver got it on its third try; the signature verifies with the convention's library.
    delivered = await eventually(
        lambda: _snapshot(outside.flaky.delivered()),
        lambda got: any(decision_id.encode() in c.body for c in got),
        timeout=60,
        what="the webhook after retries",
    )
    call = next(c for c in delivered if decision_id.encode() in c.body)
    same = [c for c in outside.flaky.calls if c.headers["webhook-id"] == call.headers["webhook-id"]]
    assert [c.status for c in same] == [503, 503, 200]
    verified = Webhook(outside.secrets["flaky"]).verify(call.body, call.headers)
    assert verified["data"]["decision_id"] == decision_id
    with pytest.raises(Exception, match=r"(?i)signature"):
        Webhook(outside.secrets["broken"]).verify(call.body, call.headers)

    # The mailbox.
    mails = await eventually(
        lambda: _snapshot(outside.mailbox.texts()),
        lambda got: any(PUBLIC_TITLE in t for t in got),
        timeout=60,
        what="the mail",
    )

    # The always-failing receiver: dead-lettered with its reason, its owner told, then resent by command.
    async def dead() -> ListDeliveriesReply:
        return await send_query(
            outside.operator,
            ListDeliveries(
                command_id=uuid.uuid4().hex,
                status=DeliveryStatus.DEAD,
                subscription_id=uuid.UUID(outside.subscriptions["broken"]),
            ),
            ListDeliveriesReply,
            actor=as_person("p-ad"),
            source="/raderwerk/test",
        )

    listed = await eventually(dead, lambda r: len(r.deliveries) >= 1, timeout=60, what="the dead letter")
    [line] = listed.deliveries
    assert (line.attempts, line.last_error) == (3, "HTTP 503: ")
    await eventually(
        lambda: _snapshot(outside.mailbox.messages),
        lambda got: any(m["To"] == "beheer@noord.example" for m in got),
        timeout=60,
        what="the owner's mail",
    )
    outside.broken.fail_first = 0
    reply = await send_command(
        outside.operator,
        ResendDeliveries(command_id=uuid.uuid4().hex, delivery_id=line.delivery_id),
        actor=as_person("p-ad"),
        source="/raderwerk/test",
    )
    assert reply.accepted, reply.message
    resent = await eventually(
        lambda: _snapshot(outside.broken.delivered()),
        lambda got: any(decision_id.encode() in c.body for c in got),
        timeout=60,
        what="the resent webhook",
    )
    Webhook(outside.secrets["broken"]).verify(resent[-1].body, resent[-1].headers)

    # Nothing anywhere holds a protected field of the closed or the BCSD decision.
    everything = [m.data.decode() for m in outside.feed]
    everything += [c.body.decode() for c in (*outside.flaky.calls, *outside.broken.calls)]
    everything += outside.mailbox.texts()
    for text in everything:
        assert not any(s in text for s in SECRETS), text
    assert any(PUBLIC_TITLE in t for t in mails)


def _tally(present: int) -> Any:
    from shared.contracts.meetings import VoteTally

    return VoteTally(in_favour=present - 1, against=1, abstentions=0)
