"""What the handlers need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from services.meetings.domain.committee import Committee
from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.documents import RegisterEntry
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.members import Seat
from services.meetings.domain.model import AgendaItem
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import BodyKind

__all__ = [
    "AgendaItems",
    "Committees",
    "Consultations",
    "Decisions",
    "Meetings",
    "MeetingsUnitOfWork",
    "Publications",
    "Seats",
]


class AgendaItems(Protocol):
    async def add(self, item: AgendaItem) -> None: ...

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> AgendaItem | None: ...

    async def update(self, item: AgendaItem) -> None: ...


class Meetings(Protocol):
    async def add(self, meeting: Meeting) -> None: ...

    async def get(self, meeting_id: uuid.UUID, *, for_update: bool = False) -> Meeting | None: ...

    async def update(self, meeting: Meeting) -> None: ...

    async def list(self, body: BodyKind | None, limit: int) -> Sequence[Meeting]: ...

    async def closed_unlocked(self) -> Sequence[Meeting]:
        """Closed meetings whose minutes are not published yet (they may still owe documents), oldest first."""
        ...


class Seats(Protocol):
    async def upsert(self, seat: Seat) -> None: ...

    async def get(self, mandate_id: uuid.UUID) -> Seat | None: ...

    async def of_body(self, body: BodyKind) -> Sequence[Seat]: ...


class Committees(Protocol):
    async def add(self, committee: Committee) -> None: ...

    async def get(self, committee_id: uuid.UUID) -> Committee | None: ...

    async def all(self) -> Sequence[Committee]: ...


class Consultations(Protocol):
    async def record(self, consultation_id: uuid.UUID, *, concluded: bool, protocol: str | None) -> None: ...

    async def concluded(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]: ...


class Decisions(Protocol):
    async def add(self, record: DecisionRecord) -> None: ...

    async def update(self, record: DecisionRecord) -> None: ...

    async def get(self, decision_id: uuid.UUID, *, for_update: bool = False) -> DecisionRecord | None: ...

    async def of_meeting(self, meeting_id: uuid.UUID) -> Sequence[DecisionRecord]: ...

    async def changing(self, decision_ids: Sequence[uuid.UUID]) -> Sequence[DecisionRecord]:
        """The decisions that replace, amend or repeal any of `decision_ids`, in the order they were taken."""
        ...


class Publications(Protocol):
    async def lock(self) -> None: ...

    async def last_hash(self) -> str | None: ...

    async def add(self, entry: RegisterEntry) -> None: ...

    async def of_meeting(self, meeting_id: uuid.UUID) -> Sequence[RegisterEntry]: ...

    async def all(self) -> Sequence[RegisterEntry]: ...


class MeetingsUnitOfWork(EmitsEvents, Protocol):
    # Read-only properties, so an implementation may narrow the types (SQL or in-memory).
    @property
    def items(self) -> AgendaItems: ...

    @property
    def meetings(self) -> Meetings: ...

    @property
    def seats(self) -> Seats: ...

    @property
    def consultations(self) -> Consultations: ...

    @property
    def decisions(self) -> Decisions: ...

    @property
    def publications(self) -> Publications: ...

    @property
    def committees(self) -> Committees: ...
