"""The contract of notifications' repositories."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.notifications.domain.model import InboxEntry, Seat
from services.notifications.domain.subscriptions import (
    Channel,
    Delivery,
    DeliveryStatus,
    Filter,
    Subscription,
    delivery_id_of,
)
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity, MandateStatus

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _entry(person: str, about: str, minutes: int = 0) -> InboxEntry:
    return InboxEntry(uuid.uuid4(), person, f"New task {about}", about, T0 + dt.timedelta(minutes=minutes))


class InboxesContract:
    """One entry per person and thing; a person's inbox newest first."""

    async def test_an_entry_is_stored_once_per_person_and_thing(self, uow: Any) -> None:
        first = _entry("p-a", "task:1")
        assert await uow.inboxes.add_if_new(first)
        assert not await uow.inboxes.add_if_new(_entry("p-a", "task:1", minutes=5))
        assert await uow.inboxes.add_if_new(_entry("p-b", "task:1"))
        assert await uow.inboxes.of("p-a") == [first]

    async def test_the_inbox_is_newest_first_and_only_the_persons_own(self, uow: Any) -> None:
        older, newer = _entry("p-a", "task:1"), _entry("p-a", "task:2", minutes=10)
        await uow.inboxes.add_if_new(older)
        await uow.inboxes.add_if_new(newer)
        await uow.inboxes.add_if_new(_entry("p-b", "task:3"))
        assert [e.about for e in await uow.inboxes.of("p-a")] == ["task:2", "task:1"]
        assert await uow.inboxes.of("p-nobody") == []


def _seat(person: str, body: BodyKind = BodyKind.GEMEENTERAAD) -> Seat:
    return Seat(uuid.uuid4(), person, body, MandateStatus.EFFECTIVE, True, dt.date(2025, 1, 1))


class SeatsContract:
    """Council seats by mandate; a status change or an end only touches a seat that is known."""

    async def test_a_seat_round_trips_by_its_body(self, uow: Any) -> None:
        member, rmw = _seat("p-a"), _seat("p-a", BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)
        secretary = Seat(
            uuid.uuid4(), "p-ad", BodyKind.GEMEENTERAAD, MandateStatus.EFFECTIVE, False, dt.date(2025, 1, 1)
        )
        for seat in (member, rmw, secretary):
            await uow.seats.keep(seat)
        assert sorted(await uow.seats.of_body(BodyKind.GEMEENTERAAD), key=lambda s: s.person_id) == [member, secretary]
        assert await uow.seats.of_body(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN) == [rmw]
        assert await uow.seats.of_body(BodyKind.COLLEGE) == []

    async def test_keeping_a_seat_again_replaces_what_it_says(self, uow: Any) -> None:
        seat = _seat("p-a")
        await uow.seats.keep(seat)
        later = Seat(seat.mandate_id, "p-a", seat.body, MandateStatus.ACTING, True, seat.start, dt.date(2030, 12, 31))
        await uow.seats.keep(later)
        assert await uow.seats.of_body(BodyKind.GEMEENTERAAD) == [later]

    async def test_status_and_end_change_a_known_seat_and_ignore_an_unknown_one(self, uow: Any) -> None:
        seat = _seat("p-a")
        await uow.seats.keep(seat)
        await uow.seats.set_status(seat.mandate_id, MandateStatus.PREVENTED)
        await uow.seats.end(seat.mandate_id, dt.date(2026, 12, 31))
        await uow.seats.set_status(uuid.uuid4(), MandateStatus.PREVENTED)
        await uow.seats.end(uuid.uuid4(), dt.date(2026, 1, 1))
        [stored] = await uow.seats.of_body(BodyKind.GEMEENTERAAD)
        assert (stored.status, stored.end) == (MandateStatus.PREVENTED, dt.date(2026, 12, 31))


def _subscription(channel: Channel = Channel.WEBHOOK, minutes: int = 0) -> Subscription:
    return Subscription(
        subscription_id=uuid.uuid4(),
        channel=channel,
        target="https://example.invalid/hook" if channel is Channel.WEBHOOK else "raad@example.invalid",
        filter=Filter(
            event_types=("meetings.>",), entity=LegalEntity.GEMEENTE, body=BodyKind.DISTRICTSRAAD, district="noord"
        ),
        clearance=frozenset({Confidentiality.PUBLIC, Confidentiality.CLOSED}),
        thin=True,
        created_at=T0 + dt.timedelta(minutes=minutes),
        owner_email="beheer@example.invalid",
        secret="whsec_c2VjcmV0" if channel is Channel.WEBHOOK else None,
    )


