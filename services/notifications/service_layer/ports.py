"""What the notification handlers need from persistence and messaging."""

from __future__ import annotations

from typing import Protocol

from services.notifications.domain.model import InboxEntry
from shared.messaging.ports import EmitsEvents

__all__ = ["Inboxes", "NotificationsUnitOfWork"]


class Inboxes(Protocol):
    async def add_if_new(self, entry: InboxEntry) -> bool:
        """Store unless the person already has an entry about the same thing; True when stored."""
        ...

    async def of(self, person_id: str) -> list[InboxEntry]: ...


class NotificationsUnitOfWork(EmitsEvents, Protocol):
    @property
    def inboxes(self) -> Inboxes: ...
