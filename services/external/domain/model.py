"""Reporting adopted decisions to the supervisory authority (meldingsplicht, DOMAIN §4)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from shared.contracts.base import LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.meetings import DecisionAdopted

__all__ = [
    "DEFAULT_REPORTABLE_BODIES",
    "NEVER_REPORTED",
    "ReportStatus",
    "ReportingPolicy",
    "SupervisionReport",
    "report_for",
]

#: The council and the social welfare council report their decisions; the college and the vast
#: bureau do not (their decision lists are not meldingsplichtig).
DEFAULT_REPORTABLE_BODIES = frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN})

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
    (e.g. district councils, police and fire zones), with the DOMAIN §4 default."""

    reportable_bodies: frozenset[BodyKind] = field(default=DEFAULT_REPORTABLE_BODIES)

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


def report_for(decision: DecisionAdopted, policy: ReportingPolicy, *, now: dt.datetime) -> SupervisionReport | None:
    """The report an adopted decision needs, or None when its body does not report."""
    if not policy.is_reportable(decision.body):
        return None
    return SupervisionReport(
        report_id=uuid.uuid4(),
        decision_id=decision.decision_id,
        body=decision.body,
        entity=decision.entity,
        title=decision.title,
        queued_at=now,
        meeting_id=decision.meeting_id,
    )
