"""One handler per command and event; the messaging wrapper owns commit and rollback."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable

from services.organisation.domain import mandates as mandate_rules
from services.organisation.domain import tasks as task_rules
from services.organisation.domain.mandates import Mandate, MandateRuleError
from services.organisation.domain.model import (
    DeadlinePolicy,
    Delegate,
    FollowUpTask,
    Organogram,
    Person,
    TaskStatus,
    Unit,
    UnknownUnitError,
    plan_tasks,
)
from services.organisation.domain.tasks import EscalationPolicy, TaskRuleError
from services.organisation.service_layer.ports import OrganisationUnitOfWork, TaskComment
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import BodyKind, CommandReply, CommandStatus, FollowUpAction, FollowUpKind
from shared.contracts.finance import CreditExhausted
from shared.contracts.hr import DelegationGranted, DelegationRevoked, StaffAppointed, StaffDismissed
from shared.contracts.meetings import DecisionAdopted, DecisionKind
from shared.contracts.organisation import (
    ApplyOrganogram,
    CancelTask,
    ChangeMandateStatus,
    ClaimTask,
    CommentTask,
    CompleteTask,
    DecisionExecuted,
    DraftOrganogram,
    EndMandate,
    GetOrganogram,
    ListMandates,
    ListTasks,
    MandateEnded,
    MandateStarted,
    MandateStatusChanged,
    OrganogramApplied,
    OrganogramUnit,
    ReassignTask,
    ScanOverdue,
    StartMandate,
    TaskCancelled,
    TaskClaimed,
    TaskCompleted,
    TaskCreated,
    TaskEscalated,
    TaskOverdue,
    TaskReassigned,
)
from shared.logging import get_logger
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected, PermanentError

__all__ = [
    "apply_organogram",
    "cancel_task",
    "change_mandate_status",
    "claim_task",
    "comment_task",
    "complete_task",
    "create_follow_up_tasks",
    "draft_organogram",
    "end_mandate",
    "follow_up_exhausted_credit",
    "get_organogram",
    "list_mandates",
    "list_tasks",
    "mandate_started",
    "record_delegation_granted",
    "record_delegation_revoked",
    "record_staff_appointed",
    "record_staff_dismissed",
    "scan_overdue",
    "start_mandate",
]

log = get_logger(__name__)

POLICY = DeadlinePolicy()
ESCALATION = EscalationPolicy()
COUNCILS = {BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _accepted(
    command_id: str, ids: dict[str, str] | None = None, data: dict[str, object] | None = None
) -> CommandReply:
    return CommandReply(command_id=command_id, status=CommandStatus.ACCEPTED, ids=ids or {}, data=data or {})


def _entity(entity: LegalEntity) -> Entity:
    return Entity(entity.value)


# ---------------------------------------------------------------------------------------------
# Follow-up tasks from adopted decisions


async def _delegates_of(uow: OrganisationUnitOfWork, organogram: Organogram) -> list[Delegate]:
    heads = sorted({u.head for u in organogram.units.values() if u.head})
    return await uow.delegates.of_persons(heads) if heads else []


async def create_follow_up_tasks(uow: OrganisationUnitOfWork, event: DecisionAdopted, _envelope: Envelope) -> None:
    """One task per follow-up action, owned by the unit's head or its delegate; never doubled.

    An organogram decision of a council also applies the drafted organogram from its effective date.
    """
    if event.kind is DecisionKind.ORGANOGRAM:
        await _apply_adopted_organogram(uow, event)
    await _create_tasks(
        uow,
        decision_id=event.decision_id,
        entity=event.entity,
        actions=event.follow_up_actions,
        decided_at=event.adopted_at,
        confidentiality=event.confidentiality,
    )


#: The unit that resolves a decision whose credit no longer suffices (the financial service).
CREDIT_UNIT = "FIN"
#: Days to propose a budget change or an internal credit adjustment.
CREDIT_FOLLOW_UP_DAYS = 10


async def follow_up_exhausted_credit(uow: OrganisationUnitOfWork, event: CreditExhausted, envelope: Envelope) -> None:
    """A decision that no longer fits its credit gets a task for the financial service."""
    now = _now()
    action = FollowUpAction(
        action_id="credit-exhausted",
        kind=FollowUpKind.EXECUTE,
        description=(
            f"Krediet {event.credit_key} ontoereikend voor {event.amount} EUR (beschikbaar {event.available}):"
            " budgetwijziging of interne kredietaanpassing voorbereiden"
        ),
        unit_code=CREDIT_UNIT,
        due_date=now.date() + dt.timedelta(days=CREDIT_FOLLOW_UP_DAYS),
    )
    await _create_tasks(
        uow,
        decision_id=event.decision_id,
        entity=event.entity,
        actions=(action,),
        decided_at=now,
        confidentiality=envelope.confidentiality,
    )


async def _create_tasks(
    uow: OrganisationUnitOfWork,
    *,
    decision_id: uuid.UUID,
    entity: LegalEntity,
    actions: tuple[FollowUpAction, ...],
    decided_at: dt.datetime,
    confidentiality: Confidentiality,
) -> None:
    if not actions:
        return
    organogram = await uow.organogram.at(decided_at.date())
    try:
        tasks = plan_tasks(
            decision_id=decision_id,
            entity=entity,
            actions=actions,
            decided_at=decided_at,
            organogram=organogram,
            policy=POLICY,
            now=_now(),
            delegates=await _delegates_of(uow, organogram),
            confidentiality=confidentiality,
        )
    except UnknownUnitError as exc:
        raise PermanentError("unknown_unit", str(exc)) from exc
    for task in tasks:
        if await uow.tasks.add_if_new(task):
            uow.emit(
                TaskCreated(
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
                ),
                subject_id=str(task.task_id),
                entity=_entity(task.entity),
                confidentiality=confidentiality,
            )


async def _apply_adopted_organogram(uow: OrganisationUnitOfWork, event: DecisionAdopted) -> None:
    if event.body not in COUNCILS:
        log.warning("organogram decision of a body that cannot adopt one", body=event.body.value)
        return
    if await uow.organogram.applied_by(event.decision_id) is not None:
        return
    version = await uow.organogram.apply_draft(event.effective_date, event.decision_id)
    if version is None:
        raise PermanentError("no_organogram_draft", "an organogram was adopted but no draft awaits adoption")
    draft = await uow.organogram.at(event.effective_date)
    uow.emit(
        OrganogramApplied(
            version=version, valid_from=event.effective_date, unit_count=len(draft.units), decision_id=event.decision_id
        ),
        subject_id=str(version),
    )


# ---------------------------------------------------------------------------------------------
# Task commands


async def _task(uow: OrganisationUnitOfWork, task_id: uuid.UUID) -> FollowUpTask:
    task = await uow.tasks.get(task_id)
    if task is None:
        raise CommandRejected("unknown_task", f"no task {task_id}")
    return task


def _apply(change: Callable[[], FollowUpTask]) -> FollowUpTask:
    try:
        return change()
    except TaskRuleError as exc:
        raise CommandRejected(exc.code, exc.message) from exc


async def _emit_task(
    uow: OrganisationUnitOfWork, event: TaskClaimed | TaskReassigned | TaskCancelled, task: FollowUpTask
) -> None:
    uow.emit(
        event,
        subject_id=str(task.task_id),
        entity=_entity(task.entity),
        confidentiality=task.confidentiality,
    )


async def _check_executed(uow: OrganisationUnitOfWork, task: FollowUpTask) -> None:
    siblings = await uow.tasks.of_decision(task.decision_id)
    if task_rules.decision_executed(siblings) and await uow.tasks.mark_executed(task.decision_id, _now()):
        uow.emit(
            DecisionExecuted(
                decision_id=task.decision_id,
                entity=task.entity,
                task_count=sum(1 for t in siblings if t.status is TaskStatus.DONE),
                executed_at=_now(),
            ),
            subject_id=str(task.decision_id),
            entity=_entity(task.entity),
            confidentiality=task.confidentiality,
        )


async def claim_task(uow: OrganisationUnitOfWork, cmd: ClaimTask, _envelope: Envelope) -> CommandReply:
    """The owner starts working on the task."""
    task = await _task(uow, cmd.task_id)
    updated = _apply(lambda: task_rules.claim(task, cmd.person_id))
    await uow.tasks.save(updated)
    await _emit_task(
        uow,
        TaskClaimed(task_id=task.task_id, decision_id=task.decision_id, entity=task.entity, person_id=cmd.person_id),
        task,
    )
    return _accepted(cmd.command_id, {"task_id": str(task.task_id)}, {"status": updated.status.value})


async def complete_task(uow: OrganisationUnitOfWork, cmd: CompleteTask, _envelope: Envelope) -> CommandReply:
    """Done; when every task of the decision is done (or cancelled) the decision is executed."""
    task = await _task(uow, cmd.task_id)
    now = _now()
    updated = _apply(lambda: task_rules.complete(task, cmd.person_id, now))
    await uow.tasks.save(updated)
    uow.emit(
        TaskCompleted(
            task_id=task.task_id,
            decision_id=task.decision_id,
            entity=task.entity,
            completed_by=cmd.person_id,
            completed_at=now,
        ),
        subject_id=str(task.task_id),
        entity=_entity(task.entity),
        confidentiality=task.confidentiality,
    )
    await _check_executed(uow, updated)
    return _accepted(cmd.command_id, {"task_id": str(task.task_id)}, {"status": updated.status.value})


async def reassign_task(uow: OrganisationUnitOfWork, cmd: ReassignTask, _envelope: Envelope) -> CommandReply:
    """Another person owns the task."""
    task = await _task(uow, cmd.task_id)
    person = await uow.persons.get(cmd.to_person_id)
    if person is None:
        raise CommandRejected("unknown_person", f"no person {cmd.to_person_id}")
    updated = _apply(lambda: task_rules.reassign(task, person))
    await uow.tasks.save(updated)
    await _emit_task(
        uow,
        TaskReassigned(
            task_id=task.task_id,
            decision_id=task.decision_id,
            entity=task.entity,
            from_person_id=task.owner_person_id,
            to_person_id=person.person_id,
            to_name=person.name,
            by_person_id=cmd.by_person_id,
            reason=cmd.reason,
        ),
        task,
    )
    return _accepted(cmd.command_id, {"task_id": str(task.task_id)}, {"owner_person_id": person.person_id})


async def comment_task(uow: OrganisationUnitOfWork, cmd: CommentTask, _envelope: Envelope) -> CommandReply:
    """A remark on the task, kept with it."""
    task = await _task(uow, cmd.task_id)
    comment = TaskComment(uuid.uuid4(), task.task_id, cmd.person_id, cmd.text, _now())
    await uow.tasks.add_comment(comment)
    return _accepted(cmd.command_id, {"comment_id": str(comment.comment_id)})


async def cancel_task(uow: OrganisationUnitOfWork, cmd: CancelTask, _envelope: Envelope) -> CommandReply:
    """The task will not be done; it no longer blocks the decision."""
    task = await _task(uow, cmd.task_id)
    updated = _apply(lambda: task_rules.cancel(task, cmd.reason))
    await uow.tasks.save(updated)
    await _emit_task(
        uow,
        TaskCancelled(
            task_id=task.task_id,
            decision_id=task.decision_id,
            entity=task.entity,
            by_person_id=cmd.by_person_id,
            reason=cmd.reason.strip(),
        ),
        task,
    )
    await _check_executed(uow, updated)
    return _accepted(cmd.command_id, {"task_id": str(task.task_id)}, {"status": updated.status.value})


async def run_overdue_scan(uow: OrganisationUnitOfWork, as_of: dt.date) -> tuple[int, int]:
    """Mark unfinished tasks past their deadline overdue and escalate them; answers (overdue, escalated)."""
    organogram = await uow.organogram.at(as_of)
    overdue = escalated = 0
    for task in await uow.tasks.unfinished_due_before(as_of):
        outcome = task_rules.scan_task(task, as_of, organogram, ESCALATION)
        if outcome is None:
            continue
        await uow.tasks.save(outcome.task)
        if outcome.became_overdue:
            overdue += 1
            uow.emit(
                TaskOverdue(
                    task_id=task.task_id,
                    decision_id=task.decision_id,
                    entity=task.entity,
                    owner_person_id=task.owner_person_id,
                    due_date=task.due_date,
                    detected_on=as_of,
                ),
                subject_id=str(task.task_id),
                entity=_entity(task.entity),
                confidentiality=task.confidentiality,
            )
        if outcome.escalated_to is not None and outcome.escalated_from is not None:
            escalated += 1
            uow.emit(
                TaskEscalated(
                    task_id=task.task_id,
                    decision_id=task.decision_id,
                    entity=task.entity,
                    from_person_id=outcome.escalated_from,
                    to_person_id=outcome.escalated_to.person_id,
                    to_name=outcome.escalated_to.name,
                    level=outcome.task.escalation_level,
                ),
                subject_id=str(task.task_id),
                entity=_entity(task.entity),
                confidentiality=task.confidentiality,
            )
    await uow.scans.record(as_of, _now(), overdue, escalated)
    return overdue, escalated


async def scan_overdue(uow: OrganisationUnitOfWork, cmd: ScanOverdue, _envelope: Envelope) -> CommandReply:
    """The periodic overdue scan, on demand, as of a given date."""
    overdue, escalated = await run_overdue_scan(uow, cmd.as_of)
    return _accepted(cmd.command_id, data={"overdue": overdue, "escalated": escalated, "as_of": cmd.as_of.isoformat()})


def task_view(task: FollowUpTask) -> dict[str, object]:
    """A task as JSON for query replies."""
    return {
        "task_id": str(task.task_id),
        "decision_id": str(task.decision_id),
        "action_id": task.action_id,
        "kind": task.kind.value,
        "title": task.title,
        "entity": task.entity.value,
        "unit_code": task.unit_code,
        "owner_person_id": task.owner_person_id,
        "owner_name": task.owner_name,
        "due_date": task.due_date.isoformat(),
        "status": task.status.value,
        "escalation_level": task.escalation_level,
        "claimed_by": task.claimed_by,
        "delegation_id": str(task.delegation_id) if task.delegation_id else None,
    }


async def list_tasks(uow: OrganisationUnitOfWork, cmd: ListTasks, _envelope: Envelope) -> CommandReply:
    """Tasks by decision, owner, unit and/or status, by due date."""
    try:
        status = TaskStatus(cmd.status) if cmd.status else None
    except ValueError as exc:
        raise CommandRejected("unknown_status", f"status is one of {', '.join(s.value for s in TaskStatus)}") from exc
    tasks = await uow.tasks.list(
        decision_id=cmd.decision_id, owner_person_id=cmd.owner_person_id, unit_code=cmd.unit_code, status=status
    )
    return _accepted(cmd.command_id, data={"tasks": [task_view(t) for t in tasks]})


# ---------------------------------------------------------------------------------------------
# Mandates


def mandate_started(m: Mandate) -> MandateStarted:
    """The event announcing a mandate."""
    return MandateStarted(
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


async def start_mandate(uow: OrganisationUnitOfWork, cmd: StartMandate, _envelope: Envelope) -> CommandReply:
    """A seat in a body, and its linked parallel seat."""
    existing = await uow.mandates.list(person_id=cmd.person_id)
    try:
        made = mandate_rules.start_mandates(
            person_id=cmd.person_id,
            person_name=cmd.person_name,
            body=cmd.body,
            role=cmd.role,
            status=cmd.status,
            voting=cmd.voting,
            start=cmd.start,
            end=cmd.end,
            parallel=cmd.parallel,
            existing=existing,
            ids=(uuid.uuid4(), uuid.uuid4()),
        )
    except MandateRuleError as exc:
        raise CommandRejected(exc.code, exc.message) from exc
    for m in made:
        await uow.mandates.add_if_new(m)
        uow.emit(mandate_started(m), subject_id=str(m.mandate_id), entity=_entity(m.entity))
    return _accepted(cmd.command_id, {m.body.value: str(m.mandate_id) for m in made})


async def _mandate(uow: OrganisationUnitOfWork, mandate_id: uuid.UUID) -> Mandate:
    mandate = await uow.mandates.get(mandate_id)
    if mandate is None:
        raise CommandRejected("unknown_mandate", f"no mandate {mandate_id}")
    return mandate


async def end_mandate(uow: OrganisationUnitOfWork, cmd: EndMandate, _envelope: Envelope) -> CommandReply:
    """The mandate (and its linked seat, held by right) ends on `end`."""
    first = await _mandate(uow, cmd.mandate_id)
    chain = [first]
    if first.linked_mandate_id is not None:
        linked = await uow.mandates.get(first.linked_mandate_id)
        if linked is not None and (linked.end is None or linked.end > cmd.end):
            chain.append(linked)
    ended: dict[str, str] = {}
    for m in chain:
        try:
            updated = mandate_rules.end_mandate(m, cmd.end, cmd.reason)
        except MandateRuleError as exc:
            raise CommandRejected(exc.code, exc.message) from exc
        await uow.mandates.save(updated)
        uow.emit(
            MandateEnded(mandate_id=m.mandate_id, person_id=m.person_id, body=m.body, end=cmd.end, reason=cmd.reason),
            subject_id=str(m.mandate_id),
            entity=_entity(m.entity),
        )
        ended[m.body.value] = str(m.mandate_id)
    return _accepted(cmd.command_id, ended)


async def change_mandate_status(
    uow: OrganisationUnitOfWork, cmd: ChangeMandateStatus, _envelope: Envelope
) -> CommandReply:
    """Effective, acting or prevented from `since` (the parallel seat is not changed)."""
    mandate = await _mandate(uow, cmd.mandate_id)
    try:
        updated = mandate_rules.change_status(mandate, cmd.status, cmd.since)
    except MandateRuleError as exc:
        raise CommandRejected(exc.code, exc.message) from exc
    await uow.mandates.save(updated)
    uow.emit(
        MandateStatusChanged(
            mandate_id=mandate.mandate_id,
            person_id=mandate.person_id,
            body=mandate.body,
            status=cmd.status,
            since=cmd.since,
        ),
        subject_id=str(mandate.mandate_id),
        entity=_entity(mandate.entity),
    )
    return _accepted(cmd.command_id, {"mandate_id": str(mandate.mandate_id)})


def mandate_view(m: Mandate) -> dict[str, object]:
    """A mandate as JSON for query replies."""
    return {
        "mandate_id": str(m.mandate_id),
        "person_id": m.person_id,
        "person_name": m.person_name,
        "body": m.body.value,
        "entity": m.entity.value,
        "role": m.role.value,
        "status": m.status.value,
        "voting": m.voting,
        "start": m.start.isoformat(),
        "end": m.end.isoformat() if m.end else None,
        "linked_mandate_id": str(m.linked_mandate_id) if m.linked_mandate_id else None,
    }


async def list_mandates(uow: OrganisationUnitOfWork, cmd: ListMandates, _envelope: Envelope) -> CommandReply:
    """Mandates by body and/or person, running on a date."""
    found = await uow.mandates.list(body=cmd.body, person_id=cmd.person_id, on=cmd.on)
    return _accepted(cmd.command_id, data={"mandates": [mandate_view(m) for m in found]})


# ---------------------------------------------------------------------------------------------
# Organogram


def _units(units: tuple[OrganogramUnit, ...]) -> list[Unit]:
    codes = [u.code for u in units]
    if len(set(codes)) != len(codes):
        raise CommandRejected("duplicate_unit", "each unit code appears once")
    roots = [u.code for u in units if u.parent is None]
    if len(roots) != 1:
        raise CommandRejected("one_root_required", f"exactly one unit has no parent (found {roots or 'none'})")
    unknown = [u.parent for u in units if u.parent is not None and u.parent not in codes]
    if unknown:
        raise CommandRejected("unknown_parent", f"parent units not in the organogram: {', '.join(sorted(unknown))}")
    parents = {u.code: u.parent for u in units}
    for code in codes:
        seen: set[str] = set()
        current: str | None = code
        while current is not None:
            if current in seen:
                raise CommandRejected("cyclic_organogram", f"unit {code} is its own ancestor")
            seen.add(current)
            current = parents[current]
    return [Unit(u.code, u.name, u.parent, u.head_person_id, u.management_team) for u in units]


async def _check_heads(uow: OrganisationUnitOfWork, units: list[Unit]) -> None:
    for unit in units:
        if unit.head and await uow.persons.get(unit.head) is None:
            raise CommandRejected("unknown_person", f"head {unit.head} of unit {unit.code} is not known")


async def draft_organogram(uow: OrganisationUnitOfWork, cmd: DraftOrganogram, _envelope: Envelope) -> CommandReply:
    """The next organogram, awaiting adoption by the council."""
    units = _units(cmd.units)
    await _check_heads(uow, units)
    version = await uow.organogram.save_draft(units)
    return _accepted(cmd.command_id, {"version": str(version)})


async def apply_organogram(uow: OrganisationUnitOfWork, cmd: ApplyOrganogram, _envelope: Envelope) -> CommandReply:
    """A new organogram version valid from `valid_from`: the given units, else the draft."""
    if cmd.units is not None:
        units = _units(cmd.units)
        await _check_heads(uow, units)
        version: int | None = await uow.organogram.apply(cmd.valid_from, units, None)
    else:
        version = await uow.organogram.apply_draft(cmd.valid_from, None)
        if version is None:
            raise CommandRejected("no_organogram_draft", "give the units or draft an organogram first")
    applied = await uow.organogram.at(cmd.valid_from)
    assert version is not None
    uow.emit(
        OrganogramApplied(version=version, valid_from=cmd.valid_from, unit_count=len(applied.units)),
        subject_id=str(version),
    )
    return _accepted(cmd.command_id, {"version": str(version)})


def organogram_view(organogram: Organogram) -> dict[str, object]:
    """An organogram as JSON for query replies."""
    persons = organogram.persons
    return {
        "version": organogram.version,
        "valid_from": organogram.valid_from.isoformat() if organogram.valid_from else None,
        "root": organogram.root,
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "parent": u.parent,
                "head_person_id": u.head,
                "head_name": persons[u.head].name if u.head and u.head in persons else None,
                "management_team": u.management_team,
            }
            for u in sorted(organogram.units.values(), key=lambda u: (u.parent is not None, u.code))
        ],
        "management_team": sorted({u.head for u in organogram.units.values() if u.management_team and u.head}),
    }


async def get_organogram(uow: OrganisationUnitOfWork, cmd: GetOrganogram, _envelope: Envelope) -> CommandReply:
    """The organogram valid on a date."""
    organogram = await uow.organogram.at(cmd.on or _now().date())
    return _accepted(cmd.command_id, data=organogram_view(organogram))


# ---------------------------------------------------------------------------------------------
# What hr tells us: delegates and staff


async def record_delegation_granted(uow: OrganisationUnitOfWork, event: DelegationGranted, _e: Envelope) -> None:
    """A person-to-person delegation may make the delegate the owner of the grantor's tasks."""
    if event.from_person_id is None or event.to_body is not None:
        return
    await uow.delegates.upsert(
        Delegate(
            delegation_id=event.delegation_id,
            from_person_id=event.from_person_id,
            to_person_id=event.to_person_id,
            power=event.power.value,
            entity=event.entity,
            valid_from=event.valid_from,
            valid_until=event.valid_until,
        )
    )


async def record_delegation_revoked(uow: OrganisationUnitOfWork, event: DelegationRevoked, _e: Envelope) -> None:
    """Revoked delegations no longer give tasks to the delegate."""
    await uow.delegates.revoke(event.delegation_id, event.revoked_at.date())


async def record_staff_appointed(uow: OrganisationUnitOfWork, event: StaffAppointed, _e: Envelope) -> None:
    """A new colleague can own tasks."""
    await uow.persons.upsert(Person(event.person_id, event.person_name, active=True))


async def record_staff_dismissed(uow: OrganisationUnitOfWork, event: StaffDismissed, _e: Envelope) -> None:
    """A person who left owns no new tasks; their units' tasks go to the next level."""
    person = await uow.persons.get(event.person_id)
    if person is not None:
        await uow.persons.upsert(dataclasses.replace(person, active=False))
