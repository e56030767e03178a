"""The one place where organisation meets the message contracts.

Incoming commands and events become organisation's own commands; its domain events become the
contracts it publishes, with the envelope attributes they travel with: task events carry the
decision's entity and confidentiality, mandate events their entity, organogram events concern both.
"""

from __future__ import annotations

import functools

from services.organisation.domain import commands as own
from services.organisation.domain import events
from services.organisation.domain.model import Unit
from shared.contracts import control
from shared.contracts import organisation as published
from shared.contracts.base import Event
from shared.contracts.external import ExternalDeadlineLapsed, ExternalDeadlineOpened
from shared.contracts.finance import CreditExhausted
from shared.contracts.hr import DelegationGranted, DelegationRevoked, StaffAppointed, StaffDismissed
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.records import LetterRegistered
from shared.contracts.sessions import PublicationTermNearing
from shared.kernel import DomainEvent
from shared.messaging.context import acting_person
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import Entity, FollowUpAction, FollowUpKind

__all__ = [
    "add_control_measure",
    "answer_audit_finding",
    "apply_organogram",
    "cancel_task",
    "change_mandate_status",
    "claim_task",
    "comment_task",
    "complete_task",
    "conclude_afsprakennota",
    "draft_organogram",
    "end_mandate",
    "follow_up_decision",
    "follow_up_exhausted_credit",
    "follow_up_external_deadline",
    "follow_up_letter",
    "follow_up_publication",
    "outgoing",
    "plan_improvement_action",
    "reassign_task",
    "record_audit_report",
    "record_control_review",
    "record_delegation_granted",
    "record_delegation_revoked",
    "record_incident",
    "record_staff_appointed",
    "record_staff_dismissed",
    "register_risk",
    "scan_overdue",
    "set_up_internal_control",
    "start_mandate",
]


# -- internal control ---------------------------------------------------------------------------


def set_up_internal_control(c: control.SetUpInternalControl) -> own.SetUpInternalControl:
    return own.SetUpInternalControl(
        framework_decision_ids=c.framework_decision_ids,
        consulted_decision_id=c.consulted_decision_id,
        actor_person_id=acting_person(),
    )


def register_risk(c: control.RegisterRisk) -> own.RegisterRisk:
    return own.RegisterRisk(
        entity=c.entity,
        process=c.process,
        unit_code=c.unit_code,
        title=c.title,
        likelihood=c.likelihood,
        impact=c.impact,
        owner_person_id=c.owner_person_id,
    )


def add_control_measure(c: control.AddControlMeasure) -> own.AddControlMeasure:
    return own.AddControlMeasure(
        risk_id=c.risk_id,
        description=c.description,
        owner_person_id=c.owner_person_id,
        first_review=c.first_review,
        review_every_days=c.review_every_days,
    )


def record_control_review(c: control.RecordControlReview) -> own.RecordControlReview:
    return own.RecordControlReview(
        risk_id=c.risk_id,
        measure_id=c.measure_id,
        effective=c.effective,
        note=c.note,
        actor_person_id=acting_person(),
    )


def record_incident(c: control.RecordIncident) -> own.RecordIncident:
    return own.RecordIncident(
        risk_id=c.risk_id, occurred_on=c.occurred_on, description=c.description, actor_person_id=acting_person()
    )


def _action(action_id: str, description: str, unit_code: str, due_date: object) -> FollowUpAction:
    return FollowUpAction.model_validate(
        {
            "action_id": action_id,
            "kind": FollowUpKind.EXECUTE,
            "description": description[:500],
            "unit_code": unit_code,
            "due_date": due_date,
        }
    )


def plan_improvement_action(c: control.PlanImprovementAction) -> own.PlanImprovementAction:
    return own.PlanImprovementAction(
        risk_id=c.risk_id, action=_action(c.action_id, c.description, c.unit_code, c.due_date)
    )


