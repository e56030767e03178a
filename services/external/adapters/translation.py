"""The one place where external meets the message contracts.

Consumed events become external's own commands; its domain events become the contracts it
publishes, with the envelope attributes they travel with.
"""

from __future__ import annotations

import functools

from services.external.domain import events
from services.external.domain.commands import (
    QueueSupervisionReport,
    RecordSupervisionAnswer,
    ReportOverruling,
    SubmitWithPublication,
)
from shared.contracts import external as published
from shared.contracts.finance import VisumOverruled
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import DocumentPublished
from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import Entity

__all__ = [
    "outgoing",
    "queue_supervision_report",
    "record_supervision_answer",
    "report_overruling",
    "submit_with_publication",
]


def record_supervision_answer(c: published.RecordSupervisionAnswer) -> RecordSupervisionAnswer:
    return RecordSupervisionAnswer(report_id=c.report_id, status=c.status, reference=c.reference)


def queue_supervision_report(event: DecisionAdopted, _envelope: Envelope) -> QueueSupervisionReport:
    """An adopted decision, with the confidentiality it was taken in."""
    return QueueSupervisionReport(
        decision_id=event.decision_id,
        body=event.body,
        entity=event.entity,
        title=event.title,
        confidentiality=event.confidentiality,
        kind=event.kind,
        meeting_id=event.meeting_id,
    )


def submit_with_publication(event: DocumentPublished, _envelope: Envelope) -> SubmitWithPublication | None:
    """A published document; None when meetings marks it not reportable (minutes, college lists)."""
    if not event.reportable:
        return None
    return SubmitWithPublication(
        document_id=event.document_id,
        document_kind=event.kind,
        document_hash=event.content_hash,
        meeting_id=event.meeting_id,
        decision_id=event.decision_id,
        published_at=event.published_at,
    )


def report_overruling(event: VisumOverruled, envelope: Envelope) -> ReportOverruling:
    """An overruling finance recorded, with the confidentiality of the overruling decision."""
    return ReportOverruling(
        overruling_id=event.overruling_id,
        decision_id=event.decision_id,
        item_id=event.item_id,
        body=event.body,
        entity=event.entity,
        amount=event.amount,
        refusal_reasons=event.refusal_reasons,
        overruled_at=event.overruled_at,
        confidentiality=envelope.confidentiality,
    )


@functools.singledispatch
def outgoing(event: DomainEvent) -> Outgoing:
    """The contract a domain event is published as."""
    raise TypeError(f"external publishes no {type(event).__name__}")


@outgoing.register
def _(event: events.SupervisionReportQueued) -> Outgoing:
    return Outgoing(
        published.SupervisionReportQueued(
            report_id=event.report_id,
            decision_id=event.decision_id,
            body=event.body,
            entity=event.entity,
            title=event.title,
            decision_type=event.decision_type,
            full_text=event.full_text,
        ),
        subject_id=str(event.report_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.SupervisionReportSubmitted) -> Outgoing:
    return Outgoing(
        published.SupervisionReportSubmitted(
            report_id=event.report_id,
            decision_id=event.decision_id,
            document_id=event.document_id,
            document_kind=event.document_kind,
            document_hash=event.document_hash,
            published_at=event.published_at,
            submitted_at=event.submitted_at,
            same_day=event.same_day,
        ),
        subject_id=str(event.report_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.OverrulingReported) -> Outgoing:
    return Outgoing(
        published.VisumOverrulingReported(
            report_id=event.report_id,
            overruling_id=event.overruling_id,
            decision_id=event.decision_id,
            item_id=event.item_id,
            body=event.body,
            entity=event.entity,
            amount=event.amount,
            refusal_reasons=event.refusal_reasons,
            overruled_at=event.overruled_at,
            reported_at=event.reported_at,
        ),
        subject_id=str(event.report_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.SupervisionReportStatusChanged) -> Outgoing:
    status: published.SupervisionAnswer
    if event.status == "acknowledged":
        status = "acknowledged"
    elif event.status == "complaint_received":
        status = "complaint_received"
    else:
        status = "annulled"
    return Outgoing(
        published.SupervisionReportStatusChanged(
            report_id=event.report_id,
            decision_id=event.decision_id,
            entity=event.entity,
            status=status,
            reference=event.reference,
            changed_at=event.changed_at,
        ),
        subject_id=str(event.report_id),
        entity=Entity.of(event.entity),
    )
