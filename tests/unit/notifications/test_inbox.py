"""Inbox entries for task owners, once per task."""

from __future__ import annotations

import datetime as dt
import uuid

from services.notifications.entrypoints.subscriptions import registry
from services.notifications.service_layer import views
from services.notifications.service_layer.reactions import NotificationReactions
from shared.clock import FixedClock
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import FollowUpKind
from shared.contracts.notifications import InboxEntryCreated, ListInbox
from shared.contracts.organisation import TaskCreated
from shared.messaging.envelope import Envelope
from tests.unit.notifications.fakes import FakeNotificationsUnitOfWork

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
notify = registry(NotificationReactions(FixedClock(NOW))).consumers["notifications_tasks"][TaskCreated]


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
