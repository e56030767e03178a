"""Reporting adopted decisions to the supervisory authority (meldingsplicht, DOMAIN §4)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from services.external.domain.commands import QueueSupervisionReport, ReportOverruling, SubmitWithPublication
from shared.vocabulary import BodyKind, LegalEntity

__all__ = [
    "NEVER_REPORTED",
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
    AWAITING_PUBLICATION = "awaiting_publication"
    """Reported the same day as the decision's web publication, which has not happened yet."""
    SUBMITTED = "submitted"
    """Sent with the published document (decision list or regulation) the day it was published."""


@dataclass(frozen=True)
class ReportingPolicy:
    """Which bodies' decisions are reportable; configurable because the rules are [K] in places
    (e.g. district councils, police and fire zones)."""

    reportable_bodies: frozenset[BodyKind] = field(
        default=frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN})
    )
    """DOMAIN §4: council and RMW decision lists and regulations are reportable; the decision
    lists of the college and the vast bureau are not."""

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
        """Whether a decision of `body` must be reported to the supervisory authority."""
        return body not in NEVER_REPORTED and body in self.reportable_bodies


@dataclass(frozen=True)
class SupervisionReport:
    """A decision queued for the supervisory authority."""

    report_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    queued_at: dt.datetime
    status: ReportStatus = ReportStatus.AWAITING_PUBLICATION
    meeting_id: uuid.UUID | None = None
    submitted_at: dt.datetime | None = None
    document_id: uuid.UUID | None = None
    document_hash: str | None = None

    def submitted(self, *, document_id: uuid.UUID, document_hash: str, at: dt.datetime) -> SupervisionReport:
        """Sent with the published document; the supervision term starts now."""
        return replace(
            self,
            status=ReportStatus.SUBMITTED,
            submitted_at=at,
            document_id=document_id,
            document_hash=document_hash,
        )


def report_for(
    decision: QueueSupervisionReport, policy: ReportingPolicy, *, report_id: uuid.UUID, now: dt.datetime
) -> SupervisionReport | None:
    """The report an adopted decision needs, or None when its body does not report."""
    if not policy.is_reportable(decision.body):
        return None
    return SupervisionReport(
        report_id=report_id,
        decision_id=decision.decision_id,
        body=decision.body,
        entity=decision.entity,
        title=decision.title,
        queued_at=now,
        meeting_id=decision.meeting_id,
    )


@dataclass(frozen=True)
class WaitingReports:
    """Which waiting reports a published document carries to the supervisor."""

    meeting_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None


def waiting_reports(publication: SubmitWithPublication) -> WaitingReports | None:
    """A decision list carries every waiting report of its meeting; a regulation its own decision.

    Other documents (the minutes) carry none.
    """
    if publication.document_kind == "regulation" and publication.decision_id is not None:
        return WaitingReports(decision_id=publication.decision_id)
    if publication.document_kind == "decision_list":
        return WaitingReports(meeting_id=publication.meeting_id)
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
