"""In-memory registers of records, for fast handler tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Generic, TypeVar

from services.records.adapters.translation import outgoing
from services.records.domain.access import AccessRequest
from services.records.domain.archive import ArchiveRecord, DestructionStatement
from services.records.domain.complaints import Complaint
from services.records.domain.documents import Document
from services.records.domain.letters import Letter
from services.records.domain.signatures import Delegation, Seat
from tests.unit.recording import RecordingOutbox

D = TypeVar("D", bound=Document)


class FakeRegister(Generic[D]):
    """Entries by key, like the table's primary key."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, D] = {}

    async def add(self, doc: D) -> bool:
        if doc.key() in self.rows:
            return False
        self.rows[doc.key()] = doc
        return True

    async def get(self, key: uuid.UUID) -> D | None:
        return self.rows.get(key)

    async def put(self, doc: D) -> None:
        self.rows[doc.key()] = doc

    async def listing(self, year: int | None = None) -> list[D]:
        docs = [d for d in self.rows.values() if year is None or d.opened().year == year]
        return sorted(sorted(docs, key=lambda d: d.key()), key=lambda d: d.opened(), reverse=True)

    async def past_due(self, as_of: dt.date) -> list[D]:
        late = [d for d in self.rows.values() if d.pending() and (due := d.deadline()) is not None and due < as_of]
        return sorted(late, key=lambda d: (d.deadline(), d.key()))


class FakeRecordsUnitOfWork(RecordingOutbox):
    def __init__(self) -> None:
        super().__init__("records", outgoing)
        self.letters: FakeRegister[Letter] = FakeRegister()
        self.complaints: FakeRegister[Complaint] = FakeRegister()
        self.access_requests: FakeRegister[AccessRequest] = FakeRegister()
        self.archive: FakeRegister[ArchiveRecord] = FakeRegister()
        self.statements: FakeRegister[DestructionStatement] = FakeRegister()
        self.seats: FakeRegister[Seat] = FakeRegister()
        self.delegations: FakeRegister[Delegation] = FakeRegister()
