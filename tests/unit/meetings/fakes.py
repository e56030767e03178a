"""In-memory implementations of the meetings ports, for fast handler tests."""

from __future__ import annotations

import uuid

from services.meetings.domain.model import AgendaItem
from tests.unit.recording import RecordingOutbox


class FakeAgendaItems:
    """A dict of items; `update` refuses unknown items like the SQL adapter would change nothing."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, AgendaItem] = {}

    async def add(self, item: AgendaItem) -> None:
        assert item.item_id not in self.rows, "duplicate primary key"
        self.rows[item.item_id] = item

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> AgendaItem | None:
        return self.rows.get(item_id)

    async def update(self, item: AgendaItem) -> None:
        assert item.item_id in self.rows
        self.rows[item.item_id] = item


class FakeMeetingsUnitOfWork(RecordingOutbox):
    """Agenda items in a dict; events recorded by `RecordingOutbox`."""

    def __init__(self) -> None:
        super().__init__("meetings")
        self.items = FakeAgendaItems()
