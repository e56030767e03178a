"""Follow-up tasks: claim, complete, reassign, comment, cancel, and the overdue scan."""

from __future__ import annotations

import uuid

from services.organisation.domain import events
from services.organisation.domain import tasks as rules
from services.organisation.domain.commands import (
    CancelTask,
    ClaimTask,
    CommentTask,
    CompleteTask,
    ReassignTask,
    ScanOverdue,
)
from services.organisation.domain.model import FollowUpTask, TaskStatus
from services.organisation.domain.policy import TaskPolicy
from services.organisation.service_layer.commands.control import close_answered_finding
from services.organisation.service_layer.ports import OrganisationUnitOfWork, TaskComment
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["TaskCommands"]


class TaskCommands:
    """What people do with their tasks; a decision is executed once its last task is done."""

    def __init__(self, policy: TaskPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def claim(self, uow: OrganisationUnitOfWork, cmd: ClaimTask) -> Accepted:
        """The owner, or a delegate of the owner, starts working on the task."""
        task = await _task(uow, cmd.task_id)
        delegates = await uow.delegates.of_persons([task.owner_person_id])
        updated = rules.claim(task, cmd.person_id, delegates, self._clock().date())
        await uow.tasks.save(updated)
        uow.emit(
            events.TaskClaimed(
                task_id=task.task_id,
                decision_id=task.decision_id,
                entity=task.entity,
                confidentiality=task.confidentiality,
                person_id=cmd.person_id,
            )
        )
        return Accepted(ids={"task_id": str(task.task_id)}, data={"status": updated.status.value})

    async def complete(self, uow: OrganisationUnitOfWork, cmd: CompleteTask) -> Accepted:
        """Done; when every task of the decision is done (or cancelled) the decision is executed."""
        task = await _task(uow, cmd.task_id)
        now = self._clock()
        delegates = await uow.delegates.of_persons([task.owner_person_id])
        updated = rules.complete(task, cmd.person_id, now, delegates)
        await uow.tasks.save(updated)
        uow.emit(
            events.TaskCompleted(
                task_id=task.task_id,
                decision_id=task.decision_id,
                entity=task.entity,
                confidentiality=task.confidentiality,
                completed_by=cmd.person_id,
                completed_at=now,
            )
        )
        await close_answered_finding(uow, updated, now.date())
        await self._check_executed(uow, updated)
        return Accepted(ids={"task_id": str(task.task_id)}, data={"status": updated.status.value})

    async def reassign(self, uow: OrganisationUnitOfWork, cmd: ReassignTask) -> Accepted:
        """Another person owns the task."""
        task = await _task(uow, cmd.task_id)
        person = await uow.persons.get(cmd.to_person_id)
        if person is None:
            raise RuleViolation("unknown_person", f"no person {cmd.to_person_id}")
        updated = rules.reassign(task, person, self._clock().date())
        await uow.tasks.save(updated)
        uow.emit(
            events.TaskReassigned(
                task_id=task.task_id,
                decision_id=task.decision_id,
                entity=task.entity,
                confidentiality=task.confidentiality,
                from_person_id=task.owner_person_id,
                to_person_id=person.person_id,
                to_name=person.name,
                by_person_id=cmd.by_person_id,
                reason=cmd.reason,
            )
        )
        return Accepted(ids={"task_id": str(task.task_id)}, data={"owner_person_id": person.person_id})

    async def comment(self, uow: OrganisationUnitOfWork, cmd: CommentTask) -> Accepted:
        """A remark on the task, kept with it."""
        task = await _task(uow, cmd.task_id)
        comment = TaskComment(uuid.uuid4(), task.task_id, cmd.person_id, cmd.text, self._clock())
        await uow.tasks.add_comment(comment)
        return Accepted(ids={"comment_id": str(comment.comment_id)})

    async def cancel(self, uow: OrganisationUnitOfWork, cmd: CancelTask) -> Accepted:
        """The task will not be done; it no longer blocks the decision."""
        task = await _task(uow, cmd.task_id)
        updated = rules.cancel(task, cmd.reason)
        await uow.tasks.save(updated)
        uow.emit(
            events.TaskCancelled(
                task_id=task.task_id,
                decision_id=task.decision_id,
                entity=task.entity,
                confidentiality=task.confidentiality,
                by_person_id=cmd.by_person_id,
                reason=cmd.reason.strip(),
            )
        )
        await self._check_executed(uow, updated)
        return Accepted(ids={"task_id": str(task.task_id)}, data={"status": updated.status.value})

    async def scan_overdue(self, uow: OrganisationUnitOfWork, cmd: ScanOverdue) -> Accepted:
        """Mark unfinished tasks past their deadline on `as_of` overdue and escalate them.

        The periodic scan and its command both run this; a second scan as of the same day changes
        nothing, because the task row holds the whole state (status, level, last escalation).
        """
        organogram = await uow.organogram.at(cmd.as_of)
        overdue = escalated = 0
        for task in await uow.tasks.unfinished_due_before(cmd.as_of):
            outcome = rules.scan_task(task, cmd.as_of, organogram, self._policy)
            if outcome is None:
                continue
            await uow.tasks.save(outcome.task)
            if outcome.became_overdue:
                overdue += 1
                uow.emit(
                    events.TaskOverdue(
                        task_id=task.task_id,
                        decision_id=task.decision_id,
                        entity=task.entity,
                        confidentiality=task.confidentiality,
                        owner_person_id=task.owner_person_id,
                        due_date=task.due_date,
                        detected_on=cmd.as_of,
                    )
                )
            if outcome.escalated_to is not None and outcome.escalated_from is not None:
                escalated += 1
                uow.emit(
                    events.TaskEscalated(
                        task_id=task.task_id,
                        decision_id=task.decision_id,
                        entity=task.entity,
                        confidentiality=task.confidentiality,
                        from_person_id=outcome.escalated_from,
                        to_person_id=outcome.escalated_to.person_id,
                        to_name=outcome.escalated_to.name,
                        level=outcome.task.escalation_level,
                    )
                )
        await uow.scans.record(cmd.as_of, self._clock(), overdue, escalated)
        return Accepted(data={"overdue": overdue, "escalated": escalated, "as_of": cmd.as_of.isoformat()})

    async def _check_executed(self, uow: OrganisationUnitOfWork, task: FollowUpTask) -> None:
        siblings = await uow.tasks.of_decision(task.decision_id)
        now = self._clock()
        if rules.decision_executed(siblings) and await uow.tasks.mark_executed(task.decision_id, now):
            uow.emit(
                events.DecisionExecuted(
                    decision_id=task.decision_id,
                    entity=task.entity,
                    task_count=sum(1 for t in siblings if t.status is TaskStatus.DONE),
                    executed_at=now,
                    confidentiality=task.confidentiality,
                )
            )


async def _task(uow: OrganisationUnitOfWork, task_id: uuid.UUID) -> FollowUpTask:
    task = await uow.tasks.get(task_id)
    if task is None:
        raise RuleViolation("unknown_task", f"no task {task_id}")
    return task
