"""Inbox entries for task owners, once per task."""

from __future__ import annotations

import datetime as dt
import uuid

from services.notifications.domain.model import InboxEntry
from services.notifications.service_layer import handlers
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import FollowUpKind
from shared.contracts.notifications import InboxEntryCreated, ListInbox
from shared.contracts.organisation import TaskCreated
from shared.messaging.envelope import Envelope
from tests.unit.recording import RecordingOutbox


class FakeInboxes:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], InboxEntry] = {}

    async def add_if_new(self, entry: InboxEntry) -> bool:
        if (entry.person_id, entry.about) in self.rows:
            return False
        self.rows[(entry.person_id, entry.about)] = entry
        return True

    async def of(self, person_id: str) -> list[InboxEntry]:
        return [e for (p, _), e in self.rows.items() if p == person_id]


class FakeNotificationsUnitOfWork(RecordingOutbox):
    def __init__(self) -> None:
        super().__init__("notifications")
        self.inboxes = FakeInboxes()


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
    await handlers.notify_task_owner(uow, task, _envelope(Confidentiality.PUBLIC))
    await handlers.notify_task_owner(uow, task, _envelope(Confidentiality.PUBLIC))
    [(event, envelope)] = uow.emitted
    assert isinstance(event, InboxEntryCreated)
    assert event.person_id == "p-welzijn"
    assert "2026-12-09" in event.title
    assert envelope.entity is Entity.OCMW


async def test_confidentiality_is_carried_over() -> None:
    uow = FakeNotificationsUnitOfWork()
    await handlers.notify_task_owner(uow, _task(), _envelope(Confidentiality.SOCIAL))
    assert uow.emitted[0][1].confidentiality is Confidentiality.SOCIAL


async def test_the_inbox_can_be_listed() -> None:
    uow = FakeNotificationsUnitOfWork()
    await handlers.notify_task_owner(uow, _task(), _envelope(Confidentiality.PUBLIC))
    reply = await handlers.list_inbox(
        uow, ListInbox(command_id="q" * 8, person_id="p-welzijn"), _envelope(Confidentiality.PUBLIC)
    )
    entries = reply.data["entries"]
    assert isinstance(entries, list)
    assert len(entries) == 1
