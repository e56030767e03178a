"""One handler per command and event; the messaging wrapper owns commit and rollback."""

from __future__ import annotations

import datetime as dt

from services.notifications.domain.model import entry_for_task
from services.notifications.service_layer.ports import NotificationsUnitOfWork
from shared.contracts.base import Entity
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.notifications import InboxEntryCreated, ListInbox
from shared.contracts.organisation import TaskCreated
from shared.messaging.envelope import Envelope

__all__ = ["list_inbox", "notify_task_owner"]


async def notify_task_owner(uow: NotificationsUnitOfWork, event: TaskCreated, envelope: Envelope) -> None:
    """Put the new task in its owner's inbox (once, however often the event arrives)."""
    entry = entry_for_task(event, dt.datetime.now(dt.UTC))
    if await uow.inboxes.add_if_new(entry):
        uow.emit(
            InboxEntryCreated(entry_id=entry.entry_id, person_id=entry.person_id, title=entry.title, about=entry.about),
            subject_id=str(entry.entry_id),
            entity=Entity(event.entity.value),
            confidentiality=envelope.confidentiality,
        )


async def list_inbox(uow: NotificationsUnitOfWork, cmd: ListInbox, _envelope: Envelope) -> CommandReply:
    """A person's inbox, newest first."""
    entries = await uow.inboxes.of(cmd.person_id)
    return CommandReply(
        command_id=cmd.command_id,
        status=CommandStatus.ACCEPTED,
        data={
            "entries": [
                {
                    "entry_id": str(e.entry_id),
                    "title": e.title,
                    "about": e.about,
                    "created_at": e.created_at.isoformat(),
                    "read": e.read_at is not None,
                }
                for e in entries
            ]
        },
    )
