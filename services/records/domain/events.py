"""Domain events of records: each carries the register entry as it stands after the change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.records.domain.access import AccessRequest
from services.records.domain.archive import ArchiveRecord, DestructionStatement
from services.records.domain.complaints import Complaint
from services.records.domain.letters import Letter, Signature
from shared.kernel import DomainEvent

__all__ = [
    "AccessRequestDecided",
    "AccessRequestExtended",
    "AccessRequestOverdue",
    "AccessRequestRegistered",
    "ArchiveRecordFiled",
    "ArchiveRecordsDestroyed",
    "ComplaintAcknowledged",
    "ComplaintAnswered",
    "ComplaintOverdue",
    "ComplaintRegistered",
    "LetterAnswered",
    "LetterOverdue",
    "LetterRegistered",
    "LetterSent",
    "LetterSigned",
]


@dataclass(frozen=True)
class LetterRegistered(DomainEvent):
    letter: Letter


@dataclass(frozen=True)
class LetterSigned(DomainEvent):
    letter: Letter
    signature: Signature


@dataclass(frozen=True)
class LetterSent(DomainEvent):
    letter: Letter


@dataclass(frozen=True)
class LetterAnswered(DomainEvent):
    letter: Letter


@dataclass(frozen=True)
class LetterOverdue(DomainEvent):
    letter: Letter


@dataclass(frozen=True)
class ComplaintRegistered(DomainEvent):
    complaint: Complaint


@dataclass(frozen=True)
class ComplaintAcknowledged(DomainEvent):
    complaint: Complaint


@dataclass(frozen=True)
class ComplaintAnswered(DomainEvent):
    complaint: Complaint


@dataclass(frozen=True)
class ComplaintOverdue(DomainEvent):
    complaint: Complaint
    escalated_to: str


@dataclass(frozen=True)
class AccessRequestRegistered(DomainEvent):
    request: AccessRequest


@dataclass(frozen=True)
class AccessRequestExtended(DomainEvent):
    request: AccessRequest


@dataclass(frozen=True)
class AccessRequestDecided(DomainEvent):
    request: AccessRequest
    on_time: bool
    appeal_body: str


@dataclass(frozen=True)
class AccessRequestOverdue(DomainEvent):
    request: AccessRequest


@dataclass(frozen=True)
class ArchiveRecordFiled(DomainEvent):
    record: ArchiveRecord


@dataclass(frozen=True)
class ArchiveRecordsDestroyed(DomainEvent):
    statement: DestructionStatement
    on: dt.date
