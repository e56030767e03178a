"""The configurable terms of the meeting rules (DOMAIN §3–§4); defaults are the decree's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from shared.vocabulary import BodyKind

__all__ = ["COUNCILS", "EXECUTIVES", "MeetingPolicy"]

#: Bodies with a formal agenda term (the council rules; the RMW follows them by art. 74).
COUNCILS = frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, BodyKind.DISTRICTSRAAD})
#: Bodies that meet behind closed doors and publish decision lists only.
EXECUTIVES = frozenset({BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.DISTRICTSCOLLEGE})


@dataclass(frozen=True, kw_only=True)
class MeetingPolicy:
    """Terms and fractions of the Decreet Lokaal Bestuur, each overridable in settings where a
    municipality's rules of order differ; the algemeen directeur is the deployment's (no default).
    """

    algemeen_directeur: str
    """Person id of the algemeen directeur, who co-signs every set of minutes (DOMAIN §3)."""
    agenda_days: int = 8
    """The agenda of a council meeting is published at least this many days before (DOMAIN §3)."""
    member_item_days: int = 5
    """Council members may add items up to this many days before the meeting (DOMAIN §3)."""
    amended_agenda_hours: int = 24
    """An amended agenda is published within this many hours (DOMAIN §3; Raderwerk publishes at once)."""
    urgency_fraction: Fraction = Fraction(2, 3)
    """Share of the members present needed to treat an urgent item not on the agenda (DOMAIN §3, configurable)."""
    publication_days: int = 10
    """Decision lists, regulations and approved minutes are published within this many days (DOMAIN §4)."""
    regulation_effective_days: int = 5
    """Regulations enter into force on this day after publication (DOMAIN §4)."""

    def agenda_deadline(self, scheduled_at: dt.datetime) -> dt.datetime:
        return scheduled_at - dt.timedelta(days=self.agenda_days)

    def member_item_deadline(self, scheduled_at: dt.datetime) -> dt.datetime:
        return scheduled_at - dt.timedelta(days=self.member_item_days)
