"""What external does when other services tell it something; the messaging wrapper commits."""

from __future__ import annotations

import uuid

from services.external.domain import events
from services.external.domain.commands import (
    DesignateRepresentative,
    QueueSupervisionReport,
    ReportOverruling,
    SubmitWithPublication,
)
from services.external.domain.model import (
    ReportingPolicy,
    on_publication_day,
    overruling_report,
    report_for,
    waiting_reports,
)
from services.external.domain.registry import representation_from
from services.external.service_layer.commands.registry import entity_named
from services.external.service_layer.ports import ExternalUnitOfWork
from shared.clock import Clock
from shared.logging import get_logger

__all__ = ["ExternalReactions"]

log = get_logger(__name__)


class ExternalReactions:
    """Supervision reporting (meldingsplicht): queue reportable decisions, send them when published;
    report every visum overruling at once."""

    def __init__(self, policy: ReportingPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def queue_supervision_report(self, uow: ExternalUnitOfWork, cmd: QueueSupervisionReport) -> None:
        """Queue a reportable decision for the supervisory authority and announce it.

        The table of decision types decides (meldingsplicht): a reportable type goes with its full
        text, any decision of a council, RMW or district council as a line of its decision list;
        other college, vast bureau and burgemeester decisions and every BCSD decision are not
        reported. The report goes out the day the decision is published, so it waits for publication.
        """
        report = report_for(cmd, self._policy, report_id=uuid.uuid4(), now=self._clock())
        if report is None:
            return
        if not await uow.reports.add(report):
            log.info("decision already queued for supervision", decision_id=str(cmd.decision_id))
            return
        uow.emit(
            events.SupervisionReportQueued(
                report_id=report.report_id,
                decision_id=report.decision_id,
                body=report.body,
                entity=report.entity,
                title=report.title,
                confidentiality=cmd.confidentiality,
                decision_type=report.decision_type,
                full_text=report.full_text,
            )
        )

    async def submit_with_publication(self, uow: ExternalUnitOfWork, cmd: SubmitWithPublication) -> None:
        """Send the waiting reports with the document that publishes them, the same day.

        A decision list submits every waiting report of its meeting; a regulation its own decision.
        """
        which = waiting_reports(cmd)
        if which is None:
            return
        waiting = await uow.reports.awaiting(
            meeting_id=which.meeting_id, decision_id=which.decision_id, full_text=which.full_text
        )
        now = self._clock()
        for report in waiting:
            sent = report.submitted(document_id=cmd.document_id, document_hash=cmd.document_hash, at=now)
            await uow.reports.update(sent)
            uow.emit(
                events.SupervisionReportSubmitted(
                    report_id=sent.report_id,
                    decision_id=sent.decision_id,
                    entity=sent.entity,
                    document_id=cmd.document_id,
                    document_kind=cmd.document_kind,
                    document_hash=cmd.document_hash,
                    published_at=cmd.published_at,
                    submitted_at=now,
                    same_day=on_publication_day(cmd.published_at, now),
                )
            )

    async def report_overruling(self, uow: ExternalUnitOfWork, cmd: ReportOverruling) -> None:
        """Report the college's or vast bureau's overruling of a refused visum to the supervisory authority.

        Every overruling is reported, the moment finance records it: it is a separate decision taken on
        the executive's own responsibility against the financial director's reasoned refusal.
        """
        if not self._policy.overrulings_reported(cmd.body):
            log.info("overrulings of this body are not reported", body=cmd.body.value)
            return
        report = overruling_report(cmd, report_id=uuid.uuid4(), now=self._clock())
        if not await uow.overrulings.add(report):
            log.info("overruling already reported", overruling_id=str(cmd.overruling_id))
            return
        uow.emit(
            events.OverrulingReported(
                report_id=report.report_id,
                overruling_id=report.overruling_id,
                decision_id=report.decision_id,
                item_id=report.item_id,
                body=report.body,
                entity=report.entity,
                amount=report.amount,
                refusal_reasons=report.refusal_reasons,
                overruled_at=report.overruled_at,
                reported_at=report.reported_at,
                confidentiality=cmd.confidentiality,
            )
        )

    async def designate_representative(self, uow: ExternalUnitOfWork, cmd: DesignateRepresentative) -> None:
        """A council's designation decision makes the elected person its representative in the entity.

        A designation that replaces someone ends their representation the day before the new term
        starts. The same decision arriving again changes nothing. A decision naming an entity the
        registry does not have, or adopted by a body that does not designate there, is dead-lettered.
        """
        entity = await entity_named(uow, cmd.entity_code)
        representation = representation_from(
            representation_id=uuid.uuid4(),
            entity=entity,
            body=cmd.body,
            decision_entity=cmd.entity,
            decision_id=cmd.decision_id,
            person_id=cmd.person_id,
            person_name=cmd.person_name,
            role=cmd.role,
            term_start=cmd.term_start,
            term_end=cmd.term_end,
            replaces_person_id=cmd.replaces_person_id,
        )
        if not await uow.representations.add(representation):
            log.info("designation already recorded", decision_id=str(cmd.decision_id))
            return
        uow.emit(events.RepresentativeDesignated(representation, entity, cmd.confidentiality))
        if cmd.replaces_person_id is None:
            return
        replaced = await uow.representations.current(entity.entity_id, cmd.replaces_person_id)
        if replaced is None or replaced.representation_id == representation.representation_id:
            log.warning(
                "designation replaces nobody in the entity", entity=entity.code, person_id=cmd.replaces_person_id
            )
            return
        ended = replaced.replaced_from(representation.term_start)
        assert ended.ended_on is not None
        await uow.representations.end(ended.representation_id, ended.ended_on)
        uow.emit(events.RepresentationEnded(ended, entity, cmd.person_id, cmd.confidentiality))
