"""The one place where external meets the message contracts.

Consumed events become external's own commands; its domain events become the contracts it
publishes, with the envelope attributes they travel with.
"""

from __future__ import annotations

import functools

from services.external.domain import commands as own
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
from shared.vocabulary import BodyKind, DecisionKind, Entity, LegalEntity

__all__ = [
    "close_deadline",
    "designate_representative",
    "file_church_document",
    "outgoing",
    "queue_supervision_report",
    "record_management_agreement",
    "record_supervision_answer",
    "register_entity",
    "report_overruling",
    "scan_deadlines",
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


# -- the registry of external entities ------------------------------------------------------------


def register_entity(c: published.RegisterExternalEntity) -> own.RegisterEntity:
    return own.RegisterEntity(
        code=c.code,
        name=c.name,
        legal_form=c.legal_form,
        kbo=c.kbo,
        involvements=frozenset(c.involvements),
        municipal_entity=c.municipal_entity,
    )


def record_management_agreement(c: published.RecordManagementAgreement) -> own.RecordManagementAgreement:
    return own.RecordManagementAgreement(
        entity_code=c.entity_code,
        title=c.title,
        decision_id=c.decision_id,
        valid_from=c.valid_from,
        valid_until=c.valid_until,
        report_due_dates=c.report_due_dates,
    )


def file_church_document(c: published.FileChurchDocument) -> own.FileChurchDocument:
    return own.FileChurchDocument(
        entity_code=c.entity_code, kind=c.kind, title=c.title, received_on=c.received_on, advised_on=c.advised_on
    )


def close_deadline(c: published.CloseExternalDeadline) -> own.CloseDeadline:
    return own.CloseDeadline(deadline_id=c.deadline_id, outcome=c.outcome, on=c.on, decision_id=c.decision_id)


def scan_deadlines(c: published.ScanExternalDeadlines) -> own.ScanDeadlines:
    return own.ScanDeadlines(as_of=c.as_of)


def designate_representative(event: DecisionAdopted, _envelope: Envelope) -> own.DesignateRepresentative | None:
    """A designation decision that names an entity of the registry; None for every other decision.

    A designation without `designation` details designates elsewhere (a committee, say): not ours.
    """
    if event.kind is not DecisionKind.DESIGNATION or event.designation is None or event.elected is None:
        return None
    details = event.designation
    return own.DesignateRepresentative(
        decision_id=event.decision_id,
        body=event.body,
        entity=event.entity,
        entity_code=details.entity_code,
        person_id=event.elected.person_id,
        person_name=event.elected.name,
        role=details.role,
        term_start=details.term_start or event.effective_date,
        term_end=details.term_end,
        replaces_person_id=details.replaces_person_id,
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.EntityRegistered) -> Outgoing:
    e = event.entity
    return Outgoing(
        published.ExternalEntityRegistered(
            entity_id=e.entity_id,
            code=e.code,
            name=e.name,
            legal_form=e.legal_form,
            kbo=e.kbo,
            involvements=tuple(sorted(e.involvements)),
            municipal_entity=e.municipal_entity,
        ),
        subject_id=str(e.entity_id),
        entity=Entity.of(e.municipal_entity),
    )


@outgoing.register
def _(event: events.RepresentativeDesignated) -> Outgoing:
    r, e = event.representation, event.entity
    return Outgoing(
        published.RepresentativeDesignated(
            representation_id=r.representation_id,
            entity_id=e.entity_id,
            entity_code=e.code,
            person_id=r.person_id,
            person_name=r.person_name,
            role=r.role,
            decision_id=r.decision_id,
            body=_COUNCIL_OF[e.municipal_entity],
            term_start=r.term_start,
            term_end=r.term_end,
            replaces_person_id=r.replaces_person_id,
        ),
        subject_id=str(r.representation_id),
        entity=Entity.of(e.municipal_entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.RepresentationEnded) -> Outgoing:
    r, e = event.representation, event.entity
    assert r.ended_on is not None
    return Outgoing(
        published.RepresentationEnded(
            representation_id=r.representation_id,
            entity_id=e.entity_id,
            entity_code=e.code,
            person_id=r.person_id,
            ended_on=r.ended_on,
            replaced_by_person_id=event.replaced_by_person_id,
        ),
        subject_id=str(r.representation_id),
        entity=Entity.of(e.municipal_entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.ManagementAgreementRecorded) -> Outgoing:
    a, e = event.agreement, event.entity
    return Outgoing(
        published.ManagementAgreementRecorded(
            agreement_id=a.agreement_id,
            entity_id=e.entity_id,
            entity_code=e.code,
            title=a.title,
            decision_id=a.decision_id,
            valid_from=a.valid_from,
            valid_until=a.valid_until,
            report_due_dates=a.report_due_dates,
        ),
        subject_id=str(a.agreement_id),
        entity=Entity.of(e.municipal_entity),
    )


@outgoing.register
def _(event: events.DeadlineOpened) -> Outgoing:
    d, e = event.deadline, event.entity
    return Outgoing(
        published.ExternalDeadlineOpened(
            deadline_id=d.deadline_id,
            entity_id=e.entity_id,
            entity_code=e.code,
            kind=d.kind,
            title=d.title,
            opened_on=d.opened_on,
            due_on=d.due_on,
            silence=d.silence,
            municipal_entity=e.municipal_entity,
            follow_up=event.follow_up,
        ),
        subject_id=str(d.deadline_id),
        entity=Entity.of(e.municipal_entity),
    )


@outgoing.register
def _(event: events.DeadlineMet) -> Outgoing:
    d, e = event.deadline, event.entity
    assert d.outcome is not None
    assert d.closed_on is not None
    return Outgoing(
        published.ExternalDeadlineMet(
            deadline_id=d.deadline_id,
            entity_id=e.entity_id,
            entity_code=e.code,
            kind=d.kind,
            outcome=d.outcome,
            closed_on=d.closed_on,
            decision_id=d.decision_id,
        ),
        subject_id=str(d.deadline_id),
        entity=Entity.of(e.municipal_entity),
    )


@outgoing.register
def _(event: events.DeadlineLapsed) -> Outgoing:
    d, e = event.deadline, event.entity
    assert d.outcome is not None
    assert d.closed_on is not None
    return Outgoing(
        published.ExternalDeadlineLapsed(
            deadline_id=d.deadline_id,
            entity_id=e.entity_id,
            entity_code=e.code,
            kind=d.kind,
            title=d.title,
            due_on=d.due_on,
            lapsed_on=d.closed_on,
            silence=d.silence,
            outcome=d.outcome,
            municipal_entity=e.municipal_entity,
            follow_up=event.follow_up,
        ),
        subject_id=str(d.deadline_id),
        entity=Entity.of(e.municipal_entity),
    )


_COUNCIL_OF = {LegalEntity.GEMEENTE: BodyKind.GEMEENTERAAD, LegalEntity.OCMW: BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}


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
