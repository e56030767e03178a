"""Contracts of the `external` service: reporting to the supervisory authority."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import Field

from shared.contracts.base import Command, Event, LegalEntity, Money
from shared.contracts.common import BodyKind

__all__ = [
    "RecordSupervisionAnswer",
    "SupervisionReportQueued",
    "SupervisionReportStatusChanged",
    "SupervisionReportSubmitted",
    "VisumOverrulingReported",
]

SupervisionAnswer = Literal["acknowledged", "complaint_received", "annulled"]


class RecordSupervisionAnswer(Command):
    """What the supervisory authority answered to a sent report: it acknowledged it, a complaint about the
    decision reached it, or it annulled the decision."""

    NAME = "record_supervision_answer"
    SERVICE = "external"

    report_id: uuid.UUID
    status: SupervisionAnswer
    reference: Annotated[str, Field(min_length=1, max_length=200)]
    """The authority's reference (Loket dossier, letter, complaint number)."""


class SupervisionReportStatusChanged(Event):
    """A sent report was acknowledged, a complaint about its decision was received, or the decision was
    annulled (the annulment must be mentioned where the decision was published)."""

    SUBJECT = "external.supervision_report.status_changed"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    status: SupervisionAnswer
    reference: str
    changed_at: dt.datetime


class SupervisionReportQueued(Event):
    """A reportable decision awaits publication; it goes to the supervisor the same day."""

    SUBJECT = "external.supervision_report.queued"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    decision_type: str | None = None
    """The besluittype concept it is filed under (the table of decision types); None in older messages."""
    full_text: bool = False
    """It goes with the decision's own full-text document, not as a line of the decision list."""


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
