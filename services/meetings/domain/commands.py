"""What meetings is asked to do, in its own terms (the translation maps contracts to these).

The first group comes from people (the council secretariat, members, the chair); the second from
other services' events, which meetings records in its own read models.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from shared.vocabulary import (
    AdviceVerdict,
    AppointmentDetails,
    BodyKind,
    Candidate,
    Confidentiality,
    DecisionKind,
    DecisionRelation,
    DelegationDetails,
    DesignationDetails,
    DisciplineDetails,
    ElectionBallots,
    FinancialImpact,
    FollowUpAction,
    ItemFile,
    LegalEntity,
    MandateRole,
    MandateStatus,
    VoteChoice,
    VoteTally,
)

__all__ = [
    "AddAgendaItem",
    "AdviseOnItem",
    "AmendItem",
    "ApproveMinutes",
    "ChangeSeatStatus",
    "CloseMeeting",
    "ConveneMeeting",
    "DecideAsMayor",
    "EndSeat",
    "GiveLegalityAdvice",
    "LeaveItem",
    "OpenSession",
    "PostponeItem",
    "ProposeAgendaItem",
    "PublishDocuments",
    "RecordBudgetCheck",
    "RecordConsultation",
    "RecordExecution",
    "RecordLapse",
    "RecordSeat",
    "RecordVisum",
    "ScheduleMeeting",
    "SetUpCommittee",
    "SignMinutes",
    "TreatInClosedSession",
    "VoteOnItem",
]

# -- agenda items -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeAgendaItem:
    """Put an item before a body; each kind names what it decides on (the links)."""

    body: BodyKind
    entity: LegalEntity
    title: str
    kind: DecisionKind
    confidentiality: Confidentiality | None
    """None: by the rules (social at the BCSD, closed about persons, public otherwise)."""
    legal_basis: str
    motivation: str
    financial_impact: FinancialImpact | None
    follow_up_actions: tuple[FollowUpAction, ...]
    proposed_by: str
    appointment: AppointmentDetails | None = None
    delegation: DelegationDetails | None = None
    budget_change_id: uuid.UUID | None = None
    consultation_id: uuid.UUID | None = None
    overrules_item_id: uuid.UUID | None = None
    candidates: tuple[Candidate, ...] = ()
    files: tuple[ItemFile, ...] = ()
    discipline: DisciplineDetails | None = None
    organogram_version: int | None = None
    designation: DesignationDetails | None = None
    district: str | None = None
    relations: tuple[DecisionRelation, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class DecideAsMayor:
    """The burgemeester takes a burgemeestersbesluit or politieverordening alone, and signs it."""

    item_id: uuid.UUID
    mayor_id: str


@dataclass(frozen=True)
class GiveLegalityAdvice:
    """The algemeen directeur advises on the legality of an item before it is tabled."""

    item_id: uuid.UUID
    verdict: AdviceVerdict
    reasoning: str
    # proven actor: replaced by the signed actor
    actor_person_id: str


@dataclass(frozen=True)
class SetUpCommittee:
    """The council sets up a committee: its seats, and each group's nominated members."""

    name: str
    seats: int
    nominations: Mapping[str, tuple[str, ...]]
    chair_id: str


# -- agenda ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleMeeting:
    body: BodyKind
    scheduled_at: dt.datetime
    location: str
    joint_with: uuid.UUID | None = None
    committee_id: uuid.UUID | None = None
    second_convocation_of: uuid.UUID | None = None


@dataclass(frozen=True)
class ConveneMeeting:
    meeting_id: uuid.UUID
    item_ids: tuple[uuid.UUID, ...]
    convened_by: str
    urgent: bool = False
    urgency_reason: str = ""


@dataclass(frozen=True)
class AddAgendaItem:
    meeting_id: uuid.UUID
    item_id: uuid.UUID
    added_by: str
    by_member: bool = False
    urgency_votes: int | None = None
    postponed_from: uuid.UUID | None = None


# -- session --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenSession:
    meeting_id: uuid.UUID
    present: tuple[str, ...]
    chair_id: str
    recorded_by: str = ""
    """Who records it: the secretariat or the algemeen directeur (the signed actor)."""


