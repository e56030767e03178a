"""The session: opening it on time (or recording that it lapsed), attendance per item, closing an
item's treatment to the public, postponement and closing the meeting.

Votes, elections and a committee's advice are in `treatment.py`.
"""

from __future__ import annotations

from services.meetings.domain import events
from services.meetings.domain.commands import (
    CloseMeeting,
    LeaveItem,
    OpenSession,
    PostponeItem,
    RecordLapse,
    TreatInClosedSession,
)
from services.meetings.domain.meeting import TreatmentOutcome
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.domain.votes import count_open_vote
from services.meetings.service_layer.commands.common import ensure_recorder, item_of, meeting_of, roster_of, step_of
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["SessionCommands"]


class SessionCommands:
    """What happens while a meeting is in session, with the municipality's terms and a clock."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def open(self, uow: MeetingsUnitOfWork, cmd: OpenSession) -> Accepted:
        """Open the session at its time: the sitting members come from organisation's mandates on the
        meeting day (a committee's from its nominations), and the attendance is checked against them."""
        ensure_recorder(self.policy, cmd.recorded_by)
        meeting = await meeting_of(uow, cmd.meeting_id)
        if cmd.chair_id not in cmd.present:
            raise RuleViolation("chair_not_present", "the chair must be present to open the session")
        roster = await roster_of(uow, meeting)
        # Seat holders without a vote (the algemeen directeur) attend but do not count; anyone
        # without a seat stays in, so the domain names them as `not_a_member`.
        non_voting = roster.members - roster.voters
        opened = meeting.open_session(
            present=set(cmd.present) - non_voting,
            sitting=roster.voters,
            chair_id=cmd.chair_id,
            now=self._clock(),
        )
        await uow.meetings.update(opened)
        return Accepted(
            ids={"meeting_id": str(meeting.meeting_id)},
            data={"present": len(opened.present), "sitting": len(opened.sitting)},
        )

    async def record_lapse(self, uow: MeetingsUnitOfWork, cmd: RecordLapse) -> Accepted:
        """Too few members came: the meeting lapses and its items are free for a second convocation."""
        ensure_recorder(self.policy, cmd.recorded_by)
        meeting = await meeting_of(uow, cmd.meeting_id)
        roster = await roster_of(uow, meeting)
        lapsed = meeting.lapse(
            present=set(cmd.present) - (roster.members - roster.voters), sitting=roster.voters, now=self._clock()
        )
        await uow.meetings.update(lapsed)
        for entry in lapsed.entries:
            item = await item_of(uow, entry.item_id)
            await uow.items.update(item.treated(step_of(lapsed, entry, "lapsed"), release=True))
        return Accepted(
            ids={"meeting_id": str(meeting.meeting_id)},
            data={"present": len(lapsed.present), "sitting": len(lapsed.sitting), "items": len(lapsed.entries)},
        )

    async def leave_item(self, uow: MeetingsUnitOfWork, cmd: LeaveItem) -> Accepted:
        """Record that a member left the room for one item."""
        ensure_recorder(self.policy, cmd.recorded_by)
        meeting = await meeting_of(uow, cmd.meeting_id)
        await uow.meetings.update(meeting.leave_item(cmd.item_id, cmd.person_id, cmd.reason))
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)})

    async def treat_in_closed_session(self, uow: MeetingsUnitOfWork, cmd: TreatInClosedSession) -> Accepted:
        """The members present decide openly, by 2/3 and with reasons, to treat a public item closed."""
        ensure_recorder(self.policy, cmd.recorded_by)
        meeting = await meeting_of(uow, cmd.meeting_id)
        item = await item_of(uow, cmd.item_id)
        result = count_open_vote(
            cmd.open_votes,
            present=meeting.present_for(cmd.item_id),
            sitting=len(meeting.sitting),
            quorum_waived=meeting.quorum_waived(cmd.item_id),
        )
        closed = meeting.hold_closed(cmd.item_id, reason=cmd.reason, result=result, policy=self.policy)
        await uow.meetings.update(closed)
        await uow.items.update(item.closed())
        return Accepted(
            ids={"meeting_id": str(meeting.meeting_id), "item_id": str(item.item_id)},
            data={"confidentiality": "closed", "votes": result.tally.model_dump(mode="json")},
        )

    async def postpone(self, uow: MeetingsUnitOfWork, cmd: PostponeItem) -> Accepted:
        """Postpone an item; a later meeting takes it up with `postponed_from`."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        postponed = meeting.postpone(cmd.item_id, cmd.reason)
        await uow.meetings.update(postponed)
        item = await item_of(uow, cmd.item_id)
        await uow.items.update(
            item.treated(step_of(postponed, postponed.entry(cmd.item_id), "postponed"), release=True)
        )
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)})

    async def close(self, uow: MeetingsUnitOfWork, cmd: CloseMeeting) -> Accepted:
        """Close the session; the draft minutes are generated from it."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        closed = meeting.close(self._clock())
        await uow.meetings.update(closed)
        outcomes = [e.outcome for e in closed.entries]
        uow.emit(
            events.MeetingClosed(
                meeting_id=closed.meeting_id,
                body=closed.body,
                entity=closed.entity,
                adopted=outcomes.count(TreatmentOutcome.ADOPTED),
                rejected=outcomes.count(TreatmentOutcome.REJECTED),
                postponed=outcomes.count(TreatmentOutcome.POSTPONED),
            )
        )
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)}, data={"minutes": "draft"})
