"""What records needs from persistence: one register shape, seven registers.

Every register keeps `Document`s by key, with the day that places them in a year and the term
the deadline scan reads; the SQL adapter and the fakes implement the same shape.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol, TypeVar

from services.records.domain.access import AccessRequest
from services.records.domain.archive import ArchiveRecord, DestructionStatement
from services.records.domain.complaints import Complaint
from services.records.domain.documents import Document
from services.records.domain.letters import Letter
from services.records.domain.signatures import Delegation, Seat
from shared.messaging.ports import EmitsEvents

__all__ = [
    "AccessRequests",
    "Archive",
    "Complaints",
    "Delegations",
    "Documents",
    "Letters",
    "RecordsUnitOfWork",
    "Seats",
    "Statements",
]

D = TypeVar("D", bound=Document)


class Documents(Protocol[D]):
    async def add(self, doc: D) -> bool:
        """Store a new entry; False (and nothing changes) when its key is there already."""
        ...

    async def get(self, key: uuid.UUID) -> D | None:
        """The entry, locked until the transaction ends; None when unknown."""
        ...

    async def put(self, doc: D) -> None:
        """Store the entry over the one with its key (added when new)."""
        ...

    async def listing(self, year: int | None = None) -> list[D]:
        """Every entry (opened in `year`), newest first."""
        ...

    async def past_due(self, as_of: dt.date) -> list[D]:
        """Pending entries whose term ended before `as_of`, oldest term first; locked."""
        ...


class Letters(Documents[Letter], Protocol): ...


class Complaints(Documents[Complaint], Protocol): ...


class AccessRequests(Documents[AccessRequest], Protocol): ...


class Archive(Documents[ArchiveRecord], Protocol): ...


class Statements(Documents[DestructionStatement], Protocol): ...


class Seats(Documents[Seat], Protocol): ...


class Delegations(Documents[Delegation], Protocol): ...


class RecordsUnitOfWork(EmitsEvents, Protocol):
    @property
    def letters(self) -> Letters: ...

    @property
    def complaints(self) -> Complaints: ...

    @property
    def access_requests(self) -> AccessRequests: ...

    @property
    def archive(self) -> Archive: ...

    @property
    def statements(self) -> Statements: ...

    @property
    def seats(self) -> Seats: ...

    @property
    def delegations(self) -> Delegations: ...
