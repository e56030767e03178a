"""Who asks a meetings query, and which bodies' closed and social content they may see (DESIGN §5).

Whoever holds a seat in the body (the sitting members and the algemeen directeur, on the meeting
day) sees its closed and social items in full; the BCSD's social-welfare items also the algemeen
directeur and the social service the policy names; anyone else sees that such an item exists.
"""

from __future__ import annotations

import datetime as dt
import uuid

from services.meetings.domain.meeting import Meeting
from services.meetings.domain.members import Roster
from services.meetings.domain.model import AgendaItem, Step
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.sessions import HistoryStepLine
from shared.messaging.context import current_actor
from shared.vocabulary import BodyKind, Confidentiality

__all__ = ["Audience"]


async def _roster(uow: MeetingsUnitOfWork, meeting: Meeting) -> Roster:
    day = meeting.scheduled_at.date()
    if meeting.committee_id is not None:
        committee = await uow.committees.get(meeting.committee_id)
        if committee is not None:
            return committee.roster(day)
        return Roster(meeting.body, day, ())
    return Roster.of(await uow.seats.of_body(meeting.body), meeting.body, day)


class Audience:
    """Who asks, and which bodies' closed content they may see (each body's roster asked once)."""

    def __init__(self, uow: MeetingsUnitOfWork, policy: MeetingPolicy) -> None:
        self.uow = uow
        actor = current_actor()
        self.person = actor.person_id if actor is not None else None
        self.policy = policy
        self._rosters: dict[uuid.UUID | tuple[BodyKind, str], Roster] = {}

    async def of_meeting(self, meeting: Meeting) -> Roster:
        if meeting.meeting_id not in self._rosters:
            self._rosters[meeting.meeting_id] = await _roster(self.uow, meeting)
        return self._rosters[meeting.meeting_id]

    def _social(self, body: BodyKind) -> bool:
        """The BCSD's items are also for the algemeen directeur and the social service."""
        return body is BodyKind.BCSD and self.person in {self.policy.algemeen_directeur, *self.policy.social_service}

    async def sees_meeting(self, meeting: Meeting) -> bool:
        if self.person is None:
            return False
        return self._social(meeting.body) or self.person in (await self.of_meeting(meeting)).members

    async def sees_body(self, body: BodyKind, day: dt.date) -> bool:
        """A member of `body` on `day` (for what was decided outside a meeting: the burgemeester)."""
        if self.person is None:
            return False
        if self._social(body):
            return True
        key = (body, str(day))
        if key not in self._rosters:
            seats = await self.uow.seats.of_body(BodyKind.COLLEGE if body is BodyKind.BURGEMEESTER else body)
            self._rosters[key] = Roster.of(seats, body, day)
        return self.person in self._rosters[key].members

    async def sees_step(self, step: Step) -> bool:
        if step.confidentiality is Confidentiality.PUBLIC:
            return True
        if step.meeting_id is not None:
            meeting = await self.uow.meetings.get(step.meeting_id)
            return meeting is not None and await self.sees_meeting(meeting)
        return await self.sees_body(step.body, step.on)

    async def steps(self, steps: tuple[Step, ...]) -> tuple[HistoryStepLine, ...]:
        lines = []
        for step in steps:
            if await self.sees_step(step):
                lines.append(HistoryStepLine.model_validate(step.model_dump(mode="json", exclude={"confidentiality"})))
            else:
                lines.append(
                    HistoryStepLine(
                        meeting_id=step.meeting_id,
                        body=step.body,
                        on=step.on,
                        role=step.role.value,
                        outcome="closed",
                        restricted=True,
                    )
                )
        return tuple(lines)

    async def sees_item(self, item: AgendaItem) -> bool:
        """A public item, or a member of its body where it was (or will be) decided."""
        if item.confidentiality is Confidentiality.PUBLIC:
            return True
        if item.meeting_id is not None:
            meeting = await self.uow.meetings.get(item.meeting_id)
            if meeting is not None and meeting.body is item.body:
                return await self.sees_meeting(meeting)
        decided = item.history[-1].on if item.history else item.proposed_at.date()
        return await self.sees_body(item.body, decided)
