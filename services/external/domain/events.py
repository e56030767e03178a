"""What happened in external (the translation maps these to outgoing contracts)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from shared.kernel import DomainEvent
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity

__all__ = [
    "OverrulingReported",
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
class SupervisionReportStatusChanged(DomainEvent):
    """The supervisory authority's answer to a sent report."""

    report_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    status: str
    reference: str
    changed_at: dt.datetime
