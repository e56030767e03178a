"""Contracts of internal control (organisatiebeheersing) in `organisation`: the system, the risk register,
control measures and their reviews, incidents, Audit Vlaanderen reports and the afsprakennota.

Reviews, improvement actions, the actions answering audit findings and the objectives of the
afsprakennota are follow-up tasks (`organisation.task.*`, `list_tasks`): they hang off the risk, the
report or the agreement they come from, and an overdue one escalates like any task.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import Field

from shared.contracts.base import Command, Contract, Query, QueryReply
from shared.vocabulary import LegalEntity

__all__ = [
    "AddControlMeasure",
    "AnswerAuditFinding",
    "AuditFindingLine",
    "ConcludeAfsprakennota",
    "FindingToRecord",
    "GetInternalControlReport",
    "GetInternalControlReportReply",
    "GetRiskRegister",
    "GetRiskRegisterReply",
    "ObjectiveToTrack",
    "PlanImprovementAction",
    "RecordAuditReport",
    "RecordControlReview",
    "RecordIncident",
    "RegisterRisk",
    "RiskLine",
    "SetUpInternalControl",
]

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Code = Annotated[str, Field(min_length=1, max_length=64)]
Scale = Annotated[int, Field(ge=1, le=5)]


class SetUpInternalControl(Command):
    """The algemeen directeur sets up the internal control system within the framework the councils approved."""

    NAME = "set_up_internal_control"
    SERVICE = "organisation"

    framework_decision_ids: tuple[uuid.UUID, ...] = Field(min_length=1, max_length=2)
    """The decisions of the gemeenteraad and the raad voor maatschappelijk welzijn approving the framework."""
    consulted_decision_id: uuid.UUID | None = None
    """The management team's decision on the system (set up in consultation with it)."""


class RegisterRisk(Command):
    """A risk of one process in one unit, with its likelihood and impact (1-5) and its owner."""

    NAME = "register_risk"
    SERVICE = "organisation"

    entity: LegalEntity
    process: Text
    unit_code: Code
    title: Text
    likelihood: Scale
    impact: Scale
    owner_person_id: Code


class AddControlMeasure(Command):
    """A control measure on a risk, with its owner and review rhythm; its first review becomes a task."""

    NAME = "add_control_measure"
    SERVICE = "organisation"

    risk_id: uuid.UUID
    description: Text
    owner_person_id: Code
    first_review: dt.date
    review_every_days: int = Field(default=365, ge=1, le=3660)


class RecordControlReview(Command):
    """The owner of a measure's review task (or whoever it escalated to) reviews the measure; the next review
    becomes a task."""

    NAME = "record_control_review"
    SERVICE = "organisation"

    risk_id: uuid.UUID
    measure_id: uuid.UUID
    effective: bool
    note: str = Field(default="", max_length=2000)


class RecordIncident(Command):
    """Something went wrong that the risk foresaw."""

    NAME = "record_incident"
    SERVICE = "organisation"

    risk_id: uuid.UUID
    occurred_on: dt.date
    description: Text


class PlanImprovementAction(Command):
    """An improvement action on a risk: a follow-up task for the unit."""

    NAME = "plan_improvement_action"
    SERVICE = "organisation"

    risk_id: uuid.UUID
    action_id: Code
    description: Text
    unit_code: Code
    due_date: dt.date


class FindingToRecord(Contract):
    text: Text
    risk_id: uuid.UUID | None = None


class RecordAuditReport(Command):
    """A report of Audit Vlaanderen and its findings, each to be closed by an improvement action."""

    NAME = "record_audit_report"
    SERVICE = "organisation"

    entity: LegalEntity
    title: Text
    received_on: dt.date
    available_to_council_on: dt.date | None = None
    """The day the council chair made the report available to every council member (DLB art. 221)."""
    findings: tuple[FindingToRecord, ...] = Field(min_length=1, max_length=200)


class AnswerAuditFinding(Command):
    """The improvement action that answers a finding: done, it closes the finding."""

    NAME = "answer_audit_finding"
    SERVICE = "organisation"

    report_id: uuid.UUID
    finding_id: uuid.UUID
    description: Text
    unit_code: Code
    due_date: dt.date


class ObjectiveToTrack(Contract):
    objective_id: Code
    text: Text
    unit_code: Code
    due_date: dt.date


class ConcludeAfsprakennota(Command):
    """The afsprakennota after a full renewal of the council; its objectives become tracked tasks."""

    NAME = "conclude_afsprakennota"
    SERVICE = "organisation"

    legislature: Code
    concluded_on: dt.date
    parties: tuple[Code, ...] = Field(min_length=1, max_length=12)
    """college, burgemeester, vast_bureau, voorzitter_vast_bureau, bcsd, voorzitter_bcsd."""
    cooperation: Text
    conduct: Text
    delegated_powers: Text
    objectives: tuple[ObjectiveToTrack, ...] = Field(default=(), max_length=100)


class RiskLine(Contract):
    risk_id: uuid.UUID
    entity: LegalEntity
    process: str
    unit_code: str
    title: str
    likelihood: int
    impact: int
    score: int
    owner_person_id: str
    measures: int
    next_review: dt.date | None
    incidents: int
    actions: int


class GetRiskRegisterReply(QueryReply):
    """The risk register, highest score first."""

    risks: tuple[RiskLine, ...]


class GetRiskRegister(Query):
    """Query: the risk register, of one unit or all."""

    NAME = "get_risk_register"
    SERVICE = "organisation"
    Reply = GetRiskRegisterReply

    unit_code: str | None = None


class AuditFindingLine(Contract):
    report_id: uuid.UUID
    report: str
    finding_id: uuid.UUID
    text: str
    status: str
    closed_on: dt.date | None


class GetInternalControlReportReply(QueryReply):
    """The algemeen directeur's yearly report to the councils on internal control (due by 30 June of the
    next year, DLB art. 220 [S])."""

    year: int
    due_on: dt.date
    system_set_up_on: dt.date | None
    risks: int
    high_risks: int
    """Risks scoring at least 15 (likelihood × impact)."""
    risks_registered: int
    measures: int
    reviews_held: int
    reviews_not_effective: int
    reviews_overdue: int
    """Review tasks still open past their date at the end of the year."""
    incidents: int
    improvement_actions: int
    improvement_actions_done: int
    audit_reports: int
    audit_reports_not_made_available: int
    findings: int
    findings_closed: int
    open_findings: tuple[AuditFindingLine, ...]
    objectives: int
    objectives_done: int


class GetInternalControlReport(Query):
    """Query: the yearly report on internal control for `year`."""

    NAME = "get_internal_control_report"
    SERVICE = "organisation"
    Reply = GetInternalControlReportReply

    year: int = Field(ge=2000, le=2100)
