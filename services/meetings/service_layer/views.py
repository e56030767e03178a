"""Queries of meetings, answered from its tables with their typed replies; they never change anything."""

from __future__ import annotations

import uuid

from services.meetings.domain.documents import decision_list, draft_minutes, ensure_publishable, verify_register
from services.meetings.domain.lblod import meeting_graph
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.members import Roster
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.contracts.sessions import (
    BrokenEntry,
    DecisionDetails,
    DecisionList,
    ExportLblod,
    ExportLblodReply,
    GetDecision,
    GetDecisionList,
    GetDecisionListReply,
    GetDecisionReply,
    GetMeeting,
    GetMeetingReply,
    GetMinutes,
    GetMinutesReply,
    ListMeetings,
    ListMeetingsReply,
    ListMembers,
    ListMembersReply,
    MeetingDetails,
    MeetingLine,
    MemberLine,
    MinutesState,
    MinutesText,
    VerifyPublications,
    VerifyPublicationsReply,
)
from shared.kernel import RuleViolation

__all__ = ["MeetingViews"]


async def _meeting(uow: MeetingsUnitOfWork, meeting_id: uuid.UUID) -> Meeting:
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        raise RuleViolation("unknown_meeting", f"no meeting {meeting_id}")
    return meeting


async def _names(uow: MeetingsUnitOfWork, meeting: Meeting) -> dict[str, str]:
    roster = Roster.of(await uow.seats.of_body(meeting.body), meeting.body, meeting.scheduled_at.date())
    return {s.person_id: s.person_name for s in roster.seats}


class MeetingViews:
    """Every query of meetings; the clock says which day "today" is for the members of a body."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def get_meeting(self, uow: MeetingsUnitOfWork, q: GetMeeting) -> GetMeetingReply:
        """The meeting with its agenda and the treatment of every item."""
        meeting = await _meeting(uow, q.meeting_id)
        return GetMeetingReply(
            command_id=q.command_id,
            meeting=MeetingDetails.model_validate(meeting.model_dump(mode="json")),
            names=await _names(uow, meeting),
        )

    async def list_meetings(self, uow: MeetingsUnitOfWork, q: ListMeetings) -> ListMeetingsReply:
        """Meetings, newest first."""
        found = await uow.meetings.list(q.body, q.limit)
        return ListMeetingsReply(
            command_id=q.command_id,
            meetings=tuple(
                MeetingLine(
                    meeting_id=m.meeting_id,
                    body=m.body,
                    entity=m.entity,
                    scheduled_at=m.scheduled_at,
                    status=m.status.value,
                    items=len(m.entries),
                    joint_group_id=m.joint_group_id,
                    minutes=m.minutes.status.value if m.minutes else None,
                )
                for m in found
            ),
        )

    async def list_members(self, uow: MeetingsUnitOfWork, q: ListMembers) -> ListMembersReply:
        """Sitting members of a body on a date, chairs first."""
        day = q.on or self._clock().date()
        roster = Roster.of(await uow.seats.of_body(q.body), q.body, day)
        members = sorted(roster.seats, key=lambda s: (s.person_id not in roster.chairs, s.person_name))
        return ListMembersReply(
            command_id=q.command_id,
            on=day,
            members=tuple(
                MemberLine(person_id=s.person_id, name=s.person_name, role=s.role, status=s.status, voting=s.voting)
                for s in members
            ),
        )

    async def get_decision(self, uow: MeetingsUnitOfWork, q: GetDecision) -> GetDecisionReply:
        """A decision with its votes: per member for an open vote, only the tally for a secret ballot."""
        record = await uow.decisions.get(q.decision_id)
        if record is None:
            raise RuleViolation("unknown_decision", f"no decision {q.decision_id}")
        return GetDecisionReply(
            command_id=q.command_id, decision=DecisionDetails.model_validate(record.model_dump(mode="json"))
        )

    async def get_decision_list(self, uow: MeetingsUnitOfWork, q: GetDecisionList) -> GetDecisionListReply:
        """The besluitenlijst of a meeting, as it is (or will be) published."""
        meeting = await _meeting(uow, q.meeting_id)
        records = {d.decision_id: d for d in await uow.decisions.of_meeting(meeting.meeting_id)}
        return GetDecisionListReply(
            command_id=q.command_id, decision_list=DecisionList.model_validate(decision_list(meeting, records))
        )

    async def get_minutes(self, uow: MeetingsUnitOfWork, q: GetMinutes) -> GetMinutesReply:
        """The full minutes with their approval and signatures (for members and the archive)."""
        meeting = await _meeting(uow, q.meeting_id)
        if meeting.minutes is None:
            raise RuleViolation("no_minutes_yet", "minutes are drafted when the meeting is closed")
        return GetMinutesReply(
            command_id=q.command_id,
            minutes=MinutesText.model_validate(draft_minutes(meeting, await _names(uow, meeting))),
            state=MinutesState.model_validate(meeting.minutes.model_dump(mode="json")),
        )

    async def export_lblod(self, uow: MeetingsUnitOfWork, q: ExportLblod) -> ExportLblodReply:
        """The public part of a meeting as LBLOD JSON-LD (closed and BCSD items are left out)."""
        meeting = await _meeting(uow, q.meeting_id)
        ensure_publishable(meeting)
        records = {d.decision_id: d for d in await uow.decisions.of_meeting(meeting.meeting_id)}
        return ExportLblodReply(command_id=q.command_id, jsonld=meeting_graph(meeting, records))

    async def verify_publications(self, uow: MeetingsUnitOfWork, q: VerifyPublications) -> VerifyPublicationsReply:
        """Recompute the register; `broken` names the first entry whose document or seal changed."""
        entries = await uow.publications.all()
        checked, broken = verify_register(entries)
        first_broken = None
        if broken is not None:
            assert broken.seq is not None, "entries read from the register are numbered"
            first_broken = BrokenEntry(seq=broken.seq, document_id=broken.document.document_id)
        return VerifyPublicationsReply(
            command_id=q.command_id, entries=len(entries), intact=checked, broken=first_broken
        )
