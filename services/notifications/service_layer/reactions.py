"""What notifications does when other services tell it something; the messaging wrapper commits."""

from __future__ import annotations

import uuid

from services.notifications.domain import events
from services.notifications.domain.commands import NotifyTaskOwner
from services.notifications.domain.model import entry_for_task
from services.notifications.service_layer.ports import NotificationsUnitOfWork
from shared.clock import Clock

__all__ = ["NotificationReactions"]


class NotificationReactions:
    """Inbox entries for what people must hear of, once each however often the news arrives."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def notify_task_owner(self, uow: NotificationsUnitOfWork, cmd: NotifyTaskOwner) -> None:
        """Put the new task in its owner's inbox."""
        entry = entry_for_task(cmd, uuid.uuid4(), self._clock())
        if await uow.inboxes.add_if_new(entry):
            uow.emit(
                events.InboxEntryCreated(
                    entry_id=entry.entry_id,
                    person_id=entry.person_id,
                    title=entry.title,
                    about=entry.about,
                    entity=cmd.entity,
                    confidentiality=cmd.confidentiality,
                )
            )
