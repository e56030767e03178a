"""Queries of organisation, answered from its tables with their typed replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from services.organisation.domain.control import (
    HIGH_RISK_SCORE,
    Agreement,
    AuditReport,
    ControlSystem,
    FindingStatus,
    Risk,
    report_due_on,
)
from services.organisation.domain.mandates import Mandate
from services.organisation.domain.model import FollowUpTask, Organogram, TaskStatus
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.clock import Clock
from shared.contracts import control as ic
from shared.contracts import organisation as c
from shared.kernel import RuleViolation

__all__ = ["OrganisationViews", "mandate_line", "organogram_reply", "task_line"]


class OrganisationViews:
    """Tasks, mandates and the organogram; the organogram of "today" needs the clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def list_tasks(self, uow: OrganisationUnitOfWork, query: c.ListTasks) -> c.ListTasksReply:
        """Tasks by decision, owner, unit and/or status, by due date."""
        known = [s.value for s in TaskStatus]
        if query.status and query.status not in known:
            raise RuleViolation("unknown_status", f"status is one of {', '.join(known)}")
        status = TaskStatus(query.status) if query.status else None
        tasks = await uow.tasks.list(
            decision_id=query.decision_id,
            owner_person_id=query.owner_person_id,
            unit_code=query.unit_code,
            status=status,
        )
        return c.ListTasksReply(command_id=query.command_id, tasks=tuple(task_line(t) for t in tasks))

    async def list_mandates(self, uow: OrganisationUnitOfWork, query: c.ListMandates) -> c.ListMandatesReply:
        """Mandates by body and/or person, running on a date."""
        found = await uow.mandates.list(body=query.body, person_id=query.person_id, on=query.on)
        return c.ListMandatesReply(command_id=query.command_id, mandates=tuple(mandate_line(m) for m in found))

    async def get_organogram(self, uow: OrganisationUnitOfWork, query: c.GetOrganogram) -> c.GetOrganogramReply:
        """The organogram valid on a date (today when none is given), or the version asked; and the drafts waiting."""
        if query.version is not None:
            found = await uow.organogram.version(query.version)
            if found is None:
                raise RuleViolation("unknown_organogram_version", f"no organogram version {query.version}")
            organogram = found
        else:
            organogram = await uow.organogram.at(query.on or self._clock().date())
        return organogram_reply(query.command_id, organogram, drafts=await uow.organogram.drafts())

    async def get_risk_register(
        self, uow: OrganisationUnitOfWork, query: ic.GetRiskRegister
    ) -> ic.GetRiskRegisterReply:
        """The risk register, highest score first, of one unit or all."""
        risks = [r for r in await uow.control.of_kind(Risk.KIND) if isinstance(r, Risk)]
        lines = [
            ic.RiskLine(
                risk_id=r.key,
                entity=r.entity,
                process=r.process,
                unit_code=r.unit_code,
                title=r.title,
                likelihood=r.likelihood,
                impact=r.impact,
                score=r.score,
                owner_person_id=r.owner_person_id,
                measures=len(r.measures),
                next_review=min((m.next_review for m in r.measures), default=None),
                incidents=len(r.incidents),
                actions=len(r.action_task_ids),
            )
            for r in risks
            if query.unit_code is None or r.unit_code == query.unit_code
        ]
        lines.sort(key=lambda line: (-line.score, line.unit_code, line.title))
        return ic.GetRiskRegisterReply(command_id=query.command_id, risks=tuple(lines))

    async def get_internal_control_report(
        self, uow: OrganisationUnitOfWork, query: ic.GetInternalControlReport
    ) -> ic.GetInternalControlReportReply:
        """The algemeen directeur's yearly report on internal control, as things stood at the end of the year."""
        year, end = query.year, dt.date(query.year, 12, 31)

        def in_year(day: dt.date | None) -> bool:
            return day is not None and day.year == year

        def done_by_end(task: FollowUpTask) -> bool:
            return task.status is TaskStatus.DONE and task.completed_at is not None and task.completed_at.date() <= end

        systems = [s for s in await uow.control.of_kind(ControlSystem.KIND) if isinstance(s, ControlSystem)]
        risks = [r for r in await uow.control.of_kind(Risk.KIND) if isinstance(r, Risk) and r.registered_on <= end]
        reports = [
            r
            for r in await uow.control.of_kind(AuditReport.KIND)
            if isinstance(r, AuditReport) and r.received_on <= end
        ]
        agreements = [
            a for a in await uow.control.of_kind(Agreement.KIND) if isinstance(a, Agreement) and a.concluded_on <= end
        ]
        tasks: list[FollowUpTask] = []
        sources: list[Risk | AuditReport | Agreement] = [*risks, *reports, *agreements]
        for source in sources:
            tasks += await uow.tasks.of_decision(source.key)
        reviews = [v for r in risks for m in r.measures for v in m.reviews if in_year(v.on)]
        review_tasks = [t for t in tasks if t.action_id.startswith("review-")]
        objective_ids = {o.task_id for a in agreements for o in a.objectives}
        actions = [
            t
            for t in tasks
            if not t.action_id.startswith("review-") and t.task_id not in objective_ids and in_year(t.created_at.date())
        ]
        objectives = [t for t in tasks if t.task_id in objective_ids]
        findings = [f for r in reports if in_year(r.received_on) for f in r.findings]
        still_open = [
            ic.AuditFindingLine(
                report_id=r.key,
                report=r.title,
                finding_id=f.finding_id,
                text=f.text,
                status=FindingStatus.OPEN.value,
                closed_on=None,
            )
            for r in reports
            for f in r.findings
            if f.closed_on is None or f.closed_on > end
        ]
        set_up = [s.set_up_on for s in systems if s.set_up_on <= end]
        return ic.GetInternalControlReportReply(
            command_id=query.command_id,
            year=year,
            due_on=report_due_on(year),
            system_set_up_on=set_up[0] if set_up else None,
            risks=len(risks),
            high_risks=sum(1 for r in risks if r.score >= HIGH_RISK_SCORE),
            risks_registered=sum(1 for r in risks if in_year(r.registered_on)),
            measures=sum(len(r.measures) for r in risks),
            reviews_held=len(reviews),
            reviews_not_effective=sum(1 for v in reviews if not v.effective),
            reviews_overdue=sum(1 for t in review_tasks if t.due_date < end and not done_by_end(t)),
            incidents=sum(1 for r in risks for i in r.incidents if in_year(i.occurred_on)),
            improvement_actions=len(actions),
            improvement_actions_done=sum(1 for t in actions if done_by_end(t)),
            audit_reports=sum(1 for r in reports if in_year(r.received_on)),
            audit_reports_not_made_available=sum(
                1 for r in reports if in_year(r.received_on) and r.available_to_council_on is None
            ),
            findings=len(findings),
            findings_closed=sum(
                1 for f in findings if f.status is FindingStatus.CLOSED and f.closed_on and f.closed_on <= end
            ),
            open_findings=tuple(still_open),
            objectives=len(objectives),
            objectives_done=sum(1 for t in objectives if done_by_end(t)),
        )


