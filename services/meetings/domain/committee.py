"""Council committees (gemeenteraadscommissies): composition and the share of seats per group.

A committee prepares council items and advises on them (DLB art. 37 [K]). Its seats are shared over
the council's groups in proportion to their size, by the method the council chose, and the groups
with members in the college (the majority) together always hold more seats than the others; each
group nominates the members its share gives it, from its own council members.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from services.meetings.domain.members import Roster, Seat
from services.meetings.domain.policy import SeatMethod
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, MandateRole, MandateStatus

__all__ = ["Committee", "CommitteeMember", "majority_groups", "proportional", "share_seats"]


def _dhondt(seats: int, groups: Mapping[str, int]) -> dict[str, int]:
    won = dict.fromkeys(groups, 0)
    for _ in range(seats):
        # Highest average; a tie goes to the larger group, then by name, so the result is stable.
        best = max(groups, key=lambda g: (Fraction(groups[g], won[g] + 1), groups[g], g))
        won[best] += 1
    return won


def _largest_remainder(seats: int, groups: Mapping[str, int]) -> dict[str, int]:
    total = sum(groups.values())
    quotas = {g: Fraction(n * seats, total) for g, n in groups.items()}
    won = {g: int(q) for g, q in quotas.items()}
    left = seats - sum(won.values())
    for g in sorted(groups, key=lambda g: (quotas[g] - won[g], groups[g], g), reverse=True)[:left]:
        won[g] += 1
    return won


def proportional(seats: int, groups: Mapping[str, int], method: SeatMethod) -> dict[str, int]:
    """Seats per group in proportion to its members, by `method`."""
    return _dhondt(seats, groups) if method is SeatMethod.DHONDT else _largest_remainder(seats, groups)


def share_seats(seats: int, groups: Mapping[str, int], majority: Collection[str], method: SeatMethod) -> dict[str, int]:
    """Seats per group: proportional by `method`, then, while the majority groups do not hold more
    seats than the others, one seat moves from the opposition group whose last seat was the weakest
    to the majority group whose next seat is the strongest.
    """
    if seats < 1:
        raise RuleViolation("committee_seats", "a committee has at least one seat")
    sizes = {g: n for g, n in groups.items() if n > 0}
    if not sizes:
        raise RuleViolation("no_groups", "meetings knows no council groups (organisation's mandates carry them)")
    ruling = [g for g in sizes if g in majority]
    if not ruling:
        raise RuleViolation("no_majority_group", "no council group has a member in the college")
    won = proportional(seats, sizes, method)

    def held(side: bool) -> int:
        return sum(n for g, n in won.items() if (g in majority) is side)

    while held(True) <= held(False):
        loser = min((g for g in won if g not in majority and won[g] > 0), key=lambda g: (Fraction(sizes[g], won[g]), g))
        winner = max(ruling, key=lambda g: (Fraction(sizes[g], won[g] + 1), g))
        won[loser] -= 1
        won[winner] += 1
    return won


def majority_groups(council: Roster, college: Roster) -> set[str]:
    """The council groups with a member in the college on the day."""
    return {s.group for s in council.seats if s.group and s.person_id in college.members}


class CommitteeMember(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    person_id: str
    name: str
    group: str


class Committee(BaseModel):
    """A committee of the council: its seats per group and the members the groups nominated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    committee_id: uuid.UUID
    name: str
    council: BodyKind
    seats: int
    shares: dict[str, int]
    """Seats per group, the majority groups together holding more than the others."""
    majority: tuple[str, ...]
    members: tuple[CommitteeMember, ...]
    chair_id: str
    set_up_on: dt.date

    @classmethod
    def set_up(
        cls,
        *,
        name: str,
        seats: int,
        nominations: Mapping[str, Collection[str]],
        chair_id: str,
        council: Roster,
        college: Roster,
        method: SeatMethod,
    ) -> Committee:
        """Share the seats over the council's groups and seat each group's nominees.

        The majority is every group with a member in the college on the day; a group nominates
        exactly its share, from its own sitting council members.
        """
        majority = majority_groups(council, college)
        shares = share_seats(seats, council.groups(), majority, method)
        by_person = {s.person_id: s for s in council.seats if s.voting}
        members: list[CommitteeMember] = []
        for group, share in sorted(shares.items()):
            nominees = list(dict.fromkeys(nominations.get(group, ())))
            if len(nominees) != share:
                raise RuleViolation(
                    "nominations_mismatch", f"group {group} holds {share} seat(s) and nominated {len(nominees)}"
                )
            for person in nominees:
                seat = by_person.get(person)
                if seat is None or seat.group != group:
                    raise RuleViolation("not_a_member", f"{person} is not a sitting council member of group {group}")
                members.append(CommitteeMember(person_id=person, name=seat.person_name, group=group))
        strangers = sorted(set(nominations) - set(shares))
        if strangers:
            raise RuleViolation("nominations_mismatch", f"no seats for: {', '.join(strangers)}")
        if chair_id not in {m.person_id for m in members}:
            raise RuleViolation("chair_not_a_member", "the committee's chair is one of its members")
        return cls(
            committee_id=uuid.uuid4(),
            name=name,
            council=council.body,
            seats=seats,
            shares=shares,
            majority=tuple(sorted(majority)),
            members=tuple(members),
            chair_id=chair_id,
            set_up_on=council.day,
        )

    def roster(self, day: dt.date) -> Roster:
        """The committee's members as the seats of a committee meeting (all with a vote)."""
        seats = tuple(
            Seat(
                mandate_id=uuid.uuid5(self.committee_id, m.person_id),
                person_id=m.person_id,
                person_name=m.name,
                body=BodyKind.GEMEENTERAADSCOMMISSIE,
                role=MandateRole.CHAIR if m.person_id == self.chair_id else MandateRole.MEMBER,
                status=MandateStatus.EFFECTIVE,
                voting=True,
                start=self.set_up_on,
                end=None,
                group=m.group,
            )
            for m in self.members
        )
        return Roster(BodyKind.GEMEENTERAADSCOMMISSIE, day, seats)
