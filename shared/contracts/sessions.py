"""Contracts of the `meetings` service for meetings themselves: agenda, session, minutes, publication.

Commands are sent by request/reply on `cmd.meetings.<name>`; rejections carry the codes listed
in `docs/rejection-codes.md`. Public events never carry closed-session or BCSD content.

No command or query names the person acting: that is the signed actor of the request (DESIGN §5,
`docs/api.md`). Queries answer for that actor: members of the body see its closed items in full
(BCSD items also the algemeen directeur and the social service); anyone else sees that a closed
item exists, and nothing more.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AwareDatetime, Field, model_validator

from shared.contracts.base import Command, Contract, Event, Query, QueryReply
from shared.vocabulary import (
    AdviceVerdict,
    BodyKind,
    Candidate,
    Confidentiality,
    DecisionKind,
    DecisionRelation,
    DistrictId,
    ElectionBallots,
    FinancialImpact,
    FollowUpAction,
    LegalEntity,
    LegalityAdvice,
    MandateRole,
    MandateStatus,
    VoteChoice,
    VoteTally,
)

__all__ = [
    "AddAgendaItem",
    "AdviseOnItem",
    "AgendaLine",
    "AgendaPublished",
    "AmendItem",
    "AmendmentLine",
    "ApproveMinutes",
    "BrokenEntry",
    "CloseMeeting",
    "CommitteeLine",
    "ConveneMeeting",
    "DecisionDetails",
    "DecisionList",
    "DecisionListLine",
    "DocumentPublished",
    "ElectionRoundLine",
    "ExportLblod",
    "ExportLblodReply",
    "GetCommitteeShares",
    "GetCommitteeSharesReply",
    "GetDecision",
    "GetDecisionList",
    "GetDecisionListReply",
    "GetDecisionReply",
    "GetItemFiles",
    "GetItemFilesReply",
    "GetItemHistory",
    "GetItemHistoryReply",
    "GetItemReadiness",
    "GetItemReadinessReply",
    "GetMeeting",
    "GetMeetingReply",
    "GetMinutes",
    "GetMinutesReply",
    "GetTextInForce",
    "GetTextInForceReply",
    "HistoryStepLine",
    "ItemFileLine",
    "LeaveItem",
    "ListCommittees",
    "ListCommitteesReply",
    "ListMeetings",
    "ListMeetingsReply",
    "ListMembers",
    "ListMembersReply",
    "ListPublishedDocuments",
    "ListPublishedDocumentsReply",
    "MeetingClosed",
    "MeetingDetails",
    "MeetingLine",
    "MeetingScheduled",
    "MemberLine",
    "MinutesApproved",
    "MinutesItem",
    "MinutesSignatureRevoked",
    "MinutesSigned",
    "MinutesState",
    "MinutesText",
    "OpenSession",
    "PostponeItem",
    "PublicationTermMissed",
    "PublicationTermNearing",
    "PublishDocuments",
    "PublishedDocumentLine",
    "RecordLapse",
    "RevokeSignature",
    "RevokedSignatureLine",
    "ScanPublicationTerms",
    "ScheduleMeeting",
    "SetUpCommittee",
    "SignMinutes",
    "SignatureLine",
    "TreatInClosedSession",
    "TreatmentLine",
    "VerifyPublications",
    "VerifyPublicationsReply",
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
    committee_id: uuid.UUID | None = None
    """For a `gemeenteraadscommissie` meeting: which committee meets."""
    second_convocation_of: uuid.UUID | None = None
    """A council meeting that lapsed for lack of a quorum: its items may be decided whatever the number present."""


class ConveneMeeting(_MeetingCommand):
    """Set and publish the agenda (council: at least 8 days before, or later in an urgent case with
    its reason); every item must be ready, and the public items come before the closed ones."""

    NAME = "convene_meeting"
    VERSION: ClassVar[int] = 2  # v2: who convenes is the signed actor, no longer `convened_by`

    meeting_id: uuid.UUID
    item_ids: tuple[uuid.UUID, ...] = Field(min_length=1)
    urgent: bool = False
    """An urgent convocation, with the shorter term of the rules of order (the decree sets none)."""
    urgency_reason: Annotated[str, Field(max_length=1000)] = ""


class AddAgendaItem(_MeetingCommand):
    """Amend a convened agenda (members up to 5 days before), or add an urgent item in session."""

    NAME = "add_agenda_item"
    VERSION: ClassVar[int] = 2  # v2: who adds the item is the signed actor, no longer `added_by`

    meeting_id: uuid.UUID
    item_id: uuid.UUID
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


class RecordLapse(_MeetingCommand):
    """Fewer than a majority of the sitting members came: the meeting lapses; a council may convene
    it a second time (`ScheduleMeeting.second_convocation_of`)."""

    NAME = "record_lapse"

    meeting_id: uuid.UUID
    present: tuple[PersonId, ...]


class SetUpCommittee(_MeetingCommand):
    """The council sets up a committee: seats shared over its groups (the majority holding more), and
    the members each group nominates from its council members."""

    NAME = "set_up_committee"

    name: Annotated[str, Field(min_length=3, max_length=200)]
    seats: int = Field(ge=1, le=55)
    nominations: dict[Annotated[str, Field(min_length=1, max_length=100)], tuple[PersonId, ...]]
    """By group: the council members it nominates (exactly its share of the seats)."""
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
    """A secret ballot: the counted ballots only (blank as abstentions, and invalid ones)."""

    def _modes(self) -> list[object]:
        return [self.open_votes, self.secret_tally]

    @model_validator(mode="after")
    def _one_mode(self) -> Self:
        if sum(m is not None for m in self._modes()) != 1:
            raise ValueError("give exactly one way of voting: " + ", ".join(self._mode_names()))
        return self

    def _mode_names(self) -> list[str]:
        return ["open_votes", "secret_tally"]


class VoteOnItem(_Vote):
    """Vote on an item: adopted by more than half of the votes cast; a tie rejects, and a vote in
    which everyone abstains is not adopted. Decisions about persons by secret ballot; an election
    by `election` ballots (a round without a majority answers `runoff` and its candidates)."""

    NAME = "vote_on_item"

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    election: ElectionBallots | None = None
    """An election between the item's candidates (or the runoff's): ballots per candidate, blank, invalid."""

    def _modes(self) -> list[object]:
        return [*super()._modes(), self.election]

    def _mode_names(self) -> list[str]:
        return [*super()._mode_names(), "election"]


class TreatInClosedSession(_MeetingCommand):
    """The members present decide openly, with reasons and by 2/3, to treat a public item in closed session."""

    NAME = "treat_in_closed_session"

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    reason: Reason
    open_votes: dict[PersonId, VoteChoice]
    """Every member present for the item, by person id."""


class AdviseOnItem(_Vote):
    """A council committee gives its advice on a council item; the advice travels with the item."""

    NAME = "advise_on_item"

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    advice: Reason


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
    VERSION: ClassVar[int] = 2  # v2: the signatory is the signed actor, no longer `person_id`

    meeting_id: uuid.UUID
    on_behalf_of: PersonId | None = None


class ScanPublicationTerms(_MeetingCommand):
    """Look at every closed meeting's publication term on a day: raise the follow-up task two days before it
    runs out, and announce it missed the day after (the service also scans by itself, periodically)."""

    NAME = "scan_publication_terms"

    as_of: dt.date | None = None
    """Default: today by the service's clock."""


