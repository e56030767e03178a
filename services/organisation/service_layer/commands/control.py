"""Internal control: the system, the risk register, reviews, incidents, audit findings, the afsprakennota.

Reviews, improvement actions, the answers to audit findings and the objectives of the afsprakennota
are follow-up tasks hanging off their risk, report or agreement, so the overdue scan escalates them
like any other task.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from services.organisation.domain import events
from services.organisation.domain import tasks as rules
from services.organisation.domain.commands import (
    AddControlMeasure,
    AnswerAuditFinding,
    ConcludeAfsprakennota,
    PlanImprovementAction,
    RecordAuditReport,
    RecordControlReview,
    RecordIncident,
    RegisterRisk,
    SetUpInternalControl,
)
from services.organisation.domain.control import (
    Agreement,
    AuditFinding,
    AuditReport,
    ControlMeasure,
    ControlSystem,
    Incident,
    Objective,
    Review,
    Risk,
)
from services.organisation.domain.model import FollowUpTask, plan_tasks
from services.organisation.domain.policy import TaskPolicy
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import FollowUpAction, FollowUpKind, LegalEntity

__all__ = ["ControlCommands", "close_answered_finding"]


class ControlCommands:
    """The algemeen directeur's internal control system, with the task terms and a clock."""

    def __init__(self, policy: TaskPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def set_up(self, uow: OrganisationUnitOfWork, cmd: SetUpInternalControl) -> Accepted:
        """The algemeen directeur sets up (or sets up anew) the system within the councils' framework."""
        today = self._clock().date()
        await _director(uow, cmd.actor_person_id, today)
        system = ControlSystem.set_up(
            framework=cmd.framework_decision_ids, consulted=cmd.consulted_decision_id, by=cmd.actor_person_id, on=today
        )
        await uow.control.save(system)
        return Accepted(data={"set_up_on": today.isoformat()})

    async def register_risk(self, uow: OrganisationUnitOfWork, cmd: RegisterRisk) -> Accepted:
        """A risk in the register, for a unit the organogram has and an owner it knows."""
        today = self._clock().date()
        organogram = await uow.organogram.at(today)
        if cmd.unit_code not in organogram.units:
            raise RuleViolation("unknown_unit", f"the organogram has no unit {cmd.unit_code}")
        if await uow.persons.get(cmd.owner_person_id) is None:
            raise RuleViolation("unknown_person", f"no person {cmd.owner_person_id}")
        risk = Risk(
            key=uuid.uuid4(),
            entity=cmd.entity,
            process=cmd.process,
            unit_code=cmd.unit_code,
            title=cmd.title,
            likelihood=cmd.likelihood,
            impact=cmd.impact,
            owner_person_id=cmd.owner_person_id,
            registered_on=today,
        )
        await uow.control.save(risk)
        return Accepted(ids={"risk_id": str(risk.key)}, data={"score": risk.score})

    async def add_measure(self, uow: OrganisationUnitOfWork, cmd: AddControlMeasure) -> Accepted:
        """A control measure; its first review becomes a task of the measure's owner."""
        risk = await _risk(uow, cmd.risk_id)
        if cmd.first_review < self._clock().date():
            raise RuleViolation("review_in_past", "the first review of a measure lies ahead")
        measure_id = uuid.uuid4()
        task = await self._task(
            uow,
            risk.key,
            risk.entity,
            FollowUpAction(
                action_id=f"review-{measure_id}-1",
                kind=FollowUpKind.REPORT,
                description=f"Beheersmaatregel evalueren: {cmd.description}"[:500],
                unit_code=risk.unit_code,
                due_date=cmd.first_review,
            ),
            owner=cmd.owner_person_id,
        )
        measure = ControlMeasure(
            measure_id=measure_id,
            description=cmd.description,
            owner_person_id=cmd.owner_person_id,
            review_every_days=cmd.review_every_days,
            next_review=cmd.first_review,
            review_task_id=task.task_id,
        )
        await uow.control.save(risk.with_measure(measure))
        return Accepted(ids={"measure_id": str(measure_id), "task_id": str(task.task_id)})

    async def review(self, uow: OrganisationUnitOfWork, cmd: RecordControlReview) -> Accepted:
        """Whoever holds the review task (its owner, or the one it escalated to) reviews the measure; the
        task is done and the next review becomes a task a full rhythm later."""
        risk = await _risk(uow, cmd.risk_id)
        measure = risk.measure(cmd.measure_id)
        now = self._clock()
        task = await uow.tasks.get(measure.review_task_id) if measure.review_task_id else None
        if task is None:
            raise RuleViolation("unknown_task", f"measure {cmd.measure_id} has no review task")
        done = rules.complete(task, cmd.actor_person_id, now)
        await uow.tasks.save(done)
        uow.emit(
            events.TaskCompleted(
                task_id=done.task_id,
                decision_id=done.decision_id,
                entity=done.entity,
                confidentiality=done.confidentiality,
                completed_by=cmd.actor_person_id,
                completed_at=now,
            )
        )
        review = Review(on=now.date(), by=cmd.actor_person_id, effective=cmd.effective, note=cmd.note)
        following = now.date() + dt.timedelta(days=measure.review_every_days)
        next_task = await self._task(
            uow,
            risk.key,
            risk.entity,
            FollowUpAction(
                action_id=f"review-{measure.measure_id}-{len(measure.reviews) + 2}",
                kind=FollowUpKind.REPORT,
                description=f"Beheersmaatregel evalueren: {measure.description}"[:500],
                unit_code=risk.unit_code,
                due_date=following,
            ),
            owner=measure.owner_person_id,
        )
        await uow.control.save(risk.reviewed(measure.measure_id, review, next_task.task_id))
        return Accepted(ids={"task_id": str(next_task.task_id)}, data={"next_review": following.isoformat()})

    async def record_incident(self, uow: OrganisationUnitOfWork, cmd: RecordIncident) -> Accepted:
        """An incident, linked to the risk that foresaw it."""
        risk = await _risk(uow, cmd.risk_id)
        if cmd.occurred_on > self._clock().date():
            raise RuleViolation("incident_in_future", "an incident is recorded once it happened")
        incident = Incident(
            incident_id=uuid.uuid4(),
            occurred_on=cmd.occurred_on,
            description=cmd.description,
            reported_by=cmd.actor_person_id,
        )
        await uow.control.save(risk.with_incident(incident))
        return Accepted(ids={"incident_id": str(incident.incident_id)})

    async def plan_action(self, uow: OrganisationUnitOfWork, cmd: PlanImprovementAction) -> Accepted:
        """An improvement action on a risk: a follow-up task for the unit."""
        risk = await _risk(uow, cmd.risk_id)
        task = await self._task(uow, risk.key, risk.entity, cmd.action)
        await uow.control.save(risk.with_action(task.task_id))
        return Accepted(ids={"task_id": str(task.task_id)})

    async def record_audit_report(self, uow: OrganisationUnitOfWork, cmd: RecordAuditReport) -> Accepted:
        """An Audit Vlaanderen report with its findings, each open until an action closes it."""
        for _, risk_id in cmd.findings:
            if risk_id is not None:
                await _risk(uow, risk_id)
        report = AuditReport(
            key=uuid.uuid4(),
            entity=cmd.entity,
            title=cmd.title,
            received_on=cmd.received_on,
            available_to_council_on=cmd.available_to_council_on,
            findings=tuple(AuditFinding(finding_id=uuid.uuid4(), text=t, risk_id=r) for t, r in cmd.findings),
        )
        await uow.control.save(report)
        return Accepted(
            ids={"report_id": str(report.key)}, data={"findings": [str(f.finding_id) for f in report.findings]}
        )

    async def answer_finding(self, uow: OrganisationUnitOfWork, cmd: AnswerAuditFinding) -> Accepted:
        """The improvement action that answers a finding: when its task is done, the finding closes."""
        report = await uow.control.get(cmd.report_id, for_update=True)
        if not isinstance(report, AuditReport):
            raise RuleViolation("unknown_audit_report", f"no audit report {cmd.report_id}")
        report.answered_by(cmd.finding_id, uuid.uuid4())  # refuses an unknown or closed finding first
        task = await self._task(uow, report.key, report.entity, cmd.action)
        await uow.control.save(report.answered_by(cmd.finding_id, task.task_id))
        return Accepted(ids={"task_id": str(task.task_id)})

    async def conclude_agreement(self, uow: OrganisationUnitOfWork, cmd: ConcludeAfsprakennota) -> Accepted:
        """The afsprakennota the algemeen directeur concludes; each objective becomes a tracked task."""
        await _director(uow, cmd.actor_person_id, self._clock().date())
        agreement = Agreement.conclude(
            legislature=cmd.legislature,
            on=cmd.concluded_on,
            parties=cmd.parties,
            cooperation=cmd.cooperation,
            conduct=cmd.conduct,
            delegated_powers=cmd.delegated_powers,
        )
        objectives = []
        for action, text in cmd.objectives:
            # One organisation for both entities: the objectives are filed under the gemeente.
            task = await self._task(uow, agreement.key, LegalEntity.GEMEENTE, action)
            objectives.append(Objective(objective_id=action.action_id, text=text, task_id=task.task_id))
        await uow.control.save(agreement.model_copy(update={"objectives": tuple(objectives)}))
        return Accepted(ids={"agreement_id": str(agreement.key)}, data={"objectives": len(objectives)})

    async def _task(
        self,
        uow: OrganisationUnitOfWork,
        source: uuid.UUID,
        entity: LegalEntity,
        action: FollowUpAction,
        *,
        owner: str | None = None,
    ) -> FollowUpTask:
        """A follow-up task hanging off `source`, owned by the unit's head or the named `owner`."""
        now = self._clock()
        organogram = await uow.organogram.at(now.date())
        [task] = plan_tasks(
            decision_id=source,
            entity=entity,
            actions=(action,),
            decided_at=now,
            organogram=organogram,
            policy=self._policy,
            now=now,
        )
        if owner is not None:
            person = await uow.persons.get(owner)
            if person is None or not person.active_on(now.date()):
                raise RuleViolation("unknown_person", f"no person {owner} in service")
            task = dataclasses.replace(task, owner_person_id=person.person_id, owner_name=person.name)
        if await uow.tasks.add_if_new(task):
            uow.emit(events.TaskCreated.of(task))
        return task


async def close_answered_finding(uow: OrganisationUnitOfWork, task: FollowUpTask, on: dt.date) -> None:
    """A done task that answers an audit finding closes it."""
    report = await uow.control.get(task.decision_id, for_update=True)
    if isinstance(report, AuditReport):
        closed = report.action_done(task.task_id, on)
        if closed is not None:
            await uow.control.save(closed)


async def _risk(uow: OrganisationUnitOfWork, risk_id: uuid.UUID) -> Risk:
    risk = await uow.control.get(risk_id, for_update=True)
    if not isinstance(risk, Risk):
        raise RuleViolation("unknown_risk", f"no risk {risk_id} in the register")
    return risk


async def _director(uow: OrganisationUnitOfWork, person_id: str, on: dt.date) -> None:
    """The algemeen directeur heads the organogram's root unit."""
    organogram = await uow.organogram.at(on)
    root = organogram.units.get(organogram.root) if organogram.root else None
    if root is None or root.head != person_id:
        raise RuleViolation("not_the_director", f"{person_id} is not the algemeen directeur")