def record_audit_report(c: control.RecordAuditReport) -> own.RecordAuditReport:
    return own.RecordAuditReport(
        entity=c.entity,
        title=c.title,
        received_on=c.received_on,
        available_to_council_on=c.available_to_council_on,
        findings=tuple((f.text, f.risk_id) for f in c.findings),
    )


def answer_audit_finding(c: control.AnswerAuditFinding) -> own.AnswerAuditFinding:
    return own.AnswerAuditFinding(
        report_id=c.report_id,
        finding_id=c.finding_id,
        action=_action(f"finding-{c.finding_id}", c.description, c.unit_code, c.due_date),
    )


def conclude_afsprakennota(c: control.ConcludeAfsprakennota) -> own.ConcludeAfsprakennota:
    return own.ConcludeAfsprakennota(
        legislature=c.legislature,
        concluded_on=c.concluded_on,
        parties=c.parties,
        cooperation=c.cooperation,
        conduct=c.conduct,
        delegated_powers=c.delegated_powers,
        objectives=tuple((_action(o.objective_id, o.text, o.unit_code, o.due_date), o.text) for o in c.objectives),
        actor_person_id=acting_person(),
    )


# -- commands -----------------------------------------------------------------------------------


def claim_task(c: published.ClaimTask) -> own.ClaimTask:
    return own.ClaimTask(task_id=c.task_id, person_id=acting_person())


def complete_task(c: published.CompleteTask) -> own.CompleteTask:
    return own.CompleteTask(task_id=c.task_id, person_id=acting_person())


def reassign_task(c: published.ReassignTask) -> own.ReassignTask:
    return own.ReassignTask(
        task_id=c.task_id, to_person_id=c.to_person_id, by_person_id=acting_person(), reason=c.reason
    )


def comment_task(c: published.CommentTask) -> own.CommentTask:
    return own.CommentTask(task_id=c.task_id, person_id=acting_person(), text=c.text)


def cancel_task(c: published.CancelTask) -> own.CancelTask:
    return own.CancelTask(task_id=c.task_id, by_person_id=acting_person(), reason=c.reason)


def scan_overdue(c: published.ScanOverdue) -> own.ScanOverdue:
    return own.ScanOverdue(as_of=c.as_of)


def start_mandate(c: published.StartMandate) -> own.StartMandate:
    return own.StartMandate(
        person_id=c.person_id,
        person_name=c.person_name,
        body=c.body,
        role=c.role,
        status=c.status,
        voting=c.voting,
        start=c.start,
        end=c.end,
        parallel=c.parallel,
    )


def end_mandate(c: published.EndMandate) -> own.EndMandate:
    return own.EndMandate(mandate_id=c.mandate_id, end=c.end, reason=c.reason)


def change_mandate_status(c: published.ChangeMandateStatus) -> own.ChangeMandateStatus:
    return own.ChangeMandateStatus(mandate_id=c.mandate_id, status=c.status, since=c.since)


def _units(units: tuple[published.OrganogramUnit, ...]) -> tuple[Unit, ...]:
    return tuple(Unit(u.code, u.name, u.parent, u.head_person_id, u.management_team) for u in units)


def draft_organogram(c: published.DraftOrganogram) -> own.DraftOrganogram:
    return own.DraftOrganogram(units=_units(c.units))


def apply_organogram(c: published.ApplyOrganogram) -> own.ApplyOrganogram:
    return own.ApplyOrganogram(
        valid_from=c.valid_from, units=None if c.units is None else _units(c.units), version=c.version
    )


# -- consumed events ----------------------------------------------------------------------------


def follow_up_decision(event: DecisionAdopted, _envelope: Envelope) -> own.FollowUpDecision:
    """Every adopted decision: its follow-up actions, and an organogram it may adopt."""
    return own.FollowUpDecision(
        decision_id=event.decision_id,
        body=event.body,
        entity=event.entity,
        kind=event.kind,
        actions=event.follow_up_actions,
        decided_at=event.adopted_at,
        effective_date=event.effective_date,
        confidentiality=event.confidentiality,
        organogram_version=event.organogram_version,
        district=event.district,
    )


