"""What can happen to a follow-up task: claim, complete, reassign, cancel, become overdue, escalate."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.organisation.domain.model import (
    OWNER_POWERS,
    Delegate,
    FollowUpTask,
    Organogram,
    Person,
    TaskStatus,
    escalation_target,
)
from services.organisation.domain.policy import TaskPolicy
from shared.contracts.common import FollowUpKind
from shared.kernel import RuleViolation

__all__ = [
    "ScanOutcome",
    "acts_for_owner",
    "cancel",
    "claim",
    "complete",
    "decision_executed",
    "reassign",
    "scan_task",
]


def _open(task: FollowUpTask) -> None:
    if task.closed:
        raise RuleViolation("task_closed", f"task {task.task_id} is {task.status.value}: it cannot change any more")


def acts_for_owner(
    task: FollowUpTask,
    person_id: str,
    delegates: Iterable[Delegate],
    on: dt.date,
    powers: Mapping[FollowUpKind, str] = OWNER_POWERS,
) -> bool:
    """The owner, or a delegate of the owner: a person-to-person delegation from the owner (known from
    hr) of the power that fits the task's kind, for the task's entity, running on `on`."""
    if person_id == task.owner_person_id:
        return True
    power = powers.get(task.kind, "decide")
    return any(
        d.from_person_id == task.owner_person_id
        and d.to_person_id == person_id
        and d.power == power
        and d.entity is task.entity
        and d.active_on(on)
        for d in delegates
    )


def claim(
    task: FollowUpTask, person_id: str, delegates: Iterable[Delegate] = (), on: dt.date | None = None
) -> FollowUpTask:
    """The owner, or a delegate of the owner, starts working on the task (an overdue task stays overdue)."""
    _open(task)
    if not acts_for_owner(task, person_id, delegates, on or task.created_at.date()):
        raise RuleViolation(
            "not_owner",
            f"{person_id} neither owns task {task.task_id} nor holds a running delegation of its owner",
        )
    if task.claimed_by == person_id:
        raise RuleViolation("already_claimed", f"{person_id} already works on task {task.task_id}")
    status = TaskStatus.OVERDUE if task.status is TaskStatus.OVERDUE else TaskStatus.IN_PROGRESS
    return dataclasses.replace(task, status=status, claimed_by=person_id)


def complete(task: FollowUpTask, person_id: str, at: dt.datetime, delegates: Iterable[Delegate] = ()) -> FollowUpTask:
    """The owner, a delegate of the owner, or whoever claimed the task, marks it done."""
    _open(task)
    if person_id != task.claimed_by and not acts_for_owner(task, person_id, delegates, at.date()):
        raise RuleViolation(
            "not_owner",
            f"{person_id} neither owns nor works on task {task.task_id} nor holds a running delegation of its owner",
        )
    return dataclasses.replace(task, status=TaskStatus.DONE, completed_by=person_id, completed_at=at)


def reassign(task: FollowUpTask, to: Person, today: dt.date) -> FollowUpTask:
    """Another person in service today owns the task from now; the claim is dropped."""
    _open(task)
    if not to.active_on(today):
        raise RuleViolation("person_inactive", f"{to.person_id} is no longer in service")
    if to.person_id == task.owner_person_id:
        raise RuleViolation("same_owner", f"{to.person_id} already owns task {task.task_id}")
    status = TaskStatus.OVERDUE if task.status is TaskStatus.OVERDUE else TaskStatus.OPEN
    return dataclasses.replace(
        task, owner_person_id=to.person_id, owner_name=to.name, claimed_by=None, status=status, delegation_id=None
    )


def cancel(task: FollowUpTask, reason: str) -> FollowUpTask:
    """The task will not be done; a reason is required."""
    _open(task)
    if not reason.strip():
        raise RuleViolation("reason_required", "say why the task is cancelled")
    return dataclasses.replace(task, status=TaskStatus.CANCELLED, cancel_reason=reason.strip())


@dataclass(frozen=True)
class ScanOutcome:
    """What the overdue scan did to one task."""

    task: FollowUpTask
    became_overdue: bool
    escalated_from: str | None = None
    escalated_to: Person | None = None


def scan_task(task: FollowUpTask, as_of: dt.date, organogram: Organogram, policy: TaskPolicy) -> ScanOutcome | None:
    """Mark an unfinished task past its deadline overdue and escalate it; `None` when nothing changes.

    The first escalation comes with the overdue mark; each further one after
    `policy.escalate_again_after_days` more days without the task being done, until the
    algemeen directeur holds it.

    Idempotent for a given `as_of`: a second scan on the same day changes nothing, so the
    persisted task (status, level, last escalation date) is the scan's whole state.
    """
    if task.closed or as_of <= task.due_date:
        return None
    became_overdue = task.status is not TaskStatus.OVERDUE
    due_for_escalation = became_overdue or (
        task.last_escalated_on is not None
        and as_of >= task.last_escalated_on + dt.timedelta(days=policy.escalate_again_after_days)
    )
    updated = dataclasses.replace(task, status=TaskStatus.OVERDUE)
    target = escalation_target(organogram, task, as_of) if due_for_escalation else None
    if target is None:
        return ScanOutcome(updated, became_overdue) if became_overdue else None
    escalated = dataclasses.replace(
        updated,
        owner_person_id=target.person_id,
        owner_name=target.name,
        claimed_by=None,
        delegation_id=None,
        escalation_level=task.escalation_level + 1,
        last_escalated_on=as_of,
    )
    return ScanOutcome(escalated, became_overdue, escalated_from=task.owner_person_id, escalated_to=target)


def decision_executed(tasks: Iterable[FollowUpTask]) -> bool:
    """Every task is done or cancelled, and at least one is done."""
    statuses = [t.status for t in tasks]
    return (
        bool(statuses)
        and TaskStatus.DONE in statuses
        and all(s in {TaskStatus.DONE, TaskStatus.CANCELLED} for s in statuses)
    )