class RevokeSignature(_MeetingCommand):
    """A signatory withdraws their signature under the minutes, before they are published."""

    NAME = "revoke_signature"
    VERSION: ClassVar[int] = 2  # v2: the signatory is the signed actor, no longer `person_id`

    meeting_id: uuid.UUID
    reason: Reason


class PublishDocuments(_MeetingCommand):
    """Publish the decision list, adopted regulations and signed minutes of a closed meeting."""

    NAME = "publish_documents"

    meeting_id: uuid.UUID


class _MeetingQuery(Query):
    SERVICE = "meetings"


TreatmentOutcomeName = Literal["pending", "adopted", "rejected", "postponed", "prepared", "advised"]
MeetingStatusName = Literal["planned", "convened", "in_session", "closed", "lapsed"]
RoleName = Literal["decision", "preparation", "advice", "mayor"]
MinutesStatusName = Literal["draft", "approved", "signed"]


class AmendmentLine(Contract):
    """An amendment voted before its item."""

    text: str
    proposed_by: str
    adopted: bool
    tally: VoteTally


class ElectionRoundLine(Contract):
    """One counted round of an election."""

    votes: dict[str, int]
    """Ballots per candidate, by person id."""
    blank: int
    invalid: int
    elected: str | None
    runoff: tuple[str, ...]
    """The candidates of the next round, when nobody had a majority."""


