"""Reporting adopted decisions to the supervisory authority (meldingsplicht, DOMAIN §4)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from services.external.domain.commands import QueueSupervisionReport, ReportOverruling, SubmitWithPublication
from shared.kernel import RuleViolation
from shared.lblod.decision_types import DecisionType, DecisionTypeTable, Reported, decision_type_table
from shared.vocabulary import BodyKind, DecisionKind, LegalEntity

__all__ = [
    "NEVER_REPORTED",
    "NEXT_STATUS",
    "OverrulingReport",
    "ReportStatus",
    "ReportingPolicy",
    "SupervisionReport",
    "WaitingReports",
    "on_publication_day",
    "overruling_report",
    "report_for",
    "waiting_reports",
]

#: BCSD decisions hold personal social-welfare data: never reported, whatever the configuration.
NEVER_REPORTED = frozenset({BodyKind.BCSD})


class ReportStatus(StrEnum):
    """Where a report stands: queued until its document is published, sent with it the same day, then
    acknowledged by the supervisory authority; a complaint may be received, and the decision annulled."""

    QUEUED = "queued"
    """Reported the same day as the decision's web publication, which has not happened yet."""
    SENT = "sent"
    """Sent with the published document (decision list or full text) the day it was published."""
    ACKNOWLEDGED = "acknowledged"
    """The supervisory authority received it: the supervision term runs."""
    COMPLAINT_RECEIVED = "complaint_received"
    """Someone complained about the decision to the supervisory authority (DOMAIN §4)."""
    ANNULLED = "annulled"
    """The supervisory authority annulled the decision (it must be mentioned where it was published)."""


#: What may follow each status (a complaint may come before or after the acknowledgement is recorded).
NEXT_STATUS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.QUEUED: frozenset(),
    ReportStatus.SENT: frozenset({ReportStatus.ACKNOWLEDGED, ReportStatus.COMPLAINT_RECEIVED, ReportStatus.ANNULLED}),
    ReportStatus.ACKNOWLEDGED: frozenset({ReportStatus.COMPLAINT_RECEIVED, ReportStatus.ANNULLED}),
    ReportStatus.COMPLAINT_RECEIVED: frozenset({ReportStatus.ANNULLED}),
    ReportStatus.ANNULLED: frozenset(),
}


@dataclass(frozen=True)
class ReportingPolicy:
    """What is reported, as the table of decision and document types says (`shared/lblod/decision_types.yaml`).

    `reportable_bodies` are the bodies whose decision lists are reported; the table's default
    (council, RMW, district council) may be narrowed or widened by a deployment, because the rules are
    [K] in places (district councils, police and fire zones).
    """

    reportable_bodies: frozenset[BodyKind] = field(
        default_factory=lambda: decision_type_table().document("besluitenlijst").reported_for
    )
    """DOMAIN §4: council and RMW decision lists are reportable, and the district council's; the decision
    lists of the college, the vast bureau and the burgemeester are not."""
    table: DecisionTypeTable = field(default_factory=decision_type_table)

    def __post_init__(self) -> None:
        forbidden = self.reportable_bodies & NEVER_REPORTED
        if forbidden:
            names = ", ".join(sorted(b.value for b in forbidden))
            raise ValueError(f"{names} decisions are social-welfare content and are never reported")

    @classmethod
    def of(cls, bodies: Iterable[BodyKind]) -> ReportingPolicy:
        """A policy reporting exactly `bodies`."""
        return cls(frozenset(bodies))

    def is_reportable(self, body: BodyKind) -> bool:
        """Whether the decision list of `body`, and so each decision on it, is reported."""
        return body not in NEVER_REPORTED and body in self.reportable_bodies

    def type_of(self, kind: DecisionKind, body: BodyKind) -> DecisionType:
        return self.table.type_of(kind, body)

    def overrulings_reported(self, body: BodyKind) -> bool:
        """Whether a visum overruling of `body` is reported at once (the table's row for the overruling)."""
        row = self.table.type_of(DecisionKind.VISUM_OVERRULING, body)
        return body not in NEVER_REPORTED and row.reported is Reported.AT_DECISION


