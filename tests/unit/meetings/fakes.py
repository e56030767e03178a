"""In-memory implementations of the meetings ports, for fast handler tests.

They keep the contract of `tests/repositories/meetings.py`, as the SQL adapters do: a duplicate
key raises `IntegrityError`, an update of an unknown row changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError

from services.meetings.adapters.translation import outgoing
from services.meetings.domain.committee import Committee
from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.documents import RegisterEntry
from services.meetings.domain.meeting import Meeting, MeetingStatus
from services.meetings.domain.members import Seat
from services.meetings.domain.model import AgendaItem
from shared.vocabulary import BodyKind
from tests.unit.recording import RecordingOutbox


def _duplicate(what: str) -> IntegrityError:
    return IntegrityError(f"duplicate key: {what}", params=None, orig=Exception(what))


class FakeAgendaItems:
    """Items by id; a decision id belongs to one item, as the table's unique column says."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, AgendaItem] = {}

    def _check_decision(self, item: AgendaItem) -> None:
        if item.decision_id is not None and any(
            i.decision_id == item.decision_id and i.item_id != item.item_id for i in self.rows.values()
        ):
            raise _duplicate(f"decision {item.decision_id}")

    async def add(self, item: AgendaItem) -> None:
        if item.item_id in self.rows:
            raise _duplicate(f"item {item.item_id}")
        self._check_decision(item)
        self.rows[item.item_id] = item

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> AgendaItem | None:
        return self.rows.get(item_id)

    async def update(self, item: AgendaItem) -> None:
        if item.item_id in self.rows:
            self._check_decision(item)
            self.rows[item.item_id] = item


class FakeMeetings:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Meeting] = {}

    async def add(self, meeting: Meeting) -> None:
        if meeting.meeting_id in self.rows:
            raise _duplicate(f"meeting {meeting.meeting_id}")
        self.rows[meeting.meeting_id] = meeting

    async def get(self, meeting_id: uuid.UUID, *, for_update: bool = False) -> Meeting | None:
        return self.rows.get(meeting_id)

    async def update(self, meeting: Meeting) -> None:
        if meeting.meeting_id in self.rows:
            self.rows[meeting.meeting_id] = meeting

    async def list(self, body: BodyKind | None, limit: int) -> Sequence[Meeting]:
        found = [m for m in self.rows.values() if body is None or m.body is body]
        return sorted(found, key=lambda m: m.scheduled_at, reverse=True)[:limit]

    async def closed_unlocked(self) -> Sequence[Meeting]:
        found = [m for m in self.rows.values() if m.status is MeetingStatus.CLOSED and m.locked_at is None]
        return sorted(found, key=lambda m: m.scheduled_at)


class FakeSeats:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Seat] = {}

    async def upsert(self, seat: Seat) -> None:
        self.rows[seat.mandate_id] = seat

    async def get(self, mandate_id: uuid.UUID) -> Seat | None:
        return self.rows.get(mandate_id)

    async def of_body(self, body: BodyKind) -> Sequence[Seat]:
        return [s for s in self.rows.values() if s.body is body]


class FakeConsultations:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, bool] = {}

    async def record(self, consultation_id: uuid.UUID, *, concluded: bool, protocol: str | None) -> None:
        self.rows[consultation_id] = self.rows.get(consultation_id, False) or concluded

    async def concluded(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        return {i for i in ids if self.rows.get(i)}


class FakeDecisions:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, DecisionRecord] = {}

    async def add(self, record: DecisionRecord) -> None:
        if record.decision_id in self.rows:
            raise _duplicate(f"decision {record.decision_id}")
        self.rows[record.decision_id] = record

    async def update(self, record: DecisionRecord) -> None:
        if record.decision_id in self.rows:
            self.rows[record.decision_id] = record

    async def get(self, decision_id: uuid.UUID, *, for_update: bool = False) -> DecisionRecord | None:
        return self.rows.get(decision_id)

    async def of_meeting(self, meeting_id: uuid.UUID) -> Sequence[DecisionRecord]:
        return sorted((d for d in self.rows.values() if d.meeting_id == meeting_id), key=lambda d: d.decided_at)

    async def changing(self, decision_ids: Sequence[uuid.UUID]) -> Sequence[DecisionRecord]:
        named = set(decision_ids)
        return sorted(
            (d for d in self.rows.values() if any(r.decision_id in named for r in d.relations)),
            key=lambda d: d.decided_at,
        )


class FakeCommittees:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Committee] = {}

    async def add(self, committee: Committee) -> None:
        if committee.committee_id in self.rows:
            raise _duplicate(f"committee {committee.committee_id}")
        self.rows[committee.committee_id] = committee

    async def get(self, committee_id: uuid.UUID) -> Committee | None:
        return self.rows.get(committee_id)

    async def all(self) -> Sequence[Committee]:
        return sorted(self.rows.values(), key=lambda c: (c.name, str(c.committee_id)))


class FakePublications:
    """The register as a list; `seq` counts from 1 (the SQL identity only promises: increasing)."""

    def __init__(self) -> None:
        self.entries: list[RegisterEntry] = []

    async def lock(self) -> None:
        return None

    async def last_hash(self) -> str | None:
        return self.entries[-1].register_hash if self.entries else None

    async def add(self, entry: RegisterEntry) -> None:
        if any(e.document.document_id == entry.document.document_id for e in self.entries):
            raise _duplicate(f"document {entry.document.document_id}")
        self.entries.append(entry.model_copy(update={"seq": len(self.entries) + 1}))

    async def of_meeting(self, meeting_id: uuid.UUID) -> Sequence[RegisterEntry]:
        return [e for e in self.entries if e.document.meeting_id == meeting_id]

    async def all(self) -> Sequence[RegisterEntry]:
        return list(self.entries)


class FakeMeetingsUnitOfWork(RecordingOutbox):
    """Every repository in memory; events translated and recorded by `RecordingOutbox`."""

    def __init__(self) -> None:
        super().__init__("meetings", outgoing)
        self.items = FakeAgendaItems()
        self.meetings = FakeMeetings()
        self.seats = FakeSeats()
        self.consultations = FakeConsultations()
        self.decisions = FakeDecisions()
        self.publications = FakePublications()
        self.committees = FakeCommittees()