class HistoryStepLine(Contract):
    """One treatment of an item: where, when, in which role, with what result."""

    meeting_id: uuid.UUID | None
    body: BodyKind
    on: dt.date
    role: RoleName
    outcome: str
    restricted: bool = False
    """A closed treatment, asked for by someone who is not a member of that body: only that it happened."""
    tally: VoteTally | None = None
    advice: str = ""
    favourable: bool | None = None
    decision_id: uuid.UUID | None = None


class TreatmentLine(Contract):
    """One item on a meeting's agenda and what happened to it (BehandelingVanAgendapunt).

    `restricted`: a closed item asked for by someone who is not a member of the body; only its
    position and that it is closed are given, every other field is left empty.
    """

    position: int
    confidentiality: Confidentiality
    restricted: bool = False
    item_id: uuid.UUID | None = None
    title: str | None = None
    kind: DecisionKind | None = None
    role: RoleName | None = None
    origin: Literal["agenda", "amendment", "member", "urgent"] | None = None
    added_at: dt.datetime | None = None
    added_by: str | None = None
    postponed_from: uuid.UUID | None = None
    absent: dict[str, str] = Field(default_factory=dict)
    """Members who left the room for this item, with the reason."""
    outcome: TreatmentOutcomeName | None = None
    tally: VoteTally | None = None
    secret: bool | None = None
    by_member: dict[str, VoteChoice] = Field(default_factory=dict)
    """Per member for an open vote; empty for a secret ballot."""
    amendments: tuple[AmendmentLine, ...] = ()
    decision_id: uuid.UUID | None = None
    note: str = ""
    closed_reason: str = ""
    """Why the members present (2/3) decided to treat a public item in closed session."""
    candidates: tuple[str, ...] = ()
    rounds: tuple[ElectionRoundLine, ...] = ()
    advice: str = ""
    favourable: bool | None = None
    legality_advice: LegalityAdvice | None = None
    """The algemeen directeur's legality advice on the item, as it was when tabled."""
    earlier: tuple[HistoryStepLine, ...] = ()
    """The item's treatments before this one (the college's preparation, a committee's advice)."""


class SignatureLine(Contract):
    """A signature under the minutes."""

    person_id: str
    role: Literal["chair", "algemeen_directeur"]
    signed_at: dt.datetime
    on_behalf_of: str | None
    acting: bool = False
    """Signed by the acting (waarnemend) algemeen directeur in the director's place."""
    in_place_of: str | None = None
    """For an acting director: the algemeen directeur in whose place they signed."""


class RevokedSignatureLine(Contract):
    """A signature withdrawn before publication."""

    signature: SignatureLine
    revoked_at: dt.datetime
    reason: str


class MinutesState(Contract):
    """Where the minutes of a meeting stand: drafted, approved (where, when, with which comments), signed."""

    status: MinutesStatusName
    drafted_at: dt.datetime
    approved_in: uuid.UUID | None
    approved_at: dt.datetime | None
    comments: tuple[str, ...]
    signatures: tuple[SignatureLine, ...]
    revoked: tuple[RevokedSignatureLine, ...] = ()
    """Signatures withdrawn before publication."""