def follow_up_publication(event: PublicationTermNearing, _envelope: Envelope) -> own.FollowUpPublication:
    """A meeting's document nears the end of its publication term unpublished."""
    return own.FollowUpPublication(
        meeting_id=event.meeting_id,
        document_kind=event.document_kind,
        entity=event.entity,
        action=event.action,
    )


def follow_up_exhausted_credit(event: CreditExhausted, envelope: Envelope) -> own.FollowUpExhaustedCredit:
    """An exhausted credit, with the confidentiality finance announced it with."""
    return own.FollowUpExhaustedCredit(
        decision_id=event.decision_id,
        entity=event.entity,
        credit_key=event.credit_key,
        amount=event.amount,
        available=event.available,
        confidentiality=envelope.confidentiality,
    )


def follow_up_letter(event: LetterRegistered, envelope: Envelope) -> own.FollowUpLetter:
    """A registered letter, with the confidentiality records announced it with."""
    return own.FollowUpLetter(
        letter_id=event.letter_id,
        entity=event.entity,
        sender=event.sender,
        subject=event.subject,
        unit_code=event.unit_code,
        received_on=event.received_on,
        due_on=event.due_on,
        confidentiality=envelope.confidentiality,
    )


def follow_up_external_deadline(
    event: ExternalDeadlineOpened | ExternalDeadlineLapsed, envelope: Envelope
) -> own.FollowUpExternalDeadline:
    """The task external's deadline names, for the entity (gemeente or OCMW) involved."""
    return own.FollowUpExternalDeadline(
        deadline_id=event.deadline_id,
        entity=event.municipal_entity,
        action=event.follow_up,
        at=envelope.time,
        confidentiality=envelope.confidentiality,
    )


def record_delegation_granted(event: DelegationGranted, _envelope: Envelope) -> own.RecordDelegate | None:
    """Only a person-to-person delegation can make someone the owner of another's tasks."""
    if event.from_person_id is None or event.to_body is not None:
        return None
    return own.RecordDelegate(
        delegation_id=event.delegation_id,
        from_person_id=event.from_person_id,
        to_person_id=event.to_person_id,
        power=event.power.value,
        entity=event.entity,
        valid_from=event.valid_from,
        valid_until=event.valid_until,
    )


def record_delegation_revoked(event: DelegationRevoked, _envelope: Envelope) -> own.RevokeDelegate:
    return own.RevokeDelegate(delegation_id=event.delegation_id, on=event.revoked_at.date())


def record_staff_appointed(event: StaffAppointed, _envelope: Envelope) -> own.RecordStaffAppointed:
    return own.RecordStaffAppointed(person_id=event.person_id, name=event.person_name)


def record_staff_dismissed(event: StaffDismissed, _envelope: Envelope) -> own.RecordStaffDismissed:
    """One employment ended; whether the person stays in service is hr's to say (older messages did not)."""
    return own.RecordStaffDismissed(
        person_id=event.person_id,
        end_date=event.end_date,
        remains_employed=event.remains_employed,
        in_service_until=event.in_service_until,
    )


# -- published events ---------------------------------------------------------------------------


@functools.singledispatch
def outgoing(event: DomainEvent) -> Outgoing:
    """The contract a domain event is published as."""
    raise TypeError(f"organisation publishes no {type(event).__name__}")


