"""What happened in organisation (the translation maps these to outgoing contracts)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from services.organisation.domain.mandates import Mandate
from services.organisation.domain.model import FollowUpTask
from shared.kernel import DomainEvent
from shared.vocabulary import BodyKind, Confidentiality, FollowUpKind, LegalEntity, MandateRole, MandateStatus

__all__ = [
    "DecisionExecuted",
    "MandateEnded",
    "MandateStarted",
    "MandateStatusChanged",
    "OrganogramApplied",
    "TaskCancelled",
    "TaskClaimed",
    "TaskCompleted",
    "TaskCreated",
    "TaskEscalated",
    "TaskEvent",
    "TaskOverdue",
    "TaskReassigned",
]


# -- mandates: public, about one entity -----------------------------------------------------------


@dataclass(frozen=True)
class MandateStarted(DomainEvent):
    """A person holds a seat in a body from `start`."""

    mandate_id: uuid.UUID
    person_id: str
    person_name: str
    body: BodyKind
    entity: LegalEntity
    role: MandateRole
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None
    linked_mandate_id: uuid.UUID | None
    group: str | None = None

    @classmethod
    def of(cls, m: Mandate) -> MandateStarted:
        """The announcement of a mandate as it was stored."""
        return cls(
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
            group=m.group,
        )


@dataclass(frozen=True)
class MandateStatusChanged(DomainEvent):
    """A sitting member becomes prevented, acting or effective again from `since`."""

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    entity: LegalEntity
    status: MandateStatus
    since: dt.date


@dataclass(frozen=True)
class MandateEnded(DomainEvent):
    """A mandate ends on `end`."""

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    entity: LegalEntity
    end: dt.date
    reason: str


# -- the organogram: one for both entities, public ---------------------------------------------------


@dataclass(frozen=True)
class OrganogramApplied(DomainEvent):
    """A version of the organogram applies from `valid_from`."""

    version: int
    valid_from: dt.date
    unit_count: int
    decision_id: uuid.UUID | None = None


# -- tasks: about the decision's entity, as confidential as the decision ----------------------------


@dataclass(frozen=True)
class TaskEvent(DomainEvent):
    """What every task event says: which task, of which decision, how confidential."""

    task_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    confidentiality: Confidentiality


@dataclass(frozen=True)
class TaskCreated(TaskEvent):
    """A follow-up task with its owner and deadline."""

    action_id: str
    kind: FollowUpKind
    title: str
    unit_code: str
    owner_person_id: str
    owner_name: str
    due_date: dt.date
    district: str | None = None

    @classmethod
    def of(cls, task: FollowUpTask) -> TaskCreated:
        """The announcement of a task as it was stored."""
        return cls(
            task_id=task.task_id,
            decision_id=task.decision_id,
            entity=task.entity,
            confidentiality=task.confidentiality,
            action_id=task.action_id,
            kind=task.kind,
            title=task.title,
            unit_code=task.unit_code,
            owner_person_id=task.owner_person_id,
            owner_name=task.owner_name,
            due_date=task.due_date,
            district=task.district,
        )


@dataclass(frozen=True)
class TaskClaimed(TaskEvent):
    """The owner started working on the task."""

    person_id: str


@dataclass(frozen=True)
class TaskCompleted(TaskEvent):
    """The task was done."""

    completed_by: str
    completed_at: dt.datetime


@dataclass(frozen=True)
class TaskReassigned(TaskEvent):
    """The task got another owner."""

    from_person_id: str
    to_person_id: str
    to_name: str
    by_person_id: str
    reason: str


@dataclass(frozen=True)
class TaskCancelled(TaskEvent):
    """The task will not be done."""

    by_person_id: str
    reason: str


@dataclass(frozen=True)
class TaskOverdue(TaskEvent):
    """The task passed its deadline without being done."""

    owner_person_id: str
    due_date: dt.date
    detected_on: dt.date


@dataclass(frozen=True)
class TaskEscalated(TaskEvent):
    """The overdue task moved to the next level of the organogram."""

    from_person_id: str
    to_person_id: str
    to_name: str
    level: int


@dataclass(frozen=True)
class DecisionExecuted(DomainEvent):
    """Every follow-up task of a decision is done (cancelled ones do not count)."""

    decision_id: uuid.UUID
    entity: LegalEntity
    task_count: int
    executed_at: dt.datetime
    confidentiality: Confidentiality