class MeetingDetails(Contract):
    """A meeting with its agenda, attendance, the treatment of every item and its minutes."""

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    location: str
    status: MeetingStatusName
    joint_group_id: uuid.UUID | None
    committee_id: uuid.UUID | None = None
    urgent: bool = False
    urgency_reason: str = ""
    second_convocation_of: uuid.UUID | None = None
    retabled: tuple[uuid.UUID, ...] = ()
    """Items on the agenda for the second time: decided whatever the number present."""
    term_notices: tuple[str, ...] = ()
    """The publication-term notices given (`decision_list:nearing:<last day>`, `...:missed:...`)."""
    locked_at: dt.datetime | None = None
    """When its minutes were published: the meeting never changes again (corrections by a new decision)."""
    convened_at: dt.datetime | None
    agenda_published: tuple[dt.datetime, ...]
    """Each publication of the (amended) agenda."""
    entries: tuple[TreatmentLine, ...]
    sitting: tuple[str, ...]
    """Voting members sitting when the session opened (the base of the quorum)."""
    present: tuple[str, ...]
    chair_id: str | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    minutes: MinutesState | None


class GetMeetingReply(QueryReply):
    """The meeting, and the names of the people it mentions by person id."""

    meeting: MeetingDetails
    names: dict[str, str]


class GetMeeting(_MeetingQuery):
    """Query: a meeting with its agenda, attendance and the treatment of every item."""

    NAME = "get_meeting"
    VERSION: ClassVar[int] = 2  # v2: answered for the signed actor, no longer `on_behalf_of`
    Reply = GetMeetingReply

    meeting_id: uuid.UUID


class MeetingLine(Contract):
    """One meeting in a list."""

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    status: MeetingStatusName
    items: int
    """Items on its agenda."""
    joint_group_id: uuid.UUID | None
    minutes: MinutesStatusName | None
    """None until the meeting is closed."""


class ListMeetingsReply(QueryReply):
    """Meetings, newest first."""

    meetings: tuple[MeetingLine, ...]


class ListMeetings(_MeetingQuery):
    """Query: meetings, newest first, optionally of one body."""

    NAME = "list_meetings"
    Reply = ListMeetingsReply

    body: BodyKind | None = None
    limit: int = Field(default=50, ge=1, le=500)


class DecisionDetails(Contract):
    """A decision as meetings keeps it, with its votes.

    `restricted`: a closed or BCSD decision asked for by someone who is not a member of the body;
    only that it exists (its ids, body and entity) is given.
    """

    decision_id: uuid.UUID
    item_id: uuid.UUID
    meeting_id: uuid.UUID | None
    body: BodyKind
    entity: LegalEntity
    confidentiality: Confidentiality
    restricted: bool = False
    kind: DecisionKind | None = None
    title: str | None = None
    motivation: str | None = None
    legal_basis: str | None = None
    outcome: Literal["adopted", "rejected"] | None = None
    tally: VoteTally | None = None
    secret: bool | None = None
    by_member: dict[str, VoteChoice] = Field(default_factory=dict)
    """Per member for an open vote; empty for a secret ballot."""
    decided_at: dt.datetime | None = None
    effective_date: dt.date | None = None
    financial_impact: FinancialImpact | None = None
    follow_up_actions: tuple[FollowUpAction, ...] = ()
    amendments: tuple[str, ...] = ()
    """Adopted amendments, in order."""
    published_on: dt.date | None = None
    executed_at: dt.datetime | None = None
    election: tuple[ElectionRoundLine, ...] = ()
    elected: Candidate | None = None
    signed_by: str | None = None
    """The burgemeester, for a decision taken alone (no vote)."""
    reportable: bool | None = None
    history: tuple[HistoryStepLine, ...] = ()
    """The item's treatments: preparation, advice, postponements, this decision."""
    relations: tuple[DecisionRelation, ...] = ()
    """The earlier decisions this one replaces, amends or repeals."""
    text: str = ""
    """The operative part: for a regulation its articles."""
    decision_type: str | None = None
    """The official besluittype concept (table of decision types)."""
    legality_advice: LegalityAdvice | None = None
    """The algemeen directeur's legality advice on the item, which travels with the decision."""