@dataclass(frozen=True)
class SupervisionReport:
    """A decision queued for the supervisory authority."""

    report_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    queued_at: dt.datetime
    status: ReportStatus = ReportStatus.QUEUED
    meeting_id: uuid.UUID | None = None
    submitted_at: dt.datetime | None = None
    document_id: uuid.UUID | None = None
    document_hash: str | None = None
    decision_type: str | None = None
    """The besluittype concept the report is filed under (None in reports from before the table)."""
    full_text: bool = False
    """Sent with the decision's own full-text document, not as a line of its decision list."""
    status_changed_at: dt.datetime | None = None
    reference: str | None = None
    """The supervisory authority's reference of the last status (acknowledgement, complaint, annulment)."""

    def submitted(self, *, document_id: uuid.UUID, document_hash: str, at: dt.datetime) -> SupervisionReport:
        """Sent with the published document; the supervision term starts now."""
        return replace(
            self,
            status=ReportStatus.SENT,
            submitted_at=at,
            document_id=document_id,
            document_hash=document_hash,
            status_changed_at=at,
        )

    def moved_to(self, status: ReportStatus, *, at: dt.datetime, reference: str) -> SupervisionReport:
        """What the supervisory authority answered: acknowledged, a complaint received, annulled."""
        if status not in NEXT_STATUS[self.status]:
            raise RuleViolation(
                "report_status_not_allowed", f"a report that is {self.status.value} cannot become {status.value}"
            )
        return replace(self, status=status, status_changed_at=at, reference=reference)


def report_for(
    decision: QueueSupervisionReport, policy: ReportingPolicy, *, report_id: uuid.UUID, now: dt.datetime
) -> SupervisionReport | None:
    """The report an adopted decision needs, as the table of types says, or None.

    A reportable type (a regulation, the RPR, a delegation regulation, a plan change) is reported with its
    full text, whatever the body; any other decision of a body whose decision list is reported goes as a
    line of that list. A type reported at once (a visum overruling) is reported from finance's record of
    it, never a second time from the decision.
    """
    if decision.body in NEVER_REPORTED:
        return None
    row = policy.type_of(decision.kind, decision.body)
    if row.reported is Reported.AT_DECISION:
        return None
    by_type = row.reported is Reported.AT_PUBLICATION
    if not by_type and not policy.is_reportable(decision.body):
        return None
    return SupervisionReport(
        report_id=report_id,
        decision_id=decision.decision_id,
        body=decision.body,
        entity=decision.entity,
        title=decision.title,
        queued_at=now,
        meeting_id=decision.meeting_id,
        decision_type=row.concept,
        full_text=by_type and row.full_text,
    )


@dataclass(frozen=True)
class WaitingReports:
    """Which waiting reports a published document carries to the supervisor."""

    meeting_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None
    full_text: bool = False


#: Documents that publish one decision's whole text (meetings' `regulation` and `full_text` kinds).
FULL_TEXT_DOCUMENTS = frozenset({"regulation", "full_text"})


def waiting_reports(publication: SubmitWithPublication) -> WaitingReports | None:
    """A decision list carries the waiting reports of its meeting that are lines of it; a full-text
    document the report of its own decision.

    Other documents (agenda, minutes, extracts) carry none.
    """
    if publication.document_kind in FULL_TEXT_DOCUMENTS and publication.decision_id is not None:
        return WaitingReports(decision_id=publication.decision_id, full_text=True)
    if publication.document_kind == "decision_list":
        return WaitingReports(meeting_id=publication.meeting_id, full_text=False)
    return None


def on_publication_day(published_at: dt.datetime, submitted_at: dt.datetime) -> bool:
    """Whether a report went out the day its document was published, as the meldingsplicht requires."""
    return submitted_at.date() == published_at.date()


@dataclass(frozen=True)
class OverrulingReport:
    """A visum overruling as reported to the supervisory authority, the moment finance records it.

    The overruling is a separate decision of the college or vast bureau on its own responsibility,
    a Loket type of its own ("Besluit overruling visum") [S data]; every one is reported, whatever
    the reporting policy says of the college's decision lists (DOMAIN.md §5).
    """

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


def overruling_report(cmd: ReportOverruling, *, report_id: uuid.UUID, now: dt.datetime) -> OverrulingReport:
    """The report of one overruling."""
    return OverrulingReport(
        report_id=report_id,
        overruling_id=cmd.overruling_id,
        decision_id=cmd.decision_id,
        item_id=cmd.item_id,
        body=cmd.body,
        entity=cmd.entity,
        amount=cmd.amount,
        refusal_reasons=cmd.refusal_reasons,
        overruled_at=cmd.overruled_at,
        reported_at=now,
    )
