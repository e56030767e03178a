"""What happened in hr (the translation maps these to outgoing contracts)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from services.hr.domain.commands import AdoptedDecision
from services.hr.domain.delegations import Delegation
from services.hr.domain.personnel import ConsultationFile, Employment
from shared.kernel import DomainEvent, Refusal
from shared.vocabulary import Confidentiality, DelegationPower, LegalEntity

__all__ = [
    "AppointmentRefused",
    "ConsultationConcluded",
    "ConsultationOpened",
    "DecisionFlagged",
    "DelegationGranted",
    "DelegationRevoked",
    "DisciplineImposed",
    "DisciplineRefused",
    "StaffAppointed",
    "StaffDismissed",
]


@dataclass(frozen=True)
class DelegationGranted(DomainEvent):
    """A delegation passed the rules and is stored."""

    delegation: Delegation


@dataclass(frozen=True)
class DelegationRevoked(DomainEvent):
    """A delegation ended before its term (itself, or the one it rests on, was revoked)."""

    delegation_id: uuid.UUID
    to_person_id: str
    power: DelegationPower
    entity: LegalEntity
    revoked_at: dt.datetime
    reason: str


@dataclass(frozen=True)
class StaffAppointed(DomainEvent):
    """An adopted appointment created an employment."""

    employment: Employment
    decision_id: uuid.UUID
    confidentiality: Confidentiality
    """Never public: it is about a person."""


@dataclass(frozen=True)
class StaffDismissed(DomainEvent):
    """A decision ended one employment (`end_date` is its last day); the person's other employments run on."""

    employment_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    end_date: dt.date
    decision_id: uuid.UUID
    confidentiality: Confidentiality
    """Never public: it is about a person."""
    remains_employed: bool = False
    """Another employment of the person runs on without end."""
    in_service_until: dt.date | None = None
    """Otherwise the last day of the person's service (the latest end of their employments)."""
    cause: str = "dismissal"
    """`dismissal`, or the disciplinary sanction that ended the employment."""


@dataclass(frozen=True)
class DisciplineImposed(DomainEvent):
    """A sanction was imposed in a case by its competent authority, after the hearing, with reasons."""

    case_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    employment_id: uuid.UUID
    sanction: str
    authority: str
    """A body's code, or `algemeen_directeur`."""
    decision_id: uuid.UUID
    decided_on: dt.date
    takes_effect_on: dt.date
    ends_employment: bool
    confidentiality: Confidentiality
    """Never public: it is about a person."""


@dataclass(frozen=True)
class DisciplineRefused(DomainEvent):
    """A body's disciplinary decision was not applied, and why."""

    decision: AdoptedDecision
    case_id: uuid.UUID | None
    person_id: str | None
    refusal: Refusal
    confidentiality: Confidentiality
    """Never public: it is about a person."""


@dataclass(frozen=True)
class AppointmentRefused(DomainEvent):
    """An adopted appointment or dismissal was not applied, and why."""

    decision: AdoptedDecision
    person_id: str | None
    position: str | None
    refusal: Refusal
    confidentiality: Confidentiality
    """Never public: it is about a person."""


@dataclass(frozen=True)
class DecisionFlagged(DomainEvent):
    """An adopted decision hr cannot carry out as decided (a refused delegation, staff rules without BOC)."""

    decision: AdoptedDecision
    refusal: Refusal


@dataclass(frozen=True)
class ConsultationOpened(DomainEvent):
    """A union consultation (BOC) file was opened."""

    file: ConsultationFile


@dataclass(frozen=True)
class ConsultationConcluded(DomainEvent):
    """The BOC met and its protocol is recorded."""

    consultation_id: uuid.UUID
    entity: LegalEntity
    protocol_reference: str
    concluded_on: dt.date