class GetDecisionReply(QueryReply):
    """One decision with its votes."""

    decision: DecisionDetails


class GetDecision(_MeetingQuery):
    """Query: a decision with its votes (per member for open votes, the tally for secret ones)."""

    NAME = "get_decision"
    VERSION: ClassVar[int] = 2  # v2: answered for the signed actor, no longer `on_behalf_of`
    Reply = GetDecisionReply

    decision_id: uuid.UUID


class DecisionListLine(Contract):
    """One item of a decision list; a closed item shows its number only."""

    position: int
    closed: bool = False
    title: str | None = None
    kind: DecisionKind | None = None
    outcome: TreatmentOutcomeName | None = None
    votes: VoteTally | None = None
    decision_id: uuid.UUID | None = None
    postponed_from: uuid.UUID | None = None


class DecisionList(Contract):
    """The besluitenlijst of a meeting: every item in order with its outcome."""

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    held_on: dt.date
    items: tuple[DecisionListLine, ...]


class GetDecisionListReply(QueryReply):
    """The decision list as it is (or will be) published."""

    decision_list: DecisionList


class GetDecisionList(_MeetingQuery):
    """Query: the decision list (besluitenlijst) of a meeting."""

    NAME = "get_decision_list"
    Reply = GetDecisionListReply

    meeting_id: uuid.UUID


class MinutesItem(Contract):
    """One item in the full minutes; `restricted` for a closed item asked for by a non-member."""

    position: int
    confidentiality: Confidentiality
    restricted: bool = False
    title: str | None = None
    origin: Literal["agenda", "amendment", "member", "urgent"] | None = None
    left_the_room: dict[str, str] = Field(default_factory=dict)
    """Name of each member who left for this item, with the reason."""
    amendments: tuple[AmendmentLine, ...] = ()
    outcome: TreatmentOutcomeName | None = None
    votes: VoteTally | None = None
    secret_ballot: bool | None = None
    by_member: dict[str, VoteChoice] = Field(default_factory=dict)
    """By name, for an open vote."""
    note: str = ""
    closed_reason: str = ""
    advice: str = ""
    legality_advice: LegalityAdvice | None = None
    """The algemeen directeur's legality advice on the item (an unfavourable one is in the minutes)."""


class MinutesText(Contract):
    """The full notulen, for the members and the archive: attendance, every item, every vote."""

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    held_on: dt.date
    location: str
    chair: str
    present: tuple[str, ...]
    absent: tuple[str, ...]
    items: tuple[MinutesItem, ...]


class GetMinutesReply(QueryReply):
    """The minutes and where they stand."""

    minutes: MinutesText
    state: MinutesState
    """Drafted, approved or signed (a reply's `status` is the query's own)."""


class GetMinutes(_MeetingQuery):
    """Query: the minutes of a meeting with their approval and signatures."""

    NAME = "get_minutes"
    VERSION: ClassVar[int] = 2  # v2: answered for the signed actor, no longer `on_behalf_of`
    Reply = GetMinutesReply

    meeting_id: uuid.UUID


class GetItemHistoryReply(QueryReply):
    """An item's one history across the college, a committee and the council."""

    item_id: uuid.UUID
    body: BodyKind
    confidentiality: Confidentiality
    restricted: bool
    """The asker is not a member of the item's body and the item is closed: its title is withheld."""
    title: str | None
    item_status: Literal["proposed", "adopted", "rejected"]
    steps: tuple[HistoryStepLine, ...]


class GetItemHistory(_MeetingQuery):
    """Query: the treatments of an item, found by the item, or by any decision or meeting that treated it."""

    NAME = "get_item_history"
    VERSION: ClassVar[int] = 2  # v2: answered for the signed actor, no longer `on_behalf_of`
    Reply = GetItemHistoryReply

    item_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        if (self.item_id is None) == (self.decision_id is None):
            raise ValueError("give either item_id or decision_id")
        return self


