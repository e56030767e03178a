"""In-memory implementations of the notifications ports, for fast handler tests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from services.notifications.adapters.translation import outgoing
from services.notifications.domain.model import InboxEntry, Seat
from services.notifications.domain.subscriptions import Channel, Delivery, DeliveryStatus, Subscription
from shared.vocabulary import BodyKind, MandateStatus
from tests.unit.recording import RecordingOutbox


class FakeInboxes:
    """Entries by (person, about), unique like the table's constraint; newest first."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], InboxEntry] = {}

    async def add_if_new(self, entry: InboxEntry) -> bool:
        if (entry.person_id, entry.about) in self.rows:
            return False
        self.rows[(entry.person_id, entry.about)] = entry
        return True

    async def of(self, person_id: str) -> list[InboxEntry]:
        mine = [e for (p, _), e in self.rows.items() if p == person_id]
        return sorted(mine, key=lambda e: e.created_at, reverse=True)[:200]


class FakeSeats:
    """Seats by mandate id, like the table's primary key."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Seat] = {}

    async def keep(self, seat: Seat) -> None:
        self.rows[seat.mandate_id] = seat

    async def set_status(self, mandate_id: uuid.UUID, status: MandateStatus) -> None:
        if mandate_id in self.rows:
            self.rows[mandate_id] = replace(self.rows[mandate_id], status=status)

    async def end(self, mandate_id: uuid.UUID, end: dt.date) -> None:
        if mandate_id in self.rows:
            self.rows[mandate_id] = replace(self.rows[mandate_id], end=end)

    async def of_body(self, body: BodyKind) -> list[Seat]:
        return [s for s in self.rows.values() if s.body is body]


class FakeSubscriptions:
    """Subscriptions by id; a removed one is kept with its end (like the table)."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, tuple[Subscription, dt.datetime | None]] = {}

    async def add(self, subscription: Subscription) -> None:
        self.rows[subscription.subscription_id] = (subscription, None)

    async def get(self, subscription_id: uuid.UUID) -> Subscription | None:
        found = self.rows.get(subscription_id)
        return found[0] if found and found[1] is None else None

    async def remove(self, subscription_id: uuid.UUID, at: dt.datetime) -> bool:
        found = self.rows.get(subscription_id)
        if found is None or found[1] is not None:
            return False
        self.rows[subscription_id] = (found[0], at)
        return True

    async def active(self, channel: Channel | None = None) -> list[Subscription]:
        live = [s for s, ended in self.rows.values() if ended is None and (channel is None or s.channel is channel)]
        return sorted(live, key=lambda s: (s.created_at, s.subscription_id))


class FakeDeliveries:
    """Deliveries by id; `due` joins the active subscriptions for their secrets, as the SQL does."""

    def __init__(self, subscriptions: FakeSubscriptions) -> None:
        self.rows: dict[uuid.UUID, Delivery] = {}
        self._subscriptions = subscriptions

    async def add_if_new(self, delivery: Delivery) -> bool:
        if delivery.delivery_id in self.rows:
            return False
        self.rows[delivery.delivery_id] = replace(delivery, secret=None)
        return True

    async def save(self, delivery: Delivery) -> None:
        self.rows[delivery.delivery_id] = replace(delivery, secret=None)

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        return self.rows.get(delivery_id)

    async def due(self, now: dt.datetime, limit: int) -> list[Delivery]:
        found = []
        for d in self.rows.values():
            subscription = await self._subscriptions.get(d.subscription_id)
            if subscription is None or d.status is not DeliveryStatus.PENDING:
                continue
            if d.next_attempt_at is not None and d.next_attempt_at <= now:
                found.append(replace(d, secret=subscription.secret))
        return sorted(found, key=lambda d: (d.next_attempt_at or now, d.delivery_id))[:limit]

    async def dead_since(self, since: dt.datetime, subscription_id: uuid.UUID | None) -> list[Delivery]:
        dead = [
            d
            for d in self.rows.values()
            if d.status is DeliveryStatus.DEAD
            and d.created_at >= since
            and (subscription_id is None or d.subscription_id == subscription_id)
        ]
        return sorted(dead, key=lambda d: d.created_at)

    async def listed(self, status: DeliveryStatus | None, subscription_id: uuid.UUID | None) -> list[Delivery]:
        found = [
            d
            for d in self.rows.values()
            if (status is None or d.status is status)
            and (subscription_id is None or d.subscription_id == subscription_id)
        ]
        return sorted(found, key=lambda d: (-d.created_at.timestamp(), d.delivery_id))[:200]


class FakeNotificationsUnitOfWork(RecordingOutbox):
    def __init__(self) -> None:
        super().__init__("notifications", outgoing)
        self.inboxes = FakeInboxes()
        self.seats = FakeSeats()
        self.subscriptions = FakeSubscriptions()
        self.deliveries = FakeDeliveries(self.subscriptions)
