"""What happened in external (the translation maps these to outgoing contracts)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from services.external.domain.deadlines import Deadline
from services.external.domain.registry import ExternalEntity, ManagementAgreement, Representation
from shared.kernel import DomainEvent
from shared.vocabulary import BodyKind, Confidentiality, FollowUpAction, LegalEntity

__all__ = [
    "DeadlineLapsed",
    "DeadlineMet",
    "DeadlineOpened",
    "EntityRegistered",
    "ManagementAgreementRecorded",
    "OverrulingReported",
    "RepresentationEnded",
    "RepresentativeDesignated",
    "SupervisionReportQueued",
    "SupervisionReportStatusChanged",
    "SupervisionReportSubmitted",
]


@dataclass(frozen=True)
class SupervisionReportQueued(DomainEvent):
    """A reportable decision awaits publication; it goes to the supervisor the same day."""

    report_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    confidentiality: Confidentiality
    """The decision's: a closed-session decision is reported, but its title stays closed downstream."""
    decision_type: str | None = None
    full_text: bool = False


@dataclass(frozen=True)
class SupervisionReportSubmitted(DomainEvent):
    """A reportable decision went to the supervisory authority with its published document."""

    report_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    document_id: uuid.UUID
    document_kind: str
    document_hash: str
    published_at: dt.datetime
    submitted_at: dt.datetime
    same_day: bool
    """Submitted on the day of publication, as the meldingsplicht requires."""


@dataclass(frozen=True)
class OverrulingReported(DomainEvent):
    """A visum overruling went to the supervisory authority."""

    report_id: uuid.UUID
    overruling_id: uuid.UUID
    decision_id: uuid.UUID
    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    amount: Decimal
    refusal_reasons: tuple[str, ...]
    overruled_at: dt.datetime
    reported_at: dt.datetime
    confidentiality: Confidentiality


@dataclass(frozen=True)
class EntityRegistered(DomainEvent):
    """An external entity entered the registry."""

    entity: ExternalEntity


@dataclass(frozen=True)
class RepresentativeDesignated(DomainEvent):
    """A council's designation decision made someone the municipality's representative in an entity."""

    representation: Representation
    entity: ExternalEntity
    confidentiality: Confidentiality
    """The decision's (a designation is a decision about persons, taken in closed session by default)."""


@dataclass(frozen=True)
class RepresentationEnded(DomainEvent):
    """A representative was replaced by a later designation: their representation ended."""

    representation: Representation
    entity: ExternalEntity
    replaced_by_person_id: str
    confidentiality: Confidentiality


@dataclass(frozen=True)
class ManagementAgreementRecorded(DomainEvent):
    """The council approved a management agreement; its reports are tracked as deadlines."""

    agreement: ManagementAgreement
    entity: ExternalEntity


@dataclass(frozen=True)
class DeadlineOpened(DomainEvent):
    """A legal term started on an entity's document or report; the follow-up unit gets a task."""

    deadline: Deadline
    entity: ExternalEntity
    follow_up: FollowUpAction


@dataclass(frozen=True)
class DeadlineMet(DomainEvent):
    """The council decided within the term, or the report came in on time."""

    deadline: Deadline
    entity: ExternalEntity


@dataclass(frozen=True)
class DeadlineLapsed(DomainEvent):
    """A term passed without a decision: silence decided (a multi-year plan is approved); a follow-up task."""

    deadline: Deadline
    entity: ExternalEntity
    follow_up: FollowUpAction


@dataclass(frozen=True)
class SupervisionReportStatusChanged(DomainEvent):
    """The supervisory authority's answer to a sent report."""

    report_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    status: str
    reference: str
    changed_at: dt.datetime
