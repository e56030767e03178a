"""Internal control (organisatiebeheersing): the system, the risk register, audits and the afsprakennota.

The algemeen directeur sets up the system, in consultation with the management team, within a
framework the councils approve (DLB art. 217-220 [S]; reference §8a.2). Risks are registered per
process and unit with their likelihood, impact and owner; control measures have owners and review
dates; reviews, improvement actions, the actions on audit findings and the objectives of the
afsprakennota are follow-up tasks, so an overdue one escalates like any task. The tasks hang off the
record they come from (the risk, the audit report, the agreement) as a decision's tasks hang off
the decision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.kernel import RuleViolation
from shared.vocabulary import LegalEntity

__all__ = [
    "AFSPRAKENNOTA_PARTIES",
    "HIGH_RISK_SCORE",
    "Agreement",
    "AuditFinding",
    "AuditReport",
    "ControlMeasure",
    "ControlRecord",
    "ControlSystem",
    "FindingStatus",
    "Incident",
    "Objective",
    "Review",
    "Risk",
    "report_due_on",
]

Scale = Annotated[int, Field(ge=1, le=5)]
"""Likelihood and impact on the usual five-point scale of the Leidraad Organisatiebeheersing [K]."""


#: A risk scoring this much (likelihood × impact) or more is reported as high (house rule: the upper
#: band of a 5 × 5 matrix).
HIGH_RISK_SCORE = 15


def report_due_on(year: int) -> dt.date:
    """The director reports on the year to the councils by 30 June of the next (DLB art. 220 [S])."""
    return dt.date(year + 1, 6, 30)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ControlSystem(_Model):
    """The system the algemeen directeur set up within the councils' framework (one per organisation)."""

    KIND: ClassVar[str] = "system"
    key: uuid.UUID = uuid.UUID(int=0)
    framework_decision_ids: tuple[uuid.UUID, ...]
    """The decisions of the gemeenteraad and the raad voor maatschappelijk welzijn approving the framework."""
    consulted_decision_id: uuid.UUID | None
    """The management team's decision on the system (the director sets it up in consultation with it)."""
    set_up_by: str
    set_up_on: dt.date

    @classmethod
    def set_up(
        cls, *, framework: tuple[uuid.UUID, ...], consulted: uuid.UUID | None, by: str, on: dt.date
    ) -> ControlSystem:
        if not framework:
            raise RuleViolation(
                "framework_missing",
                "the system is set up within a framework the councils approved: name their decisions",
            )
        return cls(framework_decision_ids=framework, consulted_decision_id=consulted, set_up_by=by, set_up_on=on)


class Review(_Model):
    on: dt.date
    by: str
    effective: bool
    note: str = ""


class ControlMeasure(_Model):
    """A measure that keeps a risk in check, with its owner and the rhythm of its reviews."""

    measure_id: uuid.UUID
    description: str
    owner_person_id: str
    review_every_days: Annotated[int, Field(ge=1, le=3660)]
    next_review: dt.date
    review_task_id: uuid.UUID | None = None
    """The follow-up task of the next review: overdue, it escalates like any task."""
    reviews: tuple[Review, ...] = ()


class Incident(_Model):
    incident_id: uuid.UUID
    occurred_on: dt.date
    description: str
    reported_by: str


class Risk(_Model):
    """One risk of one process in one unit: likelihood × impact, an owner, measures, incidents, actions."""

    KIND: ClassVar[str] = "risk"
    key: uuid.UUID
    entity: LegalEntity
    process: str
    unit_code: str
    title: str
    likelihood: Scale
    impact: Scale
    owner_person_id: str
    registered_on: dt.date
    measures: tuple[ControlMeasure, ...] = ()
    incidents: tuple[Incident, ...] = ()
    action_task_ids: tuple[uuid.UUID, ...] = ()
    """The improvement actions planned on the risk (follow-up tasks)."""

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    def measure(self, measure_id: uuid.UUID) -> ControlMeasure:
        for m in self.measures:
            if m.measure_id == measure_id:
                return m
        raise RuleViolation("unknown_measure", f"risk {self.key} has no control measure {measure_id}")

    def with_measure(self, measure: ControlMeasure) -> Risk:
        others = tuple(m for m in self.measures if m.measure_id != measure.measure_id)
        return self.model_copy(update={"measures": (*others, measure)})

    def reviewed(self, measure_id: uuid.UUID, review: Review, next_task: uuid.UUID) -> Risk:
        """The review is recorded; the next one is due a full rhythm after this one."""
        m = self.measure(measure_id)
        following = review.on + dt.timedelta(days=m.review_every_days)
        updated = m.model_copy(
            update={"reviews": (*m.reviews, review), "next_review": following, "review_task_id": next_task}
        )
        return self.with_measure(updated)

    def with_incident(self, incident: Incident) -> Risk:
        return self.model_copy(update={"incidents": (*self.incidents, incident)})

    def with_action(self, task_id: uuid.UUID) -> Risk:
        return self.model_copy(update={"action_task_ids": (*self.action_task_ids, task_id)})


class FindingStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class AuditFinding(_Model):
    finding_id: uuid.UUID
    text: str
    risk_id: uuid.UUID | None = None
    action_task_id: uuid.UUID | None = None
    """The improvement action that answers the finding: the finding closes when the task is done."""
    status: FindingStatus = FindingStatus.OPEN
    closed_on: dt.date | None = None


class AuditReport(_Model):
    """A report of Audit Vlaanderen; its chair makes it available to every council member (DLB art. 221 [S])."""

    KIND: ClassVar[str] = "audit_report"
    key: uuid.UUID
    entity: LegalEntity
    title: str
    received_on: dt.date
    available_to_council_on: dt.date | None
    findings: tuple[AuditFinding, ...]

    def finding(self, finding_id: uuid.UUID) -> AuditFinding:
        for f in self.findings:
            if f.finding_id == finding_id:
                return f
        raise RuleViolation("unknown_finding", f"audit report {self.key} has no finding {finding_id}")

    def _with(self, finding: AuditFinding) -> AuditReport:
        findings = tuple(finding if f.finding_id == finding.finding_id else f for f in self.findings)
        return self.model_copy(update={"findings": findings})

    def answered_by(self, finding_id: uuid.UUID, task_id: uuid.UUID) -> AuditReport:
        finding = self.finding(finding_id)
        if finding.status is FindingStatus.CLOSED:
            raise RuleViolation("finding_closed", f"finding {finding_id} is already closed")
        return self._with(finding.model_copy(update={"action_task_id": task_id}))

    def action_done(self, task_id: uuid.UUID, on: dt.date) -> AuditReport | None:
        """The report with the finding that task answers closed; None when the task answers none."""
        for f in self.findings:
            if f.action_task_id == task_id and f.status is FindingStatus.OPEN:
                return self._with(f.model_copy(update={"status": FindingStatus.CLOSED, "closed_on": on}))
        return None


#: The other parties to the afsprakennota (reference §8a.3 [K]: DLB art. 171 §2 as quoted).
AFSPRAKENNOTA_PARTIES = frozenset(
    {"college", "burgemeester", "vast_bureau", "voorzitter_vast_bureau", "bcsd", "voorzitter_bcsd"}
)


class Objective(_Model):
    objective_id: str
    text: str
    task_id: uuid.UUID


class Agreement(_Model):
    """The afsprakennota the algemeen directeur (also for the management team) concludes after each full
    renewal of the council: cooperation, conduct and the use of delegated powers."""

    KIND: ClassVar[str] = "agreement"
    key: uuid.UUID
    legislature: str
    concluded_on: dt.date
    parties: tuple[str, ...]
    cooperation: str
    conduct: str
    delegated_powers: str
    objectives: tuple[Objective, ...] = ()

    @classmethod
    def conclude(
        cls,
        *,
        legislature: str,
        on: dt.date,
        parties: tuple[str, ...],
        cooperation: str,
        conduct: str,
        delegated_powers: str,
    ) -> Agreement:
        missing = sorted(AFSPRAKENNOTA_PARTIES - set(parties))
        if missing:
            raise RuleViolation(
                "afsprakennota_party_missing", f"the afsprakennota is concluded with every party; missing: {missing}"
            )
        if not (cooperation.strip() and conduct.strip() and delegated_powers.strip()):
            raise RuleViolation(
                "afsprakennota_incomplete",
                "the afsprakennota covers cooperation, rules of conduct and the use of delegated powers",
            )
        return cls(
            key=uuid.uuid4(),
            legislature=legislature,
            concluded_on=on,
            parties=tuple(sorted(set(parties))),
            cooperation=cooperation,
            conduct=conduct,
            delegated_powers=delegated_powers,
        )


ControlRecord = ControlSystem | Risk | AuditReport | Agreement
