"""One handler per event; the messaging wrapper owns commit, inbox and acknowledgement."""

from __future__ import annotations

import datetime as dt

from services.external.domain.model import ReportingPolicy, report_for
from services.external.service_layer.ports import ExternalUnitOfWork
from shared.contracts.base import Entity
from shared.contracts.external import SupervisionReportQueued, SupervisionReportSubmitted
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import DocumentPublished
from shared.logging import get_logger
from shared.messaging.envelope import Envelope

__all__ = ["queue_supervision_report", "submit_with_publication"]

log = get_logger(__name__)

_DEFAULT_POLICY = ReportingPolicy()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def queue_supervision_report(
    uow: ExternalUnitOfWork,
    event: DecisionAdopted,
    _envelope: Envelope,
    *,
    policy: ReportingPolicy = _DEFAULT_POLICY,
) -> None:
    """Queue a reportable decision for the supervisory authority and announce it.

    Council and social welfare council decisions are reportable (meldingsplicht); college,
    vast bureau and BCSD decisions are not. The report goes out the day the decision is
    published, so it waits for publication.
    """
    report = report_for(event, policy, now=_now())
    if report is None:
        return
    if not await uow.reports.add(report):
        log.info("decision already queued for supervision", decision_id=str(event.decision_id))
        return
    uow.emit(
        SupervisionReportQueued(
            report_id=report.report_id,
            decision_id=report.decision_id,
            body=report.body,
            entity=report.entity,
            title=report.title,
        ),
        subject_id=str(report.report_id),
        entity=Entity(report.entity.value),
        # A closed-session decision is still reported, but its title stays closed downstream.
        confidentiality=event.confidentiality,
    )


async def submit_with_publication(uow: ExternalUnitOfWork, event: DocumentPublished, _envelope: Envelope) -> None:
    """Send the waiting reports with the document that publishes them, the same day.

    A decision list submits every waiting report of its meeting; a regulation its own decision.
    """
    if not event.reportable:
        return
    if event.kind == "regulation" and event.decision_id is not None:
        waiting = await uow.reports.awaiting(decision_id=event.decision_id)
    elif event.kind == "decision_list":
        waiting = await uow.reports.awaiting(meeting_id=event.meeting_id)
    else:
        return
    now = _now()
    for report in waiting:
        sent = report.submitted(document_id=event.document_id, document_hash=event.content_hash, at=now)
        await uow.reports.update(sent)
        uow.emit(
            SupervisionReportSubmitted(
                report_id=sent.report_id,
                decision_id=sent.decision_id,
                document_id=event.document_id,
                document_kind=event.kind,
                document_hash=event.content_hash,
                published_at=event.published_at,
                submitted_at=now,
                same_day=now.date() == event.published_at.date(),
            ),
            subject_id=str(sent.report_id),
            entity=Entity(sent.entity.value),
        )
