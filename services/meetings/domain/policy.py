"""The configurable terms of the meeting rules (DOMAIN §3–§4); defaults are the decree's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from shared.vocabulary import BodyKind, DecisionKind

__all__ = ["COUNCILS", "EXECUTIVES", "MeetingPolicy", "SeatMethod"]

#: Bodies with a formal agenda term (the council rules; the RMW follows them by art. 74).
COUNCILS = frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, BodyKind.DISTRICTSRAAD})
#: Bodies that meet behind closed doors and publish decision lists only.
EXECUTIVES = frozenset({BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.DISTRICTSCOLLEGE})


class SeatMethod(StrEnum):
    """How a committee's seats are shared over the council's groups (the council chooses; DLB art. 37 [K])."""

    DHONDT = "dhondt"
    """Highest averages (D'Hondt), as in the local elections."""
    LARGEST_REMAINDER = "largest_remainder"
    """Hare quota, the remaining seats to the largest remainders."""


@dataclass(frozen=True, kw_only=True)
class MeetingPolicy:
    """Terms and fractions of the Decreet Lokaal Bestuur, each overridable in settings where a
    municipality's rules of order differ; the algemeen directeur is the deployment's (no default).
    """

    algemeen_directeur: str
    """Person id of the algemeen directeur, who co-signs every set of minutes (DOMAIN §3)."""
    secretariat: frozenset[str] = frozenset()
    """Person ids of the secretariat: with the algemeen directeur they record attendance and votes [K: the
    municipality's staff; the decree makes the algemeen directeur the secretary of the bodies, DLB art. 176]."""
    social_service: frozenset[str] = frozenset()
    """Person ids of the social service: with the BCSD and the algemeen directeur they read its social-welfare
    items (the decree keeps them from everyone else; organisation's staff, named by the municipality)."""
    agenda_days: int = 8
    """The agenda of a council meeting is published at least this many days before (DOMAIN §3)."""
    urgent_agenda_days: int = 0
    """In urgent cases the convocation may come later (DLB art. 20, "behalve in spoedeisende gevallen"):
    the decree sets no minimum [K], so the default is any time before the meeting; the rules of order
    may set one."""
    member_item_days: int = 5
    """Council members may add items up to this many days before the meeting (DOMAIN §3)."""
    amended_agenda_hours: int = 24
    """An amended agenda is published within this many hours (DOMAIN §3; Raderwerk publishes at once)."""
    urgency_fraction: Fraction = Fraction(2, 3)
    """Share of the members present needed to treat an urgent item not on the agenda (DOMAIN §3, configurable)."""
    closing_fraction: Fraction = Fraction(2, 3)
    """Share of the members present needed to treat an item in closed session with reasons (DLB art. 28 §1)."""
    committee_seat_method: SeatMethod = SeatMethod.DHONDT
    """How committee seats are shared over the groups; the council chooses, the majority always holds more."""
    publication_days: int = 10
    """Decision lists, regulations and approved minutes are published within this many days (DOMAIN §4)."""
    regulation_effective_days: int = 5
    """Regulations enter into force on this day after publication (DOMAIN §4)."""
    publication_reminder_days: int = 2
    """An unpublished document raises a follow-up task this many days before its term runs out (house rule)."""
    legality_advice_kinds: frozenset[DecisionKind] = frozenset()
    """The kinds of item tabled only with the algemeen directeur's legality advice. The decree makes the
    director responsible for the legal support of the bodies but names no item that needs a written
    advice (reference §8a [K]): by default none does; the municipality chooses (regulations, staff rules,
    delegations, ...)."""

    def records_sessions(self, person_id: str) -> bool:
        """Whether `person_id` records attendance and votes: the secretariat or the algemeen directeur."""
        return person_id == self.algemeen_directeur or person_id in self.secretariat

    def agenda_deadline(self, scheduled_at: dt.datetime, *, urgent: bool = False) -> dt.datetime:
        return scheduled_at - dt.timedelta(days=self.urgent_agenda_days if urgent else self.agenda_days)

    def member_item_deadline(self, scheduled_at: dt.datetime) -> dt.datetime:
        return scheduled_at - dt.timedelta(days=self.member_item_days)
