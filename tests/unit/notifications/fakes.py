"""In-memory implementations of the notifications ports, for fast handler tests."""

from __future__ import annotations

from services.notifications.adapters.translation import outgoing
from services.notifications.domain.model import InboxEntry
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


class FakeNotificationsUnitOfWork(RecordingOutbox):
    def __init__(self) -> None:
        super().__init__("notifications", outgoing)
        self.inboxes = FakeInboxes()