class ItemFileLine(Contract):
    """A document of an item's file."""

    title: str
    reference: str


class GetItemFilesReply(QueryReply):
    """The item's file, for a member of the body, from the convocation on."""

    item_id: uuid.UUID
    meeting_id: uuid.UUID
    available_since: dt.datetime
    files: tuple[ItemFileLine, ...]


class GetItemFiles(_MeetingQuery):
    """Query: the file of an item on a convened agenda, for a member of the meeting's body."""

    NAME = "get_item_files"
    VERSION: ClassVar[int] = 2  # v2: answered for the signed actor, no longer `on_behalf_of`
    Reply = GetItemFilesReply

    item_id: uuid.UUID


class CommitteeLine(Contract):
    """A council committee: its seats per group and its members."""

    committee_id: uuid.UUID
    name: str
    seats: int
    shares: dict[str, int]
    majority: tuple[str, ...]
    members: tuple[str, ...]
    chair_id: str


class GetCommitteeSharesReply(QueryReply):
    """The seats each council group would hold in a committee of that size, today."""

    shares: dict[str, int]
    majority: tuple[str, ...]
    """The groups with a member in the college: together they hold more seats than the others."""


class GetCommitteeShares(_MeetingQuery):
    """Query: how a committee's seats are shared over the council's groups, before it is set up."""

    NAME = "get_committee_shares"
    Reply = GetCommitteeSharesReply

    seats: int = Field(ge=1, le=55)


class ListCommitteesReply(QueryReply):
    """The council's committees."""

    committees: tuple[CommitteeLine, ...]


class ListCommittees(_MeetingQuery):
    """Query: the council's committees, with their composition."""

    NAME = "list_committees"
    Reply = ListCommitteesReply


class MemberLine(Contract):
    """A sitting member of a body."""

    person_id: str
    name: str
    role: MandateRole
    status: MandateStatus
    voting: bool
    group: str | None = None
    """The council group (fractie), where organisation's mandate names it."""


class ListMembersReply(QueryReply):
    """The sitting members on a day, chairs first."""

    on: dt.date
    members: tuple[MemberLine, ...]


class ListMembers(_MeetingQuery):
    """Query: the sitting members of a body on a date (from organisation's mandates)."""

    NAME = "list_members"
    Reply = ListMembersReply

    body: BodyKind
    on: dt.date | None = None
    """Default: today."""


class GetItemReadinessReply(QueryReply):
    """Whether an item can go on an agenda now; if not, the rejection code the convocation would give."""

    item_id: uuid.UUID
    ready: bool
    refusal: str | None = None
    """The convocation's rejection code: `budget_check_missing`, `budget_check_failed`, `visum_missing`, ..."""
    reason: str | None = None


class GetItemReadiness(_MeetingQuery):
    """Query: can the item be put on an agenda now (budget check, visum and consultation in)?

    Asked again when `meetings.agenda_item.checked` says something changed for the item.
    """

    NAME = "get_item_readiness"
    Reply = GetItemReadinessReply

    item_id: uuid.UUID


class ExportLblodReply(QueryReply):
    """The public part of a meeting as a JSON-LD document (`@context` and `@graph`)."""

    jsonld: dict[str, Any]


class ExportLblod(_MeetingQuery):
    """Query: the public part of a meeting as JSON-LD in the LBLOD besluit vocabulary."""

    NAME = "export_lblod"
    Reply = ExportLblodReply

    meeting_id: uuid.UUID


class GetTextInForceReply(QueryReply):
    """A regulation's text in force on a day: not yet in force, in force (with the version it comes from), or
    repealed."""

    regulation_id: uuid.UUID
    on: dt.date
    state: Literal["not_yet_in_force", "in_force", "repealed"]
    decision_id: uuid.UUID | None
    """The decision whose text (or repeal) applies that day: the regulation itself or a later one."""
    text: str
    since: dt.date | None
    """The day that version entered into force."""


class GetTextInForce(_MeetingQuery):
    """Query: the text of a regulation in force on a day, following the decisions that amend, replace or
    repeal it."""

    NAME = "get_text_in_force"
    Reply = GetTextInForceReply

    decision_id: uuid.UUID
    """The regulation."""
    on: dt.date


