"""In-memory implementations of the notifications ports, for fast handler tests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from services.notifications.adapters.translation import outgoing
from services.notifications.domain.model import InboxEntry, Seat
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


class FakeNotificationsUnitOfWork(RecordingOutbox):
    def __init__(self) -> None:
        super().__init__("notifications", outgoing)
        self.inboxes = FakeInboxes()
        self.seats = FakeSeats()
