"""The contract of notifications' repositories."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.notifications.domain.model import InboxEntry

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
