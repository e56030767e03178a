"""The commands records carries out: its own, translated from contracts (`adapters/translation.py`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from services.records.domain.access import Redaction
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity, MandateRole, MandateStatus

__all__ = [
    "AcknowledgeComplaint",
    "AnswerComplaint",
    "ApproveDestruction",
    "AssignComplaint",
    "DecideAccessRequest",
    "DestroyRecords",
    "DraftLetter",
    "EndSeat",
    "ExtendAccessRequest",
    "FileRecord",
    "KeepDelegation",
    "KeepSeat",
    "RecordCommitteePermission",
    "RegisterAccessRequest",
    "RegisterComplaint",
    "RegisterLetter",
    "RevokeDelegation",
    "ScanDeadlines",
    "SendLetter",
    "SetSeatStatus",
    "SignLetter",
]


@dataclass(frozen=True)
class RegisterLetter:
    entity: LegalEntity
    sender: str
    subject: str
    received_on: dt.date
    channel: str
    unit_code: str
    answer_days: int | None
    confidentiality: Confidentiality


@dataclass(frozen=True)
class DraftLetter:
    entity: LegalEntity
    issuer: BodyKind
    addressee: str
    subject: str
    in_reply_to: uuid.UUID | None
    confidentiality: Confidentiality


@dataclass(frozen=True)
class SignLetter:
    letter_id: uuid.UUID
    person_id: str
    capacity: str


@dataclass(frozen=True)
class SendLetter:
    letter_id: uuid.UUID


@dataclass(frozen=True)
class RegisterComplaint:
    entity: LegalEntity
    complainant: str
    subject: str
    service_concerned: str
    received_on: dt.date
    channel: str


@dataclass(frozen=True)
class AcknowledgeComplaint:
    complaint_id: uuid.UUID


@dataclass(frozen=True)
class AssignComplaint:
    complaint_id: uuid.UUID
    handler_person_id: str
    handler_unit: str


@dataclass(frozen=True)
class AnswerComplaint:
    complaint_id: uuid.UUID
    person_id: str
    outcome: str
    answer: str


@dataclass(frozen=True)
class RegisterAccessRequest:
    entity: LegalEntity
    applicant: str
    address: str
    document: str
    record_id: uuid.UUID | None
    form: str
    channel: str


@dataclass(frozen=True)
class ExtendAccessRequest:
    request_id: uuid.UUID
    person_id: str
    reason: str


@dataclass(frozen=True)
class DecideAccessRequest:
    request_id: uuid.UUID
    person_id: str
    outcome: str
    grounds: tuple[str, ...]
    redactions: tuple[Redaction, ...]


@dataclass(frozen=True)
class FileRecord:
    """A record to file: by command, or from another service's news (`source` keeps it once)."""

    source: str
    series: str
    entity: LegalEntity
    title: str
    dated: dt.date
    confidentiality: Confidentiality


@dataclass(frozen=True)
class RecordCommitteePermission:
    record_id: uuid.UUID
    reference: str
    granted_on: dt.date


@dataclass(frozen=True)
class ApproveDestruction:
    record_ids: tuple[uuid.UUID, ...]
    person_id: str


@dataclass(frozen=True)
class DestroyRecords:
    record_ids: tuple[uuid.UUID, ...]
    person_id: str


@dataclass(frozen=True)
class ScanDeadlines:
    as_of: dt.date


@dataclass(frozen=True)
class KeepSeat:
    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    role: MandateRole
    status: MandateStatus
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class SetSeatStatus:
    mandate_id: uuid.UUID
    status: MandateStatus


@dataclass(frozen=True)
class EndSeat:
    mandate_id: uuid.UUID
    end: dt.date


@dataclass(frozen=True)
class KeepDelegation:
    delegation_id: uuid.UUID
    from_person_id: str
    to_person_id: str
    power: str
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None


@dataclass(frozen=True)
class RevokeDelegation:
    delegation_id: uuid.UUID
    revoked_at: dt.datetime