def task_line(task: FollowUpTask) -> c.TaskLine:
    """A task as a query shows it."""
    return c.TaskLine(
        task_id=task.task_id,
        decision_id=task.decision_id,
        action_id=task.action_id,
        kind=task.kind,
        title=task.title,
        entity=task.entity,
        unit_code=task.unit_code,
        owner_person_id=task.owner_person_id,
        owner_name=task.owner_name,
        due_date=task.due_date,
        status=c.TaskStatus(task.status.value),
        escalation_level=task.escalation_level,
        claimed_by=task.claimed_by,
        delegation_id=task.delegation_id,
    )


def mandate_line(m: Mandate) -> c.MandateLine:
    """A mandate as a query shows it."""
    return c.MandateLine(
        mandate_id=m.mandate_id,
        person_id=m.person_id,
        person_name=m.person_name,
        body=m.body,
        entity=m.entity,
        role=m.role,
        status=m.status,
        voting=m.voting,
        start=m.start,
        end=m.end,
        linked_mandate_id=m.linked_mandate_id,
    )


def organogram_reply(command_id: str, organogram: Organogram, drafts: Sequence[int] = ()) -> c.GetOrganogramReply:
    """An organogram version: the root first, then the units by code; heads with their names."""
    persons = organogram.persons
    return c.GetOrganogramReply(
        command_id=command_id,
        version=organogram.version,
        valid_from=organogram.valid_from,
        root=organogram.root,
        units=tuple(
            c.OrganogramUnitLine(
                code=u.code,
                name=u.name,
                parent=u.parent,
                head_person_id=u.head,
                head_name=persons[u.head].name if u.head and u.head in persons else None,
                management_team=u.management_team,
            )
            for u in sorted(organogram.units.values(), key=lambda u: (u.parent is not None, u.code))
        ),
        management_team=tuple(sorted({u.head for u in organogram.units.values() if u.management_team and u.head})),
        draft=organogram.draft,
        drafts=tuple(drafts),
    )
