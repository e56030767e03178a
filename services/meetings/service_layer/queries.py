"""Read endpoints of meetings: answered by request/reply, never change anything."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.meetings.domain.documents import decision_list, draft_minutes, ensure_publishable, verify_register
from services.meetings.domain.lblod import meeting_graph
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.members import Roster
from services.meetings.domain.model import Rejection
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.sessions import (
    ExportLblod,
    GetDecision,
    GetDecisionList,
    GetMeeting,
    GetMinutes,
    ListMeetings,
    ListMembers,
    VerifyPublications,
)
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected

__all__ = [
    "export_lblod",
    "get_decision",
    "get_decision_list",
    "get_meeting",
    "get_minutes",
    "list_meetings",
    "list_members",
    "verify_publications",
]


def _answer(command_id: str, **data: Any) -> CommandReply:
    return CommandReply(command_id=command_id, status=CommandStatus.ACCEPTED, data=data)


async def _meeting(uow: MeetingsUnitOfWork, meeting_id: uuid.UUID) -> Meeting:
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        raise CommandRejected("unknown_meeting", f"no meeting {meeting_id}")
    return meeting


async def _names(uow: MeetingsUnitOfWork, meeting: Meeting) -> dict[str, str]:
    roster = Roster.of(await uow.seats.of_body(meeting.body), meeting.body, meeting.scheduled_at.date())
    return {s.person_id: s.person_name for s in roster.seats}


async def get_meeting(uow: MeetingsUnitOfWork, q: GetMeeting, _e: Envelope) -> CommandReply:
    """The meeting with its agenda and the treatment of every item."""
    meeting = await _meeting(uow, q.meeting_id)
    return _answer(q.command_id, meeting=meeting.model_dump(mode="json"), names=await _names(uow, meeting))


async def list_meetings(uow: MeetingsUnitOfWork, q: ListMeetings, _e: Envelope) -> CommandReply:
    """Meetings, newest first."""
    found = await uow.meetings.list(q.body, q.limit)
    return _answer(
        q.command_id,
        meetings=[
            {
                "meeting_id": str(m.meeting_id),
                "body": m.body.value,
                "entity": m.entity.value,
                "scheduled_at": m.scheduled_at.isoformat(),
                "status": m.status.value,
                "items": len(m.entries),
                "joint_group_id": str(m.joint_group_id) if m.joint_group_id else None,
                "minutes": m.minutes.status.value if m.minutes else None,
            }
            for m in found
        ],
    )


async def list_members(uow: MeetingsUnitOfWork, q: ListMembers, _e: Envelope) -> CommandReply:
    """Sitting members of a body on a date, chairs first."""
    day = q.on or dt.datetime.now(dt.UTC).date()
    roster = Roster.of(await uow.seats.of_body(q.body), q.body, day)
    members = sorted(roster.seats, key=lambda s: (s.person_id not in roster.chairs, s.person_name))
    return _answer(
        q.command_id,
        on=day.isoformat(),
        members=[
            {
                "person_id": s.person_id,
                "name": s.person_name,
                "role": s.role.value,
                "status": s.status.value,
                "voting": s.voting,
            }
            for s in members
        ],
    )


async def get_decision(uow: MeetingsUnitOfWork, q: GetDecision, _e: Envelope) -> CommandReply:
    """A decision with its votes: per member for an open vote, only the tally for a secret ballot."""
    record = await uow.decisions.get(q.decision_id)
    if record is None:
        raise CommandRejected("unknown_decision", f"no decision {q.decision_id}")
    return _answer(q.command_id, decision=record.model_dump(mode="json"))


async def get_decision_list(uow: MeetingsUnitOfWork, q: GetDecisionList, _e: Envelope) -> CommandReply:
    """The besluitenlijst of a meeting, as it is (or will be) published."""
    meeting = await _meeting(uow, q.meeting_id)
    records = {d.decision_id: d for d in await uow.decisions.of_meeting(meeting.meeting_id)}
    return _answer(q.command_id, decision_list=decision_list(meeting, records))


async def get_minutes(uow: MeetingsUnitOfWork, q: GetMinutes, _e: Envelope) -> CommandReply:
    """The full minutes with their approval and signatures (for members and the archive)."""
    meeting = await _meeting(uow, q.meeting_id)
    if meeting.minutes is None:
        raise CommandRejected("no_minutes_yet", "minutes are drafted when the meeting is closed")
    return _answer(
        q.command_id,
        minutes=draft_minutes(meeting, await _names(uow, meeting)),
        status=meeting.minutes.model_dump(mode="json"),
    )


async def export_lblod(uow: MeetingsUnitOfWork, q: ExportLblod, _e: Envelope) -> CommandReply:
    """The public part of a meeting as LBLOD JSON-LD (closed and BCSD items are left out)."""
    meeting = await _meeting(uow, q.meeting_id)
    try:
        ensure_publishable(meeting)
    except Rejection as exc:
        raise CommandRejected(exc.code, exc.message) from exc
    records = {d.decision_id: d for d in await uow.decisions.of_meeting(meeting.meeting_id)}
    return _answer(q.command_id, jsonld=meeting_graph(meeting, records))


async def verify_publications(uow: MeetingsUnitOfWork, q: VerifyPublications, _e: Envelope) -> CommandReply:
    """Recompute the register; `broken` names the first entry whose document or seal changed."""
    entries = await uow.publications.all()
    checked, broken = verify_register(entries)
    return _answer(
        q.command_id,
        entries=len(entries),
        intact=checked,
        broken=None if broken is None else {"seq": broken.seq, "document_id": str(broken.document.document_id)},
    )
