"""What happened in meetings (the translation maps these to outgoing contracts).

Events of agenda items and decisions carry what may leave meetings: the command handlers build
them with the domain's redaction (`decision.outgoing_title`, `decision.outgoing_impact`), so a
social-welfare item leaves with a neutral title, no motivation and no third party.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.kernel import DomainEvent
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
    FinancialImpact,
    FollowUpAction,
    LegalEntity,
    LegalityAdvice,
    VoteTally,
)

__all__ = [
    "AgendaItemChecked",
    "AgendaItemProposed",
    "AgendaLine",
    "AgendaPublished",
    "DecisionAdopted",
    "DecisionRejected",
    "DocumentPublished",
    "MeetingClosed",
    "MeetingScheduled",
    "MinutesApproved",
    "MinutesSigned",
]


@dataclass(frozen=True)
class AgendaItemProposed(DomainEvent):
    """An item was proposed (finance checks the credit when it has a financial impact)."""

    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    kind: DecisionKind
    confidentiality: Confidentiality
    financial_impact: FinancialImpact | None
    proposed_at: dt.datetime
    budget_change_id: uuid.UUID | None = None
    """The plan, plan change or carry-over staged in finance that the item puts before the body."""


@dataclass(frozen=True)
class AgendaItemChecked(DomainEvent):
    """Finance's budget check or the visum was recorded on an item (the proposer asks its readiness)."""

    item_id: uuid.UUID
    entity: LegalEntity
    confidentiality: Confidentiality
    budget_check: str
    visum: str


@dataclass(frozen=True)
class DecisionAdopted(DomainEvent):
    """A body adopted a decision: everything downstream services need to carry it out."""

    decision_id: uuid.UUID
    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    kind: DecisionKind
    title: str
    motivation: str
    legal_basis: str
    confidentiality: Confidentiality
    votes: VoteTally
    adopted_at: dt.datetime
    effective_date: dt.date
    financial_impact: FinancialImpact | None
    follow_up_actions: tuple[FollowUpAction, ...]
    meeting_id: uuid.UUID | None
    secret_ballot: bool
    appointment: AppointmentDetails | None
    delegation: DelegationDetails | None
    budget_change_id: uuid.UUID | None
    consultation_id: uuid.UUID | None
    overrules_item_id: uuid.UUID | None
    elected: Candidate | None = None
    signed_by: str | None = None
    reportable: bool = False
    discipline: DisciplineDetails | None = None
    organogram_version: int | None = None
    designation: DesignationDetails | None = None
    district: str | None = None
    decision_type: str | None = None
    relations: tuple[DecisionRelation, ...] = ()
    legality_advice: LegalityAdvice | None = None


@dataclass(frozen=True)
class DecisionRejected(DomainEvent):
    """A body voted an item down (a tie rejects)."""

    decision_id: uuid.UUID
    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    confidentiality: Confidentiality
    votes: VoteTally
    rejected_at: dt.datetime


@dataclass(frozen=True)
class MeetingScheduled(DomainEvent):
    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    location: str
    joint_group_id: uuid.UUID | None


@dataclass(frozen=True)
class AgendaLine:
    """One line of a published agenda; a closed item is announced without its subject."""

    position: int
    item_id: uuid.UUID
    title: str
    kind: DecisionKind
    public: bool
    origin: str
    legality_advice: AdviceVerdict | None = None


@dataclass(frozen=True)
class AgendaPublished(DomainEvent):
    """The (amended) agenda was published; `version` counts the publications."""

    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    version: int
    items: tuple[AgendaLine, ...]
    urgent: bool = False
    second_convocation: bool = False


@dataclass(frozen=True)
class MeetingClosed(DomainEvent):
    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    adopted: int
    rejected: int
    postponed: int


@dataclass(frozen=True)
class MinutesApproved(DomainEvent):
    meeting_id: uuid.UUID
    approved_in: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    comments: int


@dataclass(frozen=True)
class MinutesSigned(DomainEvent):
    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    acting_director: str | None = None


@dataclass(frozen=True)
class PublicationTermNearing(DomainEvent):
    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    document_kind: str
    due_on: dt.date


@dataclass(frozen=True)
class PublicationTermMissed(DomainEvent):
    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    document_kind: str
    due_on: dt.date
    missed_on: dt.date


@dataclass(frozen=True)
class MinutesSignatureRevoked(DomainEvent):
    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    person_id: str
    role: str
    reason: str
    revoked_at: dt.datetime


@dataclass(frozen=True)
class DocumentPublished(DomainEvent):
    """A document was put online and entered in the publication register."""

    document_id: uuid.UUID
    kind: str
    meeting_id: uuid.UUID
    decision_id: uuid.UUID | None
    body: BodyKind
    entity: LegalEntity
    title: str
    content: Mapping[str, Any]
    content_hash: str
    register_hash: str
    published_at: dt.datetime
    due_on: dt.date
    on_time: bool
    reportable: bool
    district: str | None = None
