"""Who may sign for whom: the seats organisation announces and the delegations hr announces."""

from __future__ import annotations

import datetime as dt
import uuid

from services.records.domain.documents import Document
from shared.vocabulary import BodyKind, LegalEntity, MandateRole, MandateStatus

__all__ = ["Delegation", "Seat", "holds_seat"]


class Seat(Document):
    """A mandate as records reads it from organisation: who holds which role in which body, when."""

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    role: MandateRole
    status: MandateStatus
    start: dt.date
    end: dt.date | None = None

    def key(self) -> uuid.UUID:
        return self.mandate_id

    def opened(self) -> dt.date:
        return self.start

    def sits_on(self, day: dt.date) -> bool:
        """Holds the seat that day and is not prevented (verhinderd)."""
        return (
            self.start <= day and (self.end is None or day <= self.end) and self.status is not MandateStatus.PREVENTED
        )


class Delegation(Document):
    """A written, revocable delegation of a power from a person to a person (hr)."""

    delegation_id: uuid.UUID
    from_person_id: str
    to_person_id: str
    power: str
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None = None
    revoked_at: dt.datetime | None = None

    def key(self) -> uuid.UUID:
        return self.delegation_id

    def opened(self) -> dt.date:
        return self.valid_from

    def in_force(self, at: dt.datetime) -> bool:
        day = at.date()
        return (
            self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
            and (self.revoked_at is None or at < self.revoked_at)
        )


def holds_seat(
    seats: list[Seat], person_id: str, wanted: frozenset[tuple[BodyKind, MandateRole]], day: dt.date
) -> bool:
    """Whether `person_id` sits that day in one of the wanted (body, role) seats."""
    return any(s.person_id == person_id and (s.body, s.role) in wanted and s.sits_on(day) for s in seats)