class SubscriptionsContract:
    """Active subscriptions round-trip whole; a removed one is gone from every answer."""

    async def test_a_subscription_round_trips_and_is_listed_by_channel(self, uow: Any) -> None:
        hook, mail = _subscription(), _subscription(Channel.EMAIL, minutes=1)
        await uow.subscriptions.add(hook)
        await uow.subscriptions.add(mail)
        assert await uow.subscriptions.get(hook.subscription_id) == hook
        assert await uow.subscriptions.active() == [hook, mail]
        assert await uow.subscriptions.active(Channel.EMAIL) == [mail]

    async def test_a_removed_subscription_is_gone_and_removing_twice_says_so(self, uow: Any) -> None:
        hook = _subscription()
        await uow.subscriptions.add(hook)
        assert await uow.subscriptions.remove(hook.subscription_id, T0)
        assert not await uow.subscriptions.remove(hook.subscription_id, T0)
        assert not await uow.subscriptions.remove(uuid.uuid4(), T0)
        assert await uow.subscriptions.get(hook.subscription_id) is None
        assert await uow.subscriptions.active() == []


def _delivery(subscription: Subscription, event: str, minutes: int = 0) -> Delivery:
    at = T0 + dt.timedelta(minutes=minutes)
    return Delivery(
        delivery_id=delivery_id_of(subscription.subscription_id, event),
        subscription_id=subscription.subscription_id,
        event_id=event,
        channel=subscription.channel,
        target=subscription.target,
        payload={"body": {"type": "meetings.decision.adopted", "event_id": event}},
        created_at=at,
        next_attempt_at=at,
    )


class DeliveriesContract:
    """One delivery per subscription and event; due ones carry their secret; dead ones are listed."""

    async def test_a_delivery_is_stored_once_and_due_with_its_secret(self, uow: Any) -> None:
        hook = _subscription()
        await uow.subscriptions.add(hook)
        first = _delivery(hook, "e-1")
        assert await uow.deliveries.add_if_new(first)
        assert not await uow.deliveries.add_if_new(_delivery(hook, "e-1", minutes=3))
        assert await uow.deliveries.get(first.delivery_id) == first
        [due] = await uow.deliveries.due(T0, 10)
        assert (due, due.secret) == (first, hook.secret)
        assert await uow.deliveries.due(T0 - dt.timedelta(seconds=1), 10) == []

    async def test_saved_outcomes_change_what_is_due_and_listed(self, uow: Any) -> None:
        hook = _subscription()
        await uow.subscriptions.add(hook)
        one, two = _delivery(hook, "e-1"), _delivery(hook, "e-2", minutes=1)
        await uow.deliveries.add_if_new(one)
        await uow.deliveries.add_if_new(two)
        dead = one.failed(T0, "HTTP 500", ())
        await uow.deliveries.save(dead)
        await uow.deliveries.save(two.succeeded(T0))
        assert await uow.deliveries.due(T0 + dt.timedelta(hours=1), 10) == []
        assert [d.delivery_id for d in await uow.deliveries.listed(DeliveryStatus.DEAD, None)] == [one.delivery_id]
        assert [d.event_id for d in await uow.deliveries.listed(None, hook.subscription_id)] == ["e-2", "e-1"]
        assert await uow.deliveries.listed(None, uuid.uuid4()) == []
        assert [d.last_error for d in await uow.deliveries.dead_since(T0, None)] == ["HTTP 500"]
        assert await uow.deliveries.dead_since(T0 + dt.timedelta(minutes=1), None) == []
        assert await uow.deliveries.dead_since(T0, uuid.uuid4()) == []

    async def test_a_removed_subscriptions_deliveries_are_not_due(self, uow: Any) -> None:
        hook = _subscription()
        await uow.subscriptions.add(hook)
        await uow.deliveries.add_if_new(_delivery(hook, "e-1"))
        await uow.subscriptions.remove(hook.subscription_id, T0)
        assert await uow.deliveries.due(T0, 10) == []