@dataclass(frozen=True)
class RecordLapse:
    """Fewer than a majority came: the meeting lapses (and a council may convene it a second time)."""

    meeting_id: uuid.UUID
    present: tuple[str, ...]
    recorded_by: str = ""
    """Who records it: the secretariat or the algemeen directeur (the signed actor)."""


@dataclass(frozen=True)
class TreatInClosedSession:
    """The members present decide, by 2/3 and with reasons, to treat a public item in closed session."""

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    reason: str
    open_votes: Mapping[str, VoteChoice]
    recorded_by: str = ""
    """Who records it: the secretariat or the algemeen directeur (the signed actor)."""


@dataclass(frozen=True)
class LeaveItem:
    meeting_id: uuid.UUID
    item_id: uuid.UUID
    person_id: str
    reason: str
    recorded_by: str = ""
    """Who records it: the secretariat or the algemeen directeur (the signed actor)."""


@dataclass(frozen=True)
class VoteOnItem:
    """One of `open_votes` (every member present for the item), `secret_tally`, or `election` ballots."""

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    open_votes: Mapping[str, VoteChoice] | None = None
    secret_tally: VoteTally | None = None
    election: ElectionBallots | None = None
    recorded_by: str = ""
    """Who records it: the secretariat or the algemeen directeur (the signed actor)."""


@dataclass(frozen=True)
class AdviseOnItem:
    """A committee's advice on a council item, voted openly (or by secret ballot about persons)."""

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    advice: str
    open_votes: Mapping[str, VoteChoice] | None = None
    secret_tally: VoteTally | None = None
    recorded_by: str = ""
    """Who records it: the secretariat or the algemeen directeur (the signed actor)."""


@dataclass(frozen=True)
class AmendItem:
    """An amendment and its vote: either `open_votes` or `secret_tally`."""

    meeting_id: uuid.UUID
    item_id: uuid.UUID
    text: str
    proposed_by: str
    open_votes: Mapping[str, VoteChoice] | None = None
    secret_tally: VoteTally | None = None
    recorded_by: str = ""
    """Who records it: the secretariat or the algemeen directeur (the signed actor)."""


@dataclass(frozen=True)
class PostponeItem:
    meeting_id: uuid.UUID
    item_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class CloseMeeting:
    meeting_id: uuid.UUID


# -- minutes and publication ----------------------------------------------------------------------


@dataclass(frozen=True)
class ApproveMinutes:
    meeting_id: uuid.UUID
    """The meeting in session that approves."""
    minutes_of: uuid.UUID
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignMinutes:
    meeting_id: uuid.UUID
    person_id: str
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class ScanPublicationTerms:
    as_of: dt.date | None = None


@dataclass(frozen=True)
class RevokeSignature:
    meeting_id: uuid.UUID
    person_id: str
    reason: str


@dataclass(frozen=True)
class PublishDocuments:
    meeting_id: uuid.UUID


# -- what other services tell meetings ------------------------------------------------------------


@dataclass(frozen=True)
class RecordBudgetCheck:
    """Finance checked the credit of an item."""

    item_id: uuid.UUID
    passed: bool
    visum_required: bool


@dataclass(frozen=True)
class RecordVisum:
    """The financial director granted or refused the visum on an item."""

    item_id: uuid.UUID
    granted: bool


@dataclass(frozen=True)
class RecordSeat:
    """A mandate started: a person sits in a body."""

    mandate_id: uuid.UUID
    person_id: str
    person_name: str
    body: BodyKind
    role: MandateRole
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None
    group: str | None = None


@dataclass(frozen=True)
class ChangeSeatStatus:
    """A mandate became effective, acting or prevented."""

    mandate_id: uuid.UUID
    status: MandateStatus


@dataclass(frozen=True)
class EndSeat:
    """A mandate ended."""

    mandate_id: uuid.UUID
    end: dt.date


@dataclass(frozen=True)
class RecordConsultation:
    """A union consultation was opened, or concluded with a protocol."""

    consultation_id: uuid.UUID
    concluded: bool
    protocol: str | None


@dataclass(frozen=True)
class RecordExecution:
    """Every follow-up task of a decision is done."""

    decision_id: uuid.UUID
    executed_at: dt.datetime
