"""Contracts of the `external` service: reporting to the supervisory authority."""

from __future__ import annotations

import uuid

from shared.contracts.base import Event, LegalEntity
from shared.contracts.common import BodyKind

__all__ = ["SupervisionReportQueued"]


class SupervisionReportQueued(Event):
    """A reportable decision awaits publication; it goes to the supervisor the same day."""

    SUBJECT = "external.supervision_report.queued"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
