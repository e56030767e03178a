"""Contracts of the `external` service: reporting to the supervisory authority."""

from __future__ import annotations

import datetime as dt
import uuid

from shared.contracts.base import Event, LegalEntity, Money
from shared.contracts.common import BodyKind

__all__ = ["SupervisionReportQueued", "SupervisionReportSubmitted", "VisumOverrulingReported"]


class SupervisionReportQueued(Event):
    """A reportable decision awaits publication; it goes to the supervisor the same day."""

    SUBJECT = "external.supervision_report.queued"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str


class SupervisionReportSubmitted(Event):
    """A reportable decision went to the supervisory authority with its published document."""

    SUBJECT = "external.supervision_report.submitted"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    document_id: uuid.UUID
    document_kind: str
    document_hash: str
    """The hash in the publication register, so the supervisor can check what it received."""
    published_at: dt.datetime
    submitted_at: dt.datetime
    same_day: bool
    """Submitted on the day of publication, as the meldingsplicht requires."""


class VisumOverrulingReported(Event):
    """The college or vast bureau overruled a refused visum; the overruling went to the supervisory
    authority (Loket type "Besluit overruling visum") the moment finance recorded it."""

    SUBJECT = "external.visum_overruling.reported"

    report_id: uuid.UUID
    overruling_id: uuid.UUID
    decision_id: uuid.UUID
    """The overruling decision."""
    item_id: uuid.UUID
    """The agenda item, or the budget holder's intended commitment, whose visum was refused."""
    body: BodyKind
    entity: LegalEntity
    amount: Money
    refusal_reasons: tuple[str, ...]
    """The financial director's reasons, as the supervisor must weigh them."""
    overruled_at: dt.datetime
    reported_at: dt.datetime
