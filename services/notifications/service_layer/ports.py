"""What the notification handlers need from persistence and messaging."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol

from services.notifications.domain.model import InboxEntry, Seat
from services.notifications.domain.subscriptions import Channel, Delivery, DeliveryStatus, Subscription
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import BodyKind, MandateStatus

__all__ = [
    "Deliveries",
    "Inboxes",
    "MailSender",
    "NotificationsUnitOfWork",
    "Seats",
    "SendFailed",
    "Subscriptions",
    "WebhookSender",
]


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


class Subscriptions(Protocol):
    """Who hears of what."""

    async def add(self, subscription: Subscription) -> None: ...

    async def get(self, subscription_id: uuid.UUID) -> Subscription | None:
        """An active subscription, or None (unknown or removed)."""
        ...

    async def remove(self, subscription_id: uuid.UUID, at: dt.datetime) -> bool:
        """End an active subscription; False when there was none."""
        ...

    async def active(self, channel: Channel | None = None) -> list[Subscription]:
        """The active subscriptions, oldest first."""
        ...


class Deliveries(Protocol):
    """Mail and webhook deliveries and their tries."""

    async def add_if_new(self, delivery: Delivery) -> bool:
        """Store unless a delivery with its id exists (one per subscription and event)."""
        ...

    async def save(self, delivery: Delivery) -> None:
        """Store a delivery's new state."""
        ...

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None: ...

    async def due(self, now: dt.datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose next try is due, oldest first, locked for this transaction
        (another worker skips them); each carries its subscription's secret."""
        ...

    async def dead_since(self, since: dt.datetime, subscription_id: uuid.UUID | None) -> list[Delivery]:
        """Dead deliveries created at or after `since`."""
        ...

    async def listed(self, status: DeliveryStatus | None, subscription_id: uuid.UUID | None) -> list[Delivery]:
        """Deliveries, newest first, at most 200."""
        ...


class NotificationsUnitOfWork(EmitsEvents, Protocol):
    @property
    def inboxes(self) -> Inboxes: ...

    @property
    def seats(self) -> Seats: ...

    @property
    def subscriptions(self) -> Subscriptions: ...

    async def commit(self) -> None:
        """The delivery worker owns its transaction (a consumer's is committed by the messaging wrapper)."""
        ...

    @property
    def deliveries(self) -> Deliveries: ...


class SendFailed(Exception):
    """A try to deliver failed; the message says why (an HTTP status, a refused connection)."""


class WebhookSender(Protocol):
    async def send(self, url: str, secret: str, message_id: str, body: bytes) -> None:
        """POST the signed body; raises `SendFailed` unless the receiver answers 2xx."""
        ...


class MailSender(Protocol):
    async def send(self, to: str, subject: str, text: str, html: str) -> None:
        """Hand a mail (plain text and HTML) to the SMTP server; raises `SendFailed` when refused."""
        ...
