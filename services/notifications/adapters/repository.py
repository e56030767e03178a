"""Inboxes, seats, subscriptions and deliveries in PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.adapters.tables import council_seats, deliveries, inbox_entries, subscriptions
from services.notifications.domain.model import InboxEntry, Seat
from services.notifications.domain.subscriptions import Channel, Delivery, DeliveryStatus, Filter, Subscription
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity, MandateStatus

__all__ = ["SqlDeliveries", "SqlInboxes", "SqlSeats", "SqlSubscriptions"]


class SqlInboxes:
    """Inbox entries; (person, about) is unique so a redelivered event adds nothing."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_new(self, entry: InboxEntry) -> bool:
        stmt = (
            insert(inbox_entries)
            .values(
                entry_id=entry.entry_id,
                person_id=entry.person_id,
                title=entry.title,
                about=entry.about,
                created_at=entry.created_at,
                read_at=entry.read_at,
            )
            .on_conflict_do_nothing(constraint="one_entry_per_subject")
            .returning(inbox_entries.c.entry_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def of(self, person_id: str) -> list[InboxEntry]:
        rows = (
            await self._session.execute(
                select(inbox_entries)
                .where(inbox_entries.c.person_id == person_id)
                .order_by(inbox_entries.c.created_at.desc())
                .limit(200)
            )
        ).all()
        return [InboxEntry(r.entry_id, r.person_id, r.title, r.about, r.created_at, r.read_at) for r in rows]


class SqlSeats:
    """`Seats`: the council seats organisation announced; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def keep(self, seat: Seat) -> None:
        values = {
            "person_id": seat.person_id,
            "body": seat.body.value,
            "status": seat.status.value,
            "voting": seat.voting,
            "start": seat.start,
            "end": seat.end,
        }
        await self._session.execute(
            insert(council_seats)
            .values(mandate_id=seat.mandate_id, **values)
            .on_conflict_do_update(index_elements=["mandate_id"], set_=values)
        )

    async def set_status(self, mandate_id: uuid.UUID, status: MandateStatus) -> None:
        await self._session.execute(
            update(council_seats).where(council_seats.c.mandate_id == mandate_id).values(status=status.value)
        )

    async def end(self, mandate_id: uuid.UUID, end: dt.date) -> None:
        await self._session.execute(
            update(council_seats).where(council_seats.c.mandate_id == mandate_id).values(end=end)
        )

    async def of_body(self, body: BodyKind) -> list[Seat]:
        rows = await self._session.execute(select(council_seats).where(council_seats.c.body == body.value))
        return [
            Seat(r.mandate_id, r.person_id, BodyKind(r.body), MandateStatus(r.status), r.voting, r.start, r.end)
            for r in rows
        ]


def _subscription(r: Any) -> Subscription:
    return Subscription(
        subscription_id=r.subscription_id,
        channel=Channel(r.channel),
        target=r.target,
        filter=Filter(
            event_types=tuple(r.event_types),
            entity=LegalEntity(r.entity) if r.entity else None,
            body=BodyKind(r.body) if r.body else None,
            policy_field=r.policy_field,
            district=r.district,
        ),
        clearance=frozenset(Confidentiality(c) for c in r.clearance),
        thin=r.thin,
        created_at=r.created_at,
        owner_email=r.owner_email,
        secret=r.secret,
    )


class SqlSubscriptions:
    """`Subscriptions`: a removed subscription stays, with the time it ended."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, subscription: Subscription) -> None:
        f = subscription.filter
        await self._session.execute(
            insert(subscriptions).values(
                subscription_id=subscription.subscription_id,
                channel=subscription.channel.value,
                target=subscription.target,
                owner_email=subscription.owner_email,
                event_types=list(f.event_types),
                entity=f.entity.value if f.entity else None,
                body=f.body.value if f.body else None,
                policy_field=f.policy_field,
                district=f.district,
                clearance=sorted(c.value for c in subscription.clearance),
                thin=subscription.thin,
                secret=subscription.secret,
                created_at=subscription.created_at,
            )
        )

    async def get(self, subscription_id: uuid.UUID) -> Subscription | None:
        row = (
            await self._session.execute(
                select(subscriptions).where(
                    subscriptions.c.subscription_id == subscription_id, subscriptions.c.removed_at.is_(None)
                )
            )
        ).first()
        return _subscription(row) if row else None

    async def remove(self, subscription_id: uuid.UUID, at: dt.datetime) -> bool:
        result = await self._session.execute(
            update(subscriptions)
            .where(subscriptions.c.subscription_id == subscription_id, subscriptions.c.removed_at.is_(None))
            .values(removed_at=at)
            .returning(subscriptions.c.subscription_id)
        )
        return result.first() is not None

    async def active(self, channel: Channel | None = None) -> list[Subscription]:
        query = select(subscriptions).where(subscriptions.c.removed_at.is_(None))
        if channel is not None:
            query = query.where(subscriptions.c.channel == channel.value)
        rows = await self._session.execute(query.order_by(subscriptions.c.created_at, subscriptions.c.subscription_id))
        return [_subscription(r) for r in rows]


def _delivery(r: Any, secret: str | None = None) -> Delivery:
    return Delivery(
        delivery_id=r.delivery_id,
        subscription_id=r.subscription_id,
        event_id=r.event_id,
        channel=Channel(r.channel),
        target=r.target,
        payload=dict(r.payload),
        created_at=r.created_at,
        status=DeliveryStatus(r.status),
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        last_error=r.last_error,
        delivered_at=r.delivered_at,
        secret=secret,
    )


class SqlDeliveries:
    """`Deliveries`: one row per subscription and event; due ones locked with SKIP LOCKED."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _values(d: Delivery) -> dict[str, Any]:
        return {
            "subscription_id": d.subscription_id,
            "event_id": d.event_id,
            "channel": d.channel.value,
            "target": d.target,
            "payload": d.payload,
            "status": d.status.value,
            "attempts": d.attempts,
            "next_attempt_at": d.next_attempt_at,
            "last_error": d.last_error,
            "created_at": d.created_at,
            "delivered_at": d.delivered_at,
        }

    async def add_if_new(self, delivery: Delivery) -> bool:
        stmt = (
            insert(deliveries)
            .values(delivery_id=delivery.delivery_id, **self._values(delivery))
            .on_conflict_do_nothing(index_elements=["delivery_id"])
            .returning(deliveries.c.delivery_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def save(self, delivery: Delivery) -> None:
        await self._session.execute(
            update(deliveries).where(deliveries.c.delivery_id == delivery.delivery_id).values(**self._values(delivery))
        )

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        row = (await self._session.execute(select(deliveries).where(deliveries.c.delivery_id == delivery_id))).first()
        return _delivery(row) if row else None

    async def due(self, now: dt.datetime, limit: int) -> list[Delivery]:
        query = (
            select(deliveries, subscriptions.c.secret.label("secret"))
            .join(subscriptions, subscriptions.c.subscription_id == deliveries.c.subscription_id)
            .where(
                deliveries.c.status == DeliveryStatus.PENDING.value,
                deliveries.c.next_attempt_at <= now,
                subscriptions.c.removed_at.is_(None),
            )
            .order_by(deliveries.c.next_attempt_at, deliveries.c.delivery_id)
            .limit(limit)
            .with_for_update(of=deliveries, skip_locked=True)
        )
        return [_delivery(r, r.secret) for r in await self._session.execute(query)]

    async def dead_since(self, since: dt.datetime, subscription_id: uuid.UUID | None) -> list[Delivery]:
        query = select(deliveries).where(
            deliveries.c.status == DeliveryStatus.DEAD.value, deliveries.c.created_at >= since
        )
        if subscription_id is not None:
            query = query.where(deliveries.c.subscription_id == subscription_id)
        return [_delivery(r) for r in await self._session.execute(query.order_by(deliveries.c.created_at))]

    async def listed(self, status: DeliveryStatus | None, subscription_id: uuid.UUID | None) -> list[Delivery]:
        query = select(deliveries)
        if status is not None:
            query = query.where(deliveries.c.status == status.value)
        if subscription_id is not None:
            query = query.where(deliveries.c.subscription_id == subscription_id)
        rows = await self._session.execute(
            query.order_by(deliveries.c.created_at.desc(), deliveries.c.delivery_id).limit(200)
        )
        return [_delivery(r) for r in rows]
