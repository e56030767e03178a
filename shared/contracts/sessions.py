"""Contracts of the `meetings` service for meetings themselves: agenda, session, minutes, publication.

Commands are sent by request/reply on `cmd.meetings.<name>`; rejections carry the codes listed
in `docs/rejection-codes.md`. Public events never carry closed-session or BCSD content.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, Field, model_validator

from shared.contracts.base import Command, Contract, Event, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.meetings import DecisionKind, VoteChoice, VoteTally

__all__ = [
    "AddAgendaItem",
    "AgendaLine",
    "AgendaPublished",
    "AmendItem",
    "ApproveMinutes",
    "CloseMeeting",
    "ConveneMeeting",
    "DocumentPublished",
    "ExportLblod",
    "GetDecision",
    "GetDecisionList",
    "GetMeeting",
    "GetMinutes",
    "LeaveItem",
    "ListMeetings",
    "ListMembers",
    "MeetingClosed",
    "MeetingScheduled",
    "MinutesApproved",
    "MinutesSigned",
    "OpenSession",
    "PostponeItem",
    "PublishDocuments",
    "ScheduleMeeting",
    "SignMinutes",
    "VerifyPublications",
    "VoteOnItem",
]

PersonId = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=1000)]


class _MeetingCommand(Command):
    SERVICE = "meetings"


class ScheduleMeeting(_MeetingCommand):
    """Plan a meeting of a body; `joint_with` holds it back to back with the parallel body's meeting."""

    NAME = "schedule_meeting"

    body: BodyKind
    scheduled_at: AwareDatetime
    location: Annotated[str, Field(min_length=1, max_length=200)]
    joint_with: uuid.UUID | None = None


class ConveneMeeting(_MeetingCommand):
    """Set and publish the agenda (council: at least 8 days before); every item must be ready."""

    NAME = "convene_meeting"

    meeting_id: uuid.UUID
    item_ids: tuple[uuid.UUID, ...] = Field(min_length=1)
    convened_by: PersonId


class AddAgendaItem(_MeetingCommand):
    """Amend a convened agenda (members up to 5 days before), or add an urgent item in session."""

    NAME = "add_agenda_item"

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    added_by: PersonId
    by_member: bool = False
    """A council member adds the item (allowed up to 5 days before the meeting)."""
    urgency_votes: int | None = Field(default=None, ge=0)
    """In session: how many members present found the item urgent (2/3 needed)."""
    postponed_from: uuid.UUID | None = None
    """The meeting that postponed this item, kept as its lineage."""


class OpenSession(_MeetingCommand):
    """Open the session with the members present; checks the quorum."""

    NAME = "open_session"

    meeting_id: uuid.UUID
    present: tuple[PersonId, ...]
    chair_id: PersonId


class LeaveItem(_MeetingCommand):
    """A member leaves the room for one item (conflict of interest) and does not vote on it."""

    NAME = "leave_item"

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    person_id: PersonId
    reason: Reason


class _Vote(_MeetingCommand):
    open_votes: dict[PersonId, VoteChoice] | None = None
    """An open vote: every member present for the item, by person id."""
    secret_tally: VoteTally | None = None
    """A secret ballot: the counted ballots only."""

    @model_validator(mode="after")
    def _one_mode(self) -> Self:
        if (self.open_votes is None) == (self.secret_tally is None):
            raise ValueError("give either open_votes or secret_tally")
        return self


class VoteOnItem(_Vote):
    """Vote on an item: adopted by more than half of the votes cast; a tie rejects."""

    NAME = "vote_on_item"

    meeting_id: uuid.UUID
    item_id: uuid.UUID


class AmendItem(_Vote):
    """Vote on an amendment to an item before the item itself."""

    NAME = "amend_item"

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    text: Reason
    proposed_by: PersonId


class PostponeItem(_MeetingCommand):
    """Postpone an item; it can be put on a later agenda with `postponed_from`."""

    NAME = "postpone_item"

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    reason: Reason


class CloseMeeting(_MeetingCommand):
    """Close the session and draft the minutes."""

    NAME = "close_meeting"

    meeting_id: uuid.UUID


