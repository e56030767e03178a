"""Contracts of the `organisation` service: mandates, follow-up tasks, decision execution."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from shared.contracts.base import Command, Event, LegalEntity
from shared.contracts.common import BodyKind, FollowUpKind

__all__ = [
    "DecisionExecuted",
    "ListTasks",
    "MandateEnded",
    "MandateRole",
    "MandateStarted",
    "MandateStatus",
    "MandateStatusChanged",
    "TaskCompleted",
    "TaskCreated",
    "TaskEscalated",
    "TaskOverdue",
]


class MandateRole(StrEnum):
    """The seat a person holds in a body."""

    MEMBER = "member"
    CHAIR = "chair"
    MAYOR = "mayor"
    ALDERMAN = "alderman"
    """Schepen; the parallel seat in the vast bureau is also `alderman`."""
    SECRETARY = "secretary"
    """The algemeen directeur attends and keeps the minutes without a vote."""


class MandateStatus(StrEnum):
    EFFECTIVE = "effective"
    ACTING = "acting"
    """Waarnemend: sits in place of a prevented member."""
    PREVENTED = "prevented"
    """Verhinderd: keeps the mandate but does not sit (does not count for the quorum)."""


class MandateStarted(Event):
    """A person holds a seat in a body from `start` (until `end` when known)."""

    SUBJECT = "organisation.mandate.started"

    mandate_id: uuid.UUID
    person_id: str
    person_name: str
    body: BodyKind
    entity: LegalEntity
    role: MandateRole
    status: MandateStatus
    voting: bool = True
    start: dt.date
    end: dt.date | None = None
    linked_mandate_id: uuid.UUID | None = None
    """The parallel mandate (council member and RMW member, alderman and vast bureau member)."""


class MandateStatusChanged(Event):
    """A sitting member becomes prevented, acting or effective again from `since`."""

    SUBJECT = "organisation.mandate.status_changed"

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    status: MandateStatus
    since: dt.date


class MandateEnded(Event):
    """A mandate ends on `end` (resignation, end of legislature, death)."""

    SUBJECT = "organisation.mandate.ended"

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    end: dt.date
    reason: str = ""


class TaskCreated(Event):
    """A follow-up task for one action of an adopted decision, with its owner and deadline."""

    SUBJECT = "organisation.task.created"

    task_id: uuid.UUID
    decision_id: uuid.UUID
    action_id: str
    kind: FollowUpKind
    title: str
    entity: LegalEntity
    unit_code: str | None
    owner_person_id: str
    owner_name: str
    due_date: dt.date


class ListTasks(Command):
    """Query: follow-up tasks, by decision and/or by owner."""

    NAME = "list_tasks"
    SERVICE = "organisation"

    decision_id: uuid.UUID | None = None
    owner_person_id: str | None = None


class TaskOverdue(Event):
    """A task passed its deadline without being done."""

    SUBJECT = "organisation.task.overdue"

    task_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    owner_person_id: str
    due_date: dt.date
    detected_on: dt.date


class TaskEscalated(Event):
    """An overdue task moved to the next level of the organogram."""

    SUBJECT = "organisation.task.escalated"

    task_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    from_person_id: str
    to_person_id: str
    to_name: str
    level: int
    """How many times the task has been escalated."""


class TaskCompleted(Event):
    """A task was done."""

    SUBJECT = "organisation.task.completed"

    task_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    completed_by: str
    completed_at: dt.datetime


class DecisionExecuted(Event):
    """Every follow-up task of a decision is done (cancelled ones do not count)."""

    SUBJECT = "organisation.decision.executed"

    decision_id: uuid.UUID
    entity: LegalEntity
    task_count: int
    executed_at: dt.datetime
