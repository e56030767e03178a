"""Council committees: the council sets one up, its seats shared over the groups, the groups nominate."""

from __future__ import annotations

from services.meetings.domain.commands import SetUpCommittee
from services.meetings.domain.committee import Committee
from services.meetings.domain.members import Roster
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted
from shared.vocabulary import BodyKind

__all__ = ["CommitteeCommands"]


class CommitteeCommands:
    """Set up council committees by the method the policy names, on the clock's day."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def set_up(self, uow: MeetingsUnitOfWork, cmd: SetUpCommittee) -> Accepted:
        """Share the seats over the council's groups (the majority holds more) and seat the nominees."""
        day = self._clock().date()
        council = Roster.of(await uow.seats.of_body(BodyKind.GEMEENTERAAD), BodyKind.GEMEENTERAAD, day)
        college = Roster.of(await uow.seats.of_body(BodyKind.COLLEGE), BodyKind.COLLEGE, day)
        committee = Committee.set_up(
            name=cmd.name,
            seats=cmd.seats,
            nominations=cmd.nominations,
            chair_id=cmd.chair_id,
            council=council,
            college=college,
            method=self.policy.committee_seat_method,
        )
        await uow.committees.add(committee)
        return Accepted(
            ids={"committee_id": str(committee.committee_id)},
            data={"shares": dict(committee.shares), "majority": list(committee.majority)},
        )
