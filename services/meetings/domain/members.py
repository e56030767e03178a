"""Who sits in a body on a date: the local read model of `organisation`'s mandates.

The burgemeester is a body of one person: the sitting mayor of the college. A council committee's
members are the council members its groups nominated (`committee.Committee`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from shared.vocabulary import BodyKind, MandateRole, MandateStatus

__all__ = ["Roster", "Seat"]


@dataclass(frozen=True)
class Seat:
    """One mandate: a person's seat in one body."""

    mandate_id: uuid.UUID
    person_id: str
    person_name: str
    body: BodyKind
    role: MandateRole
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None
    group: str | None = None
    """The council group (fractie) the member belongs to, where organisation knows it."""

    def sits_on(self, day: dt.date) -> bool:
        """Held on `day` and not prevented (a prevented member is replaced by an acting one)."""
        held = self.start <= day and (self.end is None or day <= self.end)
        return held and self.status is not MandateStatus.PREVENTED


@dataclass(frozen=True)
class Roster:
    """The sitting members of one body on one day."""

    body: BodyKind
    day: dt.date
    seats: tuple[Seat, ...]

    @classmethod
    def of(cls, seats: Iterable[Seat], body: BodyKind, day: dt.date) -> Roster:
        """The seats of `body` held on `day`; for the burgemeester, the college's sitting mayor."""
        if body is BodyKind.BURGEMEESTER:
            mayors = tuple(
                s for s in seats if s.body is BodyKind.COLLEGE and s.role is MandateRole.MAYOR and s.sits_on(day)
            )
            return cls(body, day, mayors)
        return cls(body, day, tuple(s for s in seats if s.body is body and s.sits_on(day)))

    @property
    def voters(self) -> frozenset[str]:
        """Person ids of sitting members with a vote (the algemeen directeur attends without one)."""
        return frozenset(s.person_id for s in self.seats if s.voting)

    @property
    def members(self) -> frozenset[str]:
        """Everyone who holds a seat, with or without a vote: they see the body's closed items."""
        return frozenset(s.person_id for s in self.seats)

    @property
    def chairs(self) -> frozenset[str]:
        """Who chairs: the chair, or the mayor in the college."""
        return frozenset(s.person_id for s in self.seats if s.role in {MandateRole.CHAIR, MandateRole.MAYOR})

    @property
    def acting_directors(self) -> frozenset[str]:
        """Who holds the algemeen directeur's seat as acting (waarnemend) on the day: they sign in the
        director's place."""
        return frozenset(
            s.person_id for s in self.seats if s.role is MandateRole.SECRETARY and s.status is MandateStatus.ACTING
        )

    def groups(self) -> dict[str, int]:
        """Voting members per council group; members without a known group are left out."""
        counts: dict[str, int] = {}
        for s in self.seats:
            if s.voting and s.group:
                counts[s.group] = counts.get(s.group, 0) + 1
        return counts
