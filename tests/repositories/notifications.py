"""The contract of notifications' repositories."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.notifications.domain.model import InboxEntry, Seat
from shared.vocabulary import BodyKind, MandateStatus

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