@outgoing.register
def _(event: events.MandateStarted) -> Outgoing:
    return Outgoing(
        published.MandateStarted(
            mandate_id=event.mandate_id,
            person_id=event.person_id,
            person_name=event.person_name,
            body=event.body,
            entity=event.entity,
            role=event.role,
            status=event.status,
            voting=event.voting,
            start=event.start,
            end=event.end,
            linked_mandate_id=event.linked_mandate_id,
            group=event.group,
        ),
        subject_id=str(event.mandate_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.MandateStatusChanged) -> Outgoing:
    return Outgoing(
        published.MandateStatusChanged(
            mandate_id=event.mandate_id,
            person_id=event.person_id,
            body=event.body,
            status=event.status,
            since=event.since,
        ),
        subject_id=str(event.mandate_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.MandateEnded) -> Outgoing:
    return Outgoing(
        published.MandateEnded(
            mandate_id=event.mandate_id, person_id=event.person_id, body=event.body, end=event.end, reason=event.reason
        ),
        subject_id=str(event.mandate_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.OrganogramApplied) -> Outgoing:
    return Outgoing(
        published.OrganogramApplied(
            version=event.version,
            valid_from=event.valid_from,
            unit_count=event.unit_count,
            decision_id=event.decision_id,
        ),
        subject_id=str(event.version),
    )


def _task(contract: Event, event: events.TaskEvent) -> Outgoing:
    return Outgoing(
        contract,
        subject_id=str(event.task_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.TaskCreated) -> Outgoing:
    return _task(
        published.TaskCreated(
            task_id=event.task_id,
            decision_id=event.decision_id,
            action_id=event.action_id,
            kind=event.kind,
            title=event.title,
            entity=event.entity,
            unit_code=event.unit_code,
            owner_person_id=event.owner_person_id,
            owner_name=event.owner_name,
            due_date=event.due_date,
            district=event.district,
        ),
        event,
    )


@outgoing.register
def _(event: events.TaskClaimed) -> Outgoing:
    return _task(
        published.TaskClaimed(
            task_id=event.task_id, decision_id=event.decision_id, entity=event.entity, person_id=event.person_id
        ),
        event,
    )


@outgoing.register
def _(event: events.TaskCompleted) -> Outgoing:
    return _task(
        published.TaskCompleted(
            task_id=event.task_id,
            decision_id=event.decision_id,
            entity=event.entity,
            completed_by=event.completed_by,
            completed_at=event.completed_at,
        ),
        event,
    )


@outgoing.register
def _(event: events.TaskReassigned) -> Outgoing:
    return _task(
        published.TaskReassigned(
            task_id=event.task_id,
            decision_id=event.decision_id,
            entity=event.entity,
            from_person_id=event.from_person_id,
            to_person_id=event.to_person_id,
            to_name=event.to_name,
            by_person_id=event.by_person_id,
            reason=event.reason,
        ),
        event,
    )


@outgoing.register
def _(event: events.TaskCancelled) -> Outgoing:
    return _task(
        published.TaskCancelled(
            task_id=event.task_id,
            decision_id=event.decision_id,
            entity=event.entity,
            by_person_id=event.by_person_id,
            reason=event.reason,
        ),
        event,
    )


@outgoing.register
def _(event: events.TaskOverdue) -> Outgoing:
    return _task(
        published.TaskOverdue(
            task_id=event.task_id,
            decision_id=event.decision_id,
            entity=event.entity,
            owner_person_id=event.owner_person_id,
            due_date=event.due_date,
            detected_on=event.detected_on,
        ),
        event,
    )


@outgoing.register
def _(event: events.TaskEscalated) -> Outgoing:
    return _task(
        published.TaskEscalated(
            task_id=event.task_id,
            decision_id=event.decision_id,
            entity=event.entity,
            from_person_id=event.from_person_id,
            to_person_id=event.to_person_id,
            to_name=event.to_name,
            level=event.level,
        ),
        event,
    )


@outgoing.register
def _(event: events.DecisionExecuted) -> Outgoing:
    return Outgoing(
        published.DecisionExecuted(
            decision_id=event.decision_id,
            entity=event.entity,
            task_count=event.task_count,
            executed_at=event.executed_at,
        ),
        subject_id=str(event.decision_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )
