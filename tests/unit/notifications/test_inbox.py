"""Inbox entries for task owners, once per task."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from services.notifications.domain.model import CouncilNotKnown
from services.notifications.entrypoints.subscriptions import registry
from services.notifications.service_layer import views
from services.notifications.service_layer.commands.subscriptions import SubscriptionCommands
from services.notifications.service_layer.reactions import NotificationReactions
from shared.clock import FixedClock
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import BodyKind, FollowUpKind
from shared.contracts.finance import VisumOverruled
from shared.contracts.notifications import InboxEntryCreated, ListInbox
from shared.contracts.organisation import (
    MandateEnded,
    MandateRole,
    MandateStarted,
    MandateStatus,
    MandateStatusChanged,
    TaskCreated,
)
from shared.kernel import RuleViolation
from shared.messaging.envelope import Envelope
from shared.messaging.failures import is_permanent
from tests.unit.notifications.fakes import FakeNotificationsUnitOfWork

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
notify = registry(
    NotificationReactions(FixedClock(NOW)), SubscriptionCommands(FixedClock(NOW), (), "http://x")
).consumers["notifications_tasks"][TaskCreated]


def _task() -> TaskCreated:
    return TaskCreated(
        task_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        action_id="a",
        kind=FollowUpKind.EXECUTE,
        title="Bestelbon opmaken",
        entity=LegalEntity.OCMW,
        unit_code="WELZIJN",
        owner_person_id="p-welzijn",
        owner_name="Dries Maes",
        due_date=dt.date(2026, 12, 9),
    )


def _envelope(confidentiality: Confidentiality) -> Envelope:
    return Envelope(
        id="m",
        type="t",
        source="/raderwerk/organisation",
        time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        correlation_id="c",
        confidentiality=confidentiality,
    )


async def test_the_owner_gets_one_entry_per_task_however_often_it_arrives() -> None:
    uow = FakeNotificationsUnitOfWork()
    task = _task()
    await notify(uow, task, _envelope(Confidentiality.PUBLIC))
    await notify(uow, task, _envelope(Confidentiality.PUBLIC))
    [(event, envelope)] = uow.emitted
    assert isinstance(event, InboxEntryCreated)
    assert event.person_id == "p-welzijn"
    assert "2026-12-09" in event.title
    assert envelope.entity is Entity.OCMW


async def test_confidentiality_is_carried_over() -> None:
    uow = FakeNotificationsUnitOfWork()
    await notify(uow, _task(), _envelope(Confidentiality.SOCIAL))
    assert uow.emitted[0][1].confidentiality is Confidentiality.SOCIAL


async def test_the_inbox_can_be_listed_with_its_typed_reply() -> None:
    uow = FakeNotificationsUnitOfWork()
    task = _task()
    await notify(uow, task, _envelope(Confidentiality.PUBLIC))
    reply = await views.list_inbox(uow, ListInbox(command_id="q" * 8, person_id="p-welzijn"))
    [line] = reply.entries
    assert line.about == f"task:{task.task_id}"
    assert line.created_at == NOW
    assert not line.read
    assert reply.model_dump(mode="json")["status"] == "accepted"


# --- the council hears of every visum overruling --------------------------------------------

REGISTRY = registry(NotificationReactions(FixedClock(NOW)), SubscriptionCommands(FixedClock(NOW), (), "http://x"))
keep_seat = REGISTRY.consumers["notifications_mandates"][MandateStarted]
change_status = REGISTRY.consumers["notifications_mandates"][MandateStatusChanged]
end_seat = REGISTRY.consumers["notifications_mandates"][MandateEnded]
inform = REGISTRY.consumers["notifications_overrulings"][VisumOverruled]


def _seat(person: str, body: BodyKind = BodyKind.GEMEENTERAAD, *, voting: bool = True) -> MandateStarted:
    return MandateStarted(
        mandate_id=uuid.uuid4(),
        person_id=person,
        person_name=f"Raadslid {person}",
        body=body,
        entity=LegalEntity.OCMW if body is BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN else LegalEntity.GEMEENTE,
        role=MandateRole.MEMBER,
        status=MandateStatus.EFFECTIVE,
        voting=voting,
        start=dt.date(2025, 1, 1),
    )


def _overruled(entity: LegalEntity = LegalEntity.GEMEENTE) -> VisumOverruled:
    return VisumOverruled(
        overruling_id=uuid.uuid4(),
        visum_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        body=BodyKind.COLLEGE if entity is LegalEntity.GEMEENTE else BodyKind.VAST_BUREAU,
        entity=entity,
        amount=Decimal("25000.00"),
        refusal_reasons=("Geen raamcontract",),
        overruled_at=NOW,
    )


async def test_every_sitting_council_member_gets_one_entry_per_overruling() -> None:
    uow = FakeNotificationsUnitOfWork()
    env = _envelope(Confidentiality.PUBLIC)
    members = [_seat(f"gr-{i}") for i in range(3)]
    prevented, gone = _seat("gr-prevented"), _seat("gr-gone")
    for seat in [*members, prevented, gone, _seat("p-ad", voting=False), _seat("cbs-1", BodyKind.COLLEGE)]:
        await keep_seat(uow, seat, env)
    await change_status(
        uow,
        MandateStatusChanged(
            mandate_id=prevented.mandate_id,
            person_id="gr-prevented",
            body=BodyKind.GEMEENTERAAD,
            status=MandateStatus.PREVENTED,
            since=dt.date(2026, 1, 1),
        ),
        env,
    )
    await end_seat(
        uow,
        MandateEnded(
            mandate_id=gone.mandate_id, person_id="gr-gone", body=BodyKind.GEMEENTERAAD, end=dt.date(2026, 6, 30)
        ),
        env,
    )
    assert len(uow.seats.rows) == 6, "the college's seat is not kept: no council seat"
    overruled = _overruled()
    await inform(uow, overruled, env)
    await inform(uow, overruled, env)  # redelivered: one entry each
    entries = [e for e, _ in uow.emitted if isinstance(e, InboxEntryCreated)]
    assert sorted(e.person_id for e in entries) == ["gr-0", "gr-1", "gr-2"]
    assert all(e.about == f"overruling:{overruled.overruling_id}" for e in entries)
    assert "college overruled the financial director's refused visum: 25000.00 EUR" in entries[0].title
    assert {envelope.entity for _, envelope in uow.emitted} == {Entity.GEMEENTE}


async def test_an_ocmw_overruling_goes_to_the_members_of_the_rmw() -> None:
    uow = FakeNotificationsUnitOfWork()
    env = _envelope(Confidentiality.CLOSED)
    await keep_seat(uow, _seat("rmw-1", BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN), env)
    await keep_seat(uow, _seat("gr-1"), env)
    await inform(uow, _overruled(LegalEntity.OCMW), env)
    [(entry, envelope)] = uow.emitted
    assert isinstance(entry, InboxEntryCreated)
    assert (entry.person_id, envelope.confidentiality) == ("rmw-1", Confidentiality.CLOSED)
    assert "vast bureau" in entry.title


async def test_an_overruling_taken_before_any_council_seat_is_known_is_delivered_again() -> None:
    uow = FakeNotificationsUnitOfWork()
    env = _envelope(Confidentiality.PUBLIC)
    await keep_seat(uow, _seat("cbs-1", BodyKind.COLLEGE), env)  # not a council seat
    with pytest.raises(CouncilNotKnown, match="no sitting member of the gemeenteraad is known") as refused:
        await inform(uow, _overruled(), env)
    assert uow.emitted == [], "nobody told, nothing kept"
    assert not isinstance(refused.value, RuleViolation), "a rule violation would be dead-lettered at once"
    assert not is_permanent(refused.value), "the consumer retries it on its schedule"

    await keep_seat(uow, _seat("gr-1"), env)  # the mandates arrive
    await inform(uow, _overruled(), env)
    assert [e.person_id for e, _ in uow.emitted if isinstance(e, InboxEntryCreated)] == ["gr-1"]
