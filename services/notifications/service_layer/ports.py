"""What the notification handlers need from persistence and messaging."""

from __future__ import annotations

from typing import Protocol

from services.notifications.domain.model import InboxEntry
from shared.contracts.base import Confidentiality, Entity, Event
from shared.messaging.envelope import Envelope

__all__ = ["Inboxes", "NotificationsUnitOfWork"]


class Inboxes(Protocol):
    async def add_if_new(self, entry: InboxEntry) -> bool:
        """Store unless the person already has an entry about the same thing; True when stored."""
        ...

    async def of(self, person_id: str) -> list[InboxEntry]: ...


class NotificationsUnitOfWork(Protocol):
    @property
    def inboxes(self) -> Inboxes: ...

    def emit(
        self,
        event: Event,
        *,
        subject_id: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        correlation_id: str | None = None,
    ) -> Envelope: ...