class PublishedDocumentLine(Contract):
    """A document in the publication register, with its HTML+RDFa page (empty for documents published before
    meetings made pages)."""

    seq: int
    document_id: uuid.UUID
    kind: str
    """`agenda`, `decision_list`, `regulation`, `full_text`, `minutes` or `extract`."""
    decision_id: uuid.UUID | None
    title: str
    content_hash: str
    register_hash: str
    published_at: dt.datetime
    html: str


class ListPublishedDocumentsReply(QueryReply):
    """The documents of a meeting in the publication register, in register order."""

    documents: tuple[PublishedDocumentLine, ...]


class ListPublishedDocuments(_MeetingQuery):
    """Query: a meeting's published documents with their hashes and HTML+RDFa pages (what `rw meeting export
    --html` writes and the console serves at public addresses)."""

    NAME = "list_published_documents"
    Reply = ListPublishedDocumentsReply

    meeting_id: uuid.UUID


class BrokenEntry(Contract):
    """The first register entry whose document or seal no longer holds."""

    seq: int
    document_id: uuid.UUID


class VerifyPublicationsReply(QueryReply):
    """How many register entries hold, and the first that does not."""

    entries: int
    intact: int
    broken: BrokenEntry | None


class VerifyPublications(_MeetingQuery):
    """Query: recompute every hash of the publication register and name the first broken entry."""

    NAME = "verify_publications"
    Reply = VerifyPublicationsReply


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
    legality_advice: AdviceVerdict | None = None
    """The verdict of the algemeen directeur's legality advice on a public item (an unfavourable advice
    shows on the agenda); None for a closed item, an item without advice, and in older messages."""


class AgendaPublished(Event):
    """The (amended) agenda of a meeting was published; `version` counts the publications."""

    SUBJECT = "meetings.agenda.published"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    version: int
    items: tuple[AgendaLine, ...]
    urgent: bool = False
    """Convened in an urgent case, with a shorter term."""
    second_convocation: bool = False
    """A second convocation: the re-tabled items are decided whatever the number present."""


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
    acting_director: str | None = None
    """The acting (waarnemend) algemeen directeur who signed in the director's place, if one did."""


class PublicationTermNearing(Event):
    """A document of a meeting is still unpublished two days before its publication term runs out: the
    secretariat gets a follow-up task (`action`, due the last day of the term)."""

    SUBJECT = "meetings.publication.term_nearing"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    document_kind: Literal["decision_list", "minutes"]
    due_on: dt.date
    action: FollowUpAction
    """The task to raise: publish the document by `due_on` (organisation chooses the unit)."""


class PublicationTermMissed(Event):
    """A document of a meeting was not published within its publication term (DLB art. 287)."""

    SUBJECT = "meetings.publication.term_missed"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    document_kind: Literal["decision_list", "minutes"]
    due_on: dt.date
    missed_on: dt.date


class MinutesSignatureRevoked(Event):
    """A signatory withdrew their signature before publication; the minutes wait for it again."""

    SUBJECT = "meetings.minutes.signature_revoked"

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    person_id: str
    role: Literal["chair", "algemeen_directeur"]
    reason: str
    revoked_at: dt.datetime


class DocumentPublished(Event):
    """A document was put online and entered in the publication register.

    `reportable` documents (council, RMW and district council decision lists, the full texts of reportable
    decision types) go to the supervisory authority the same day, as the table of decision types says. The
    content is the published, redacted text, with its HTML+RDFa page (`html`) since this version.
    """

    SUBJECT = "meetings.document.published"

    document_id: uuid.UUID
    kind: str
    """`agenda`, `decision_list`, `regulation`, `full_text` (a decision type published whole: the RPR, a
    delegation regulation, a plan change), `minutes` or `extract` (an uittreksel of one decision)."""
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
    district: DistrictId | None = None
    """The district the document concerns (a districtsraad's decision list), if any."""
