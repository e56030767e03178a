"""The session: opening it, attendance per item, amendments, votes, postponement and closing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from services.meetings.domain import events
from services.meetings.domain.commands import (
    AmendItem,
    CloseMeeting,
    LeaveItem,
    OpenSession,
    PostponeItem,
    VoteOnItem,
)
from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.meeting import Meeting, TreatmentOutcome
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.domain.votes import Choice, VoteResult, count_open_vote, count_secret_vote
from services.meetings.service_layer.commands.common import (
    announce_decision,
    concluded,
    item_of,
    meeting_of,
    roster_of,
)
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import VoteTally

__all__ = ["SessionCommands"]


def _count(
    meeting: Meeting,
    item_id: uuid.UUID,
    open_votes: Mapping[str, Choice] | None,
    secret_tally: VoteTally | None,
) -> VoteResult:
    present = meeting.present_for(item_id)
    if secret_tally is not None:
        return count_secret_vote(secret_tally, present=present, sitting=len(meeting.sitting))
    assert open_votes is not None
    return count_open_vote(open_votes, present=present, sitting=len(meeting.sitting))


class SessionCommands:
    """What happens while a meeting is in session, with the municipality's terms and a clock."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def open(self, uow: MeetingsUnitOfWork, cmd: OpenSession) -> Accepted:
        """Open the session: the sitting members come from organisation's mandates on the meeting day."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        if cmd.chair_id not in cmd.present:
            raise RuleViolation("chair_not_present", "the chair must be present to open the session")
        roster = await roster_of(uow, meeting)
        # Seat holders without a vote (the algemeen directeur) attend but do not count; anyone
        # without a seat stays in, so the domain names them as `not_a_member`.
        non_voting = {s.person_id for s in roster.seats} - roster.voters
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

    async def leave_item(self, uow: MeetingsUnitOfWork, cmd: LeaveItem) -> Accepted:
        """Record that a member left the room for one item."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        await uow.meetings.update(meeting.leave_item(cmd.item_id, cmd.person_id, cmd.reason))
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)})

    async def amend(self, uow: MeetingsUnitOfWork, cmd: AmendItem) -> Accepted:
        """Vote on an amendment."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        result = _count(meeting, cmd.item_id, cmd.open_votes, cmd.secret_tally)
        await uow.meetings.update(meeting.amend(cmd.item_id, text=cmd.text, proposed_by=cmd.proposed_by, result=result))
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)}, data={"adopted": result.adopted})

    async def vote(self, uow: MeetingsUnitOfWork, cmd: VoteOnItem) -> Accepted:
        """Count the vote, record the decision and publish it."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        item = await item_of(uow, cmd.item_id)
        meeting.check_vote_mode(cmd.item_id, secret=cmd.secret_tally is not None)
        item.check_ready(consultation_concluded=bool(await concluded(uow, [item])))
        result = _count(meeting, cmd.item_id, cmd.open_votes, cmd.secret_tally)
        decision_id = uuid.uuid4()
        amendments = tuple(a.text for a in meeting.entry(cmd.item_id).amendments if a.adopted)
        record = DecisionRecord.of(
            item,
            result,
            decision_id=decision_id,
            meeting_id=meeting.meeting_id,
            decided_at=self._clock(),
            effective_days=self.policy.regulation_effective_days,
            amendments=amendments,
        )
        await uow.meetings.update(meeting.record_vote(cmd.item_id, result, decision_id))
        decided = item.decided(adopted=result.adopted, decision_id=decision_id)
        await uow.items.update(decided)
        await announce_decision(uow, decided, record)
        return Accepted(
            ids={"decision_id": str(decision_id), "item_id": str(item.item_id)},
            data={"outcome": record.outcome.value, "votes": result.tally.model_dump(mode="json")},
        )

    async def postpone(self, uow: MeetingsUnitOfWork, cmd: PostponeItem) -> Accepted:
        """Postpone an item; a later meeting takes it up with `postponed_from`."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        await uow.meetings.update(meeting.postpone(cmd.item_id, cmd.reason))
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
