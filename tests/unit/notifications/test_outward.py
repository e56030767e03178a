"""What leaves the back office: redacted district feeds, filtered subscriptions, signed webhooks, retries."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from standardwebhooks import Webhook  # the convention's own implementation, not ours

from services.notifications.adapters.webhooks import sign
from services.notifications.entrypoints.subscriptions import registry
from services.notifications.service_layer.commands.subscriptions import SubscriptionCommands
from services.notifications.service_layer.deliveries import DeliveryWorker
from services.notifications.service_layer.ports import SendFailed
from services.notifications.service_layer.reactions import NotificationReactions
from shared.clock import FixedClock
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind, FollowUpKind
from shared.contracts.meetings import AppointmentDetails, DecisionAdopted, DecisionKind
from shared.contracts.notifications import (
    AddSubscription,
    Channel,
    DeliveryFailed,
    DeliveryStatus,
    DistrictFeedEntry,
    ListDeliveries,
    ListDeliveriesReply,
    ResendDeliveries,
)
from shared.contracts.organisation import TaskCreated
from shared.kernel import RuleViolation
from shared.messaging.envelope import Envelope
from tests.factories import adopted_decision
from tests.unit.notifications.fakes import FakeNotificationsUnitOfWork

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DISTRICTS = ("noord", "zuid", "oost")
PERSONAL = "Jan Geheimhouder"


def _setup() -> tuple[FixedClock, Any]:
    clock = FixedClock(NOW)
    return clock, registry(
        NotificationReactions(clock, DISTRICTS, "https://rw.example"),
        SubscriptionCommands(clock, DISTRICTS, "https://rw.example"),
    )


def _envelope(event: DecisionAdopted) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        type=event.ce_type(),
        source="/raderwerk/meetings",
        time=NOW,
        correlation_id="c",
        confidentiality=event.confidentiality,
    )


def _three_decisions() -> tuple[DecisionAdopted, DecisionAdopted, DecisionAdopted]:
    public = adopted_decision(body=BodyKind.DISTRICTSRAAD, district="noord", title="Heraanleg Dorpsplein")
    closed = adopted_decision(
        body=BodyKind.DISTRICTSRAAD,
        district="noord",
        title=f"Benoeming van {PERSONAL}",
        confidentiality=Confidentiality.CLOSED,
        kind=DecisionKind.APPOINTMENT,
        motivation=f"{PERSONAL} is de beste kandidaat",
    )
    social = adopted_decision(
        body=BodyKind.BCSD, title=f"Leefloon voor {PERSONAL}", confidentiality=Confidentiality.SOCIAL, district="noord"
    )
    return public, closed, social


async def _subscribe(reg: Any, uow: FakeNotificationsUnitOfWork, **fields: Any) -> str:
    accepted = await reg.send(uow, AddSubscription(command_id=f"c-{uuid.uuid4()}", **fields))
    return str(accepted.ids["subscription_id"])


async def test_only_the_public_decision_reaches_the_district_the_webhook_and_the_mailbox() -> None:
    _, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    await _subscribe(reg, uow, channel=Channel.WEBHOOK, target="https://hook.example/in")
    await _subscribe(reg, uow, channel=Channel.EMAIL, target="pers@example.invalid")
    for decision in _three_decisions():
        await reg.tell(uow, decision, _envelope(decision))
    feed = [e for e, _ in uow.emitted if isinstance(e, DistrictFeedEntry)]
    assert [(e.district, e.data["title"]) for e in feed] == [("noord", "Heraanleg Dorpsplein")]
    assert {d.channel.value for d in uow.deliveries.rows.values()} == {"webhook", "email"}
    assert len(uow.deliveries.rows) == 2
    everything = json.dumps([e.model_dump(mode="json") for e, _ in uow.emitted]) + json.dumps(
        [d.payload for d in uow.deliveries.rows.values()]
    )
    assert PERSONAL not in everything


async def test_personal_fields_of_a_public_decision_reach_no_public_audience() -> None:
    _, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    await _subscribe(reg, uow, channel=Channel.WEBHOOK, target="https://hook.example/in")
    entitled = await _subscribe(
        reg,
        uow,
        channel=Channel.WEBHOOK,
        target="https://hr.example/in",
        clearance=(Confidentiality.PUBLIC, Confidentiality.CLOSED),
    )
    decision = adopted_decision(
        district="zuid",
        kind=DecisionKind.APPOINTMENT,
        appointment=AppointmentDetails(
            person_id="p-x",
            person_name=PERSONAL,
            entity=LegalEntity.GEMEENTE,
            position="diensthoofd",
            grade="A1a",
            statutory=True,
            start_date=dt.date(2027, 1, 1),
        ),
    )
    await reg.tell(uow, decision, _envelope(decision))
    by_target = {d.target: json.dumps(d.payload) for d in uow.deliveries.rows.values()}
    feed = json.dumps([e.model_dump(mode="json") for e, _ in uow.emitted])
    assert PERSONAL not in by_target["https://hook.example/in"]
    assert PERSONAL not in feed
    assert PERSONAL in by_target["https://hr.example/in"], f"{entitled} is entitled to the whole decision"


async def test_a_closed_decision_reaches_only_a_subscription_entitled_to_closed_content() -> None:
    _, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    await _subscribe(
        reg, uow, channel=Channel.EMAIL, target="raad@example.invalid", clearance=(Confidentiality.CLOSED,)
    )
    _, closed, social = _three_decisions()
    for decision in (closed, social):
        await reg.tell(uow, decision, _envelope(decision))
    [delivery] = uow.deliveries.rows.values()
    assert PERSONAL in delivery.payload["text"]
    assert "Benoeming" in delivery.payload["subject"]


async def test_filters_choose_by_type_body_entity_and_district() -> None:
    _, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    await _subscribe(reg, uow, channel=Channel.EMAIL, target="zuid@example.invalid", district="zuid")
    await _subscribe(reg, uow, channel=Channel.EMAIL, target="raad@example.invalid", body=BodyKind.GEMEENTERAAD)
    await _subscribe(
        reg, uow, channel=Channel.EMAIL, target="lijst@example.invalid", event_types=("meetings.document.>",)
    )
    await _subscribe(reg, uow, channel=Channel.DISTRICT, target="oost", body=BodyKind.GEMEENTERAAD)
    council = adopted_decision(body=BodyKind.GEMEENTERAAD)
    await reg.tell(uow, council, _envelope(council))
    assert {d.target for d in uow.deliveries.rows.values()} == {"raad@example.invalid"}
    assert [e.district for e, _ in uow.emitted if isinstance(e, DistrictFeedEntry)] == ["oost"]


async def test_a_thin_webhook_carries_type_id_and_link_only() -> None:
    _, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    await _subscribe(reg, uow, channel=Channel.WEBHOOK, target="https://hook.example/in", thin=True)
    decision = adopted_decision()
    envelope = _envelope(decision)
    await reg.tell(uow, decision, envelope)
    [delivery] = uow.deliveries.rows.values()
    body = delivery.payload["body"]
    assert set(body) == {"type", "timestamp", "event_id", "about", "link"}
    assert body["event_id"] == envelope.id
    assert body["link"] == f"https://rw.example/decision/{decision.decision_id}"


async def test_subscriptions_refuse_unknown_districts_and_more_than_public_for_a_district() -> None:
    _, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    with pytest.raises(RuleViolation) as unknown:
        await _subscribe(reg, uow, channel=Channel.DISTRICT, target="west")
    with pytest.raises(RuleViolation) as closed:
        await _subscribe(reg, uow, channel=Channel.DISTRICT, target="noord", clearance=(Confidentiality.CLOSED,))
    with pytest.raises(RuleViolation) as url:
        await _subscribe(reg, uow, channel=Channel.WEBHOOK, target="ftp://x")
    assert (unknown.value.code, closed.value.code, url.value.code) == (
        "unknown_district",
        "district_public_only",
        "invalid_target",
    )


def test_our_signature_verifies_with_the_standard_webhooks_library() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"type":"meetings.decision.adopted","event_id":"e-1"}'
    timestamp = int(dt.datetime.now(dt.UTC).timestamp())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(timestamp)}
    headers["webhook-signature"] = sign(secret, "msg_1", timestamp, body)
    assert Webhook(secret).verify(body, headers) == {"type": "meetings.decision.adopted", "event_id": "e-1"}
    headers["webhook-signature"] = sign("whsec_" + "A" * 32, "msg_1", timestamp, body)
    with pytest.raises(Exception, match=r"(?i)signature"):
        Webhook(secret).verify(body, headers)


class _Hooks:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[tuple[str, bytes]] = []

    async def send(self, url: str, secret: str, message_id: str, body: bytes) -> None:
        self.calls.append((message_id, body))
        if len(self.calls) <= self.failures:
            raise SendFailed("HTTP 503: busy")


class _Mail:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, to: str, subject: str, text: str, html: str) -> None:
        self.sent.append((to, subject))


async def _worker_with_one_delivery(
    failures: int,
) -> tuple[Any, FakeNotificationsUnitOfWork, DeliveryWorker, _Hooks, _Mail, FixedClock]:
    clock, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    await _subscribe(reg, uow, channel=Channel.WEBHOOK, target="https://hook.example/in", owner_email="beheer@x.be")
    decision = adopted_decision()
    await reg.tell(uow, decision, _envelope(decision))
    hooks, mail = _Hooks(failures), _Mail()
    worker = DeliveryWorker(lambda: uow, webhooks=hooks, mail=mail, clock=clock, retry_delays_s=(1.0, 2.0, 4.0))
    return reg, uow, worker, hooks, mail, clock


async def test_a_webhook_that_fails_twice_is_delivered_on_the_third_try_with_the_same_id() -> None:
    _, uow, worker, hooks, _, clock = await _worker_with_one_delivery(failures=2)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0, "the retry waits for its time"
    clock.advance(seconds=1)
    assert await worker.run_once() == 1
    clock.advance(seconds=2)
    assert await worker.run_once() == 1
    [delivery] = uow.deliveries.rows.values()
    assert (delivery.status.value, delivery.attempts) == ("delivered", 3)
    assert len({message_id for message_id, _ in hooks.calls}) == 1


async def test_a_webhook_that_always_fails_is_dead_lettered_its_owner_told_and_resent_by_command() -> None:
    reg, uow, worker, hooks, mail, clock = await _worker_with_one_delivery(failures=100)
    for wait in (0, 1, 2, 4):
        clock.advance(seconds=wait)
        await worker.run_once()
    dead = await reg.ask(uow, ListDeliveries(command_id="q-dead-1", status=DeliveryStatus.DEAD))
    assert isinstance(dead, ListDeliveriesReply)
    [line] = dead.deliveries
    assert (line.attempts, line.last_error) == (4, "HTTP 503: busy")
    assert next(e for e, _ in uow.emitted if isinstance(e, DeliveryFailed)).reason == "HTTP 503: busy"
    await worker.run_once()
    assert mail.sent == [("beheer@x.be", "Webhook niet afgeleverd na 4 pogingen")]
    hooks.failures = 0
    accepted = await reg.send(uow, ResendDeliveries(command_id="c-resend-1", delivery_id=line.delivery_id))
    assert accepted.data == {"resent": 1}
    await worker.run_once()
    assert uow.deliveries.rows[line.delivery_id].status.value == "delivered"


def _task(district: str | None, confidentiality: Confidentiality) -> tuple[TaskCreated, Envelope]:
    task = TaskCreated(
        task_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        action_id="a",
        kind=FollowUpKind.EXECUTE,
        title="Heraanleg Dorpsplein uitvoeren",
        entity=LegalEntity.GEMEENTE,
        unit_code="RUIMTE",
        owner_person_id="p-ruimte",
        owner_name=PERSONAL,
        due_date=NOW.date(),
        district=district,
    )
    envelope = Envelope(
        id=str(uuid.uuid4()),
        type=task.ce_type(),
        source="/raderwerk/organisation",
        time=NOW,
        correlation_id="c",
        confidentiality=confidentiality,
    )
    return task, envelope


async def test_a_task_assigned_to_a_district_reaches_its_feed_without_its_owner() -> None:
    _, reg = _setup()
    uow = FakeNotificationsUnitOfWork()
    for district, confidentiality in (
        ("noord", Confidentiality.PUBLIC),
        ("zuid", Confidentiality.CLOSED),
        (None, Confidentiality.PUBLIC),
    ):
        task, envelope = _task(district, confidentiality)
        await reg.tell(uow, task, envelope)
    feed = [e for e, _ in uow.emitted if isinstance(e, DistrictFeedEntry)]
    assert [(e.district, e.data["title"], e.data["district"]) for e in feed] == [
        ("noord", "Heraanleg Dorpsplein uitvoeren", "noord")
    ]
    assert PERSONAL not in json.dumps([e.model_dump(mode="json") for e in feed])
    assert "owner_person_id" not in feed[0].data
