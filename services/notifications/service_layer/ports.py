"""What the notification handlers need from persistence and messaging."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol

from services.notifications.domain.model import InboxEntry, Seat
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import BodyKind, MandateStatus

__all__ = ["Inboxes", "NotificationsUnitOfWork", "Seats"]


class Inboxes(Protocol):
    async def add_if_new(self, entry: InboxEntry) -> bool:
        """Store unless the person already has an entry about the same thing; True when stored."""
        ...

    async def of(self, person_id: str) -> list[InboxEntry]: ...


class Seats(Protocol):
    """The council seats organisation announced (a read model; organisation owns the mandates)."""

    async def keep(self, seat: Seat) -> None:
        """Store a seat (again: a redelivered start changes nothing but what it says)."""
        ...

    async def set_status(self, mandate_id: uuid.UUID, status: MandateStatus) -> None:
        """A known seat's holder is prevented, acting or effective; an unknown seat is ignored."""
        ...

    async def end(self, mandate_id: uuid.UUID, end: dt.date) -> None:
        """A known seat ends on `end`; an unknown seat is ignored."""
        ...

    async def of_body(self, body: BodyKind) -> list[Seat]:
        """Every seat of one body, held or not, in no particular order."""
        ...


class NotificationsUnitOfWork(EmitsEvents, Protocol):
    @property
    def inboxes(self) -> Inboxes: ...

    @property
    def seats(self) -> Seats: ...
