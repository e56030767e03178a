"""Treating an item in session: amendments, the vote (open, secret, or an election between
candidates), and a committee's advice.

The vote of the item's own body is its decision. The college's (vast bureau's) vote on a council
(RMW) item prepares it for the council; a committee's advice travels with the item. Both become
steps of the item's history, and the item is free for the next agenda.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from services.meetings.domain.commands import AdviseOnItem, AmendItem, VoteOnItem
from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.meeting import Meeting, VoteMode
from services.meetings.domain.model import AgendaItem, Role
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.domain.votes import Choice, VoteResult, count_election, count_open_vote, count_secret_vote
from services.meetings.service_layer.commands.common import (
    announce_decision,
    concluded,
    ensure_recorder,
    item_of,
    meeting_of,
    step_of,
)
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import PERSON_KINDS, ElectionBallots, VoteTally

__all__ = ["TreatmentCommands"]


def _count(
    meeting: Meeting,
    item_id: uuid.UUID,
    open_votes: Mapping[str, Choice] | None,
    secret_tally: VoteTally | None,
) -> VoteResult:
    present = meeting.present_for(item_id)
    waived = meeting.quorum_waived(item_id)
    if secret_tally is not None:
        return count_secret_vote(secret_tally, present=present, sitting=len(meeting.sitting), quorum_waived=waived)
    assert open_votes is not None
    return count_open_vote(open_votes, present=present, sitting=len(meeting.sitting), quorum_waived=waived)


def _mode(cmd: VoteOnItem) -> VoteMode:
    if cmd.election is not None:
        return VoteMode.ELECTION
    return VoteMode.BALLOT if cmd.secret_tally is not None else VoteMode.OPEN


class TreatmentCommands:
    """Votes and advice in session, with the municipality's terms and a clock."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def amend(self, uow: MeetingsUnitOfWork, cmd: AmendItem) -> Accepted:
        """Vote on an amendment."""
        ensure_recorder(self.policy, cmd.recorded_by)
        meeting = await meeting_of(uow, cmd.meeting_id)
        result = _count(meeting, cmd.item_id, cmd.open_votes, cmd.secret_tally)
        await uow.meetings.update(meeting.amend(cmd.item_id, text=cmd.text, proposed_by=cmd.proposed_by, result=result))
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)}, data={"adopted": result.adopted})

    async def vote(self, uow: MeetingsUnitOfWork, cmd: VoteOnItem) -> Accepted:
        """Count the vote; the body's own vote is its decision, recorded and published."""
        ensure_recorder(self.policy, cmd.recorded_by)
        meeting = await meeting_of(uow, cmd.meeting_id)
        item = await item_of(uow, cmd.item_id)
        meeting.check_vote_mode(cmd.item_id, _mode(cmd))
        item.check_ready(consultation_concluded=bool(await concluded(uow, [item])))
        if cmd.election is not None:
            return await self._election(uow, meeting, item, cmd.election)
        result = _count(meeting, cmd.item_id, cmd.open_votes, cmd.secret_tally)
        votes = result.tally.model_dump(mode="json")
        entry = meeting.entry(cmd.item_id)
        if entry.role is Role.PREPARATION:
            prepared = meeting.record_vote(cmd.item_id, result, None)
            await uow.meetings.update(prepared)
            outcome = prepared.entry(cmd.item_id).outcome.value
            await uow.items.update(item.treated(step_of(prepared, prepared.entry(cmd.item_id), outcome), release=True))
            return Accepted(ids={"item_id": str(item.item_id)}, data={"outcome": outcome, "votes": votes})
        decision_id = uuid.uuid4()
        record = DecisionRecord.of(
            item,
            result,
            decision_id=decision_id,
            meeting_id=meeting.meeting_id,
            decided_at=self._clock(),
            effective_days=self.policy.regulation_effective_days,
            amendments=tuple(a.text for a in entry.amendments if a.adopted),
        )
        voted = meeting.record_vote(cmd.item_id, result, decision_id)
        await uow.meetings.update(voted)
        step = step_of(voted, voted.entry(cmd.item_id), record.outcome.value, decision_id)
        decided = item.decided(adopted=result.adopted, decision_id=decision_id, step=step)
        await uow.items.update(decided)
        await announce_decision(uow, decided, record)
        return Accepted(
            ids={"decision_id": str(decision_id), "item_id": str(item.item_id)},
            data={"outcome": record.outcome.value, "votes": votes},
        )

    async def _election(
        self, uow: MeetingsUnitOfWork, meeting: Meeting, item: AgendaItem, ballots: ElectionBallots
    ) -> Accepted:
        entry = meeting.entry(item.item_id)
        counted = count_election(
            ballots,
            candidates=entry.standing,
            present=meeting.present_for(item.item_id),
            sitting=len(meeting.sitting),
            quorum_waived=meeting.quorum_waived(item.item_id),
        )
        votes = counted.model_dump(mode="json", include={"votes", "blank", "invalid"})
        if not counted.decided:
            await uow.meetings.update(meeting.record_round(item.item_id, counted, None))
            return Accepted(
                ids={"item_id": str(item.item_id)},
                data={"outcome": "runoff", "runoff": list(counted.runoff), "votes": votes},
            )
        if entry.role is Role.PREPARATION:
            prepared = meeting.record_round(item.item_id, counted, None)
            await uow.meetings.update(prepared)
            outcome = prepared.entry(item.item_id).outcome.value
            await uow.items.update(item.treated(step_of(prepared, prepared.entry(item.item_id), outcome), release=True))
            return Accepted(ids={"item_id": str(item.item_id)}, data={"outcome": outcome, "votes": votes})
        decision_id = uuid.uuid4()
        record = DecisionRecord.of_election(
            item,
            (*entry.rounds, counted),
            decision_id=decision_id,
            meeting_id=meeting.meeting_id,
            decided_at=self._clock(),
            effective_days=self.policy.regulation_effective_days,
        )
        voted = meeting.record_round(item.item_id, counted, decision_id)
        await uow.meetings.update(voted)
        step = step_of(voted, voted.entry(item.item_id), record.outcome.value, decision_id)
        decided = item.decided(adopted=counted.elected is not None, decision_id=decision_id, step=step)
        await uow.items.update(decided)
        await announce_decision(uow, decided, record)
        return Accepted(
            ids={"decision_id": str(decision_id), "item_id": str(item.item_id)},
            data={"outcome": record.outcome.value, "elected": counted.elected, "votes": votes},
        )

    async def advise(self, uow: MeetingsUnitOfWork, cmd: AdviseOnItem) -> Accepted:
        """A committee's advice on a council item; about persons by secret ballot, otherwise openly."""
        ensure_recorder(self.policy, cmd.recorded_by)
        meeting = await meeting_of(uow, cmd.meeting_id)
        item = await item_of(uow, cmd.item_id)
        if item.kind in PERSON_KINDS and cmd.secret_tally is None:
            raise RuleViolation("secret_ballot_required", "advice about persons is voted by secret ballot")
        if item.kind not in PERSON_KINDS and cmd.secret_tally is not None:
            raise RuleViolation("open_vote_required", "only advice about persons is voted by secret ballot")
        result = _count(meeting, cmd.item_id, cmd.open_votes, cmd.secret_tally)
        advised = meeting.record_advice(cmd.item_id, text=cmd.advice, result=result)
        await uow.meetings.update(advised)
        await uow.items.update(item.treated(step_of(advised, advised.entry(cmd.item_id), "advised"), release=True))
        return Accepted(
            ids={"item_id": str(item.item_id)},
            data={"outcome": "advised", "favourable": result.adopted, "votes": result.tally.model_dump(mode="json")},
        )