class ApproveMinutes(_MeetingCommand):
    """During a session, approve the minutes of the previous meeting of the same body."""

    NAME = "approve_minutes"

    meeting_id: uuid.UUID
    """The meeting in session that approves."""
    minutes_of: uuid.UUID
    comments: tuple[Reason, ...] = ()


class SignMinutes(_MeetingCommand):
    """Sign approved minutes as chair or algemeen directeur (the latter never on someone's behalf)."""

    NAME = "sign_minutes"

    meeting_id: uuid.UUID
    person_id: PersonId
    on_behalf_of: PersonId | None = None


class PublishDocuments(_MeetingCommand):
    """Publish the decision list, adopted regulations and signed minutes of a closed meeting."""

    NAME = "publish_documents"

    meeting_id: uuid.UUID


class GetMeeting(_MeetingCommand):
    """Query: a meeting with its agenda, attendance and the treatment of every item."""

    NAME = "get_meeting"

    meeting_id: uuid.UUID


class ListMeetings(_MeetingCommand):
    """Query: meetings, newest first, optionally of one body."""

    NAME = "list_meetings"

    body: BodyKind | None = None
    limit: int = Field(default=50, ge=1, le=500)


class GetDecision(_MeetingCommand):
    """Query: a decision with its votes (per member for open votes, the tally for secret ones)."""

    NAME = "get_decision"

    decision_id: uuid.UUID


class GetDecisionList(_MeetingCommand):
    """Query: the decision list (besluitenlijst) of a meeting."""

    NAME = "get_decision_list"

    meeting_id: uuid.UUID


class GetMinutes(_MeetingCommand):
    """Query: the minutes of a meeting with their approval and signatures."""

    NAME = "get_minutes"

    meeting_id: uuid.UUID


class ListMembers(_MeetingCommand):
    """Query: the sitting members of a body on a date (from organisation's mandates)."""

    NAME = "list_members"

    body: BodyKind
    on: dt.date | None = None
    """Default: today."""


class ExportLblod(_MeetingCommand):
    """Query: the public part of a meeting as JSON-LD in the LBLOD besluit vocabulary."""

    NAME = "export_lblod"

    meeting_id: uuid.UUID


class VerifyPublications(_MeetingCommand):
    """Query: recompute every hash of the publication register and name the first broken entry."""

    NAME = "verify_publications"


class MeetingScheduled(Event):
    """A meeting of a body was planned."""

    SUBJECT = "meetings.meeting.scheduled"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    location: str
    joint_group_id: uuid.UUID | None


class AgendaLine(Contract):
    """One line of a published agenda; a closed item shows no title."""

    position: int
    item_id: uuid.UUID
    title: str
    kind: DecisionKind
    public: bool
    origin: str


class AgendaPublished(Event):
    """The (amended) agenda of a meeting was published; `version` counts the publications."""

    SUBJECT = "meetings.agenda.published"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    version: int
    items: tuple[AgendaLine, ...]


class MeetingClosed(Event):
    """The session ended; the draft minutes exist."""

    SUBJECT = "meetings.meeting.closed"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    adopted: int
    rejected: int
    postponed: int


class MinutesApproved(Event):
    """The minutes of a meeting were approved at a later meeting of the same body."""

    SUBJECT = "meetings.minutes.approved"

    meeting_id: uuid.UUID
    approved_in: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    comments: int


class MinutesSigned(Event):
    """Chair and algemeen directeur signed the approved minutes."""

    SUBJECT = "meetings.minutes.signed"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity


class DocumentPublished(Event):
    """A document was put online and entered in the publication register.

    `reportable` documents (council and RMW decision lists, regulations) go to the supervisory
    authority the same day. The content is the published, redacted text.
    """

    SUBJECT = "meetings.document.published"

    document_id: uuid.UUID
    kind: str
    """`decision_list`, `regulation` or `minutes`."""
    meeting_id: uuid.UUID
    decision_id: uuid.UUID | None
    body: BodyKind
    entity: LegalEntity
    title: str
    content: dict[str, Any]
    content_hash: str
    register_hash: str
    published_at: dt.datetime
    due_on: dt.date
    on_time: bool
    reportable: bool
