"""Contracts of the `organisation` service: mandates, follow-up tasks, decision execution."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, Query, QueryReply
from shared.vocabulary import BodyKind, DistrictId, FollowUpKind, LegalEntity, MandateRole, MandateStatus

__all__ = [
    "ApplyOrganogram",
    "CancelTask",
    "ChangeMandateStatus",
    "ClaimTask",
    "CommentTask",
    "CompleteTask",
    "DecisionExecuted",
    "DraftOrganogram",
    "EndMandate",
    "GetOrganogram",
    "GetOrganogramReply",
    "ListMandates",
    "ListMandatesReply",
    "ListTasks",
    "ListTasksReply",
    "MandateEnded",
    "MandateLine",
    "MandateRole",
    "MandateStarted",
    "MandateStatus",
    "MandateStatusChanged",
    "OrganogramApplied",
    "OrganogramUnit",
    "OrganogramUnitLine",
    "ReassignTask",
    "ScanOverdue",
    "StartMandate",
    "TaskCancelled",
    "TaskClaimed",
    "TaskCompleted",
    "TaskCreated",
    "TaskEscalated",
    "TaskLine",
    "TaskOverdue",
    "TaskReassigned",
    "TaskStatus",
]

#: Organogram versions are numbered from 1 in a PostgreSQL integer column.
MAX_VERSION = 2**31 - 1

PersonId = Annotated[str, Field(min_length=1, max_length=64)]


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
    group: str | None = None
    """The council group (fractie) of a council or RMW member; committees' seats are shared by group."""
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
    district: DistrictId | None = None
    """The district its decision concerns: the task reaches that district's feed, redacted."""


class TaskStatus(StrEnum):
    """Where a follow-up task stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


class TaskLine(Contract):
    """One follow-up task as a query shows it."""

    task_id: uuid.UUID
    decision_id: uuid.UUID
    action_id: str
    kind: FollowUpKind
    title: str
    entity: LegalEntity
    unit_code: str
    owner_person_id: str
    owner_name: str
    due_date: dt.date
    status: TaskStatus
    escalation_level: int
    """How many times the task has been escalated."""
    claimed_by: str | None
    delegation_id: uuid.UUID | None
    """Set when the owner holds the task as the delegate of the unit's head."""


class ListTasksReply(QueryReply):
    """Follow-up tasks by due date, then title (at most 1000)."""

    tasks: tuple[TaskLine, ...]


class ListTasks(Query):
    """Query: follow-up tasks, by decision and/or by owner."""

    NAME = "list_tasks"
    SERVICE = "organisation"
    Reply = ListTasksReply

    decision_id: uuid.UUID | None = None
    owner_person_id: str | None = None
    unit_code: str | None = None
    """Tasks of one organogram unit."""
    status: str | None = None
    """`open`, `in_progress`, `done`, `overdue` or `cancelled`."""


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


class TaskClaimed(Event):
    """The owner started working on a task."""

    SUBJECT = "organisation.task.claimed"

    task_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    person_id: str


class TaskReassigned(Event):
    """A task got another owner."""

    SUBJECT = "organisation.task.reassigned"

    task_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    from_person_id: str
    to_person_id: str
    to_name: str
    by_person_id: str
    reason: str = ""


class TaskCancelled(Event):
    """A task will not be done; it no longer blocks the execution of its decision."""

    SUBJECT = "organisation.task.cancelled"

    task_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    by_person_id: str
    reason: str


class OrganogramUnit(Contract):
    """One unit of an organogram version; units span both entities."""

    code: Annotated[str, Field(min_length=1, max_length=32)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    parent: str | None = None
    """Code of the parent unit; exactly one unit (the management team) has none."""
    head_person_id: str | None = None
    management_team: bool = False
    """Whether the head sits in the management team."""


class OrganogramApplied(Event):
    """A version of the organogram applies from `valid_from` (adopted by the council or by command)."""

    SUBJECT = "organisation.organogram.applied"

    version: int
    valid_from: dt.date
    unit_count: int
    decision_id: uuid.UUID | None = None


class StartMandate(Command):
    """A person takes a seat in a body; a council or college seat starts its parallel OCMW seat too."""

    NAME = "start_mandate"
    SERVICE = "organisation"

    person_id: PersonId
    person_name: Annotated[str, Field(min_length=1, max_length=200)]
    body: BodyKind
    role: MandateRole = MandateRole.MEMBER
    status: MandateStatus = MandateStatus.EFFECTIVE
    voting: bool = True
    start: dt.date
    end: dt.date | None = None
    parallel: bool = True
    """Also start the linked mandate (gemeenteraad ↔ RMW, college ↔ vast bureau)."""


class EndMandate(Command):
    """End a mandate (and its linked parallel mandate) on `end`."""

    NAME = "end_mandate"
    SERVICE = "organisation"

    mandate_id: uuid.UUID
    end: dt.date
    reason: str = ""


class ChangeMandateStatus(Command):
    """A member becomes prevented, acting or effective again from `since`."""

    NAME = "change_mandate_status"
    SERVICE = "organisation"

    mandate_id: uuid.UUID
    status: MandateStatus
    since: dt.date


class MandateLine(Contract):
    """One mandate as a query shows it."""

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
    """The parallel mandate, when there is one."""


class ListMandatesReply(QueryReply):
    """Mandates by body, role and name."""

    mandates: tuple[MandateLine, ...]


class ListMandates(Query):
    """Query: mandates, by body and/or person, running on a date (all when no date)."""

    NAME = "list_mandates"
    SERVICE = "organisation"
    Reply = ListMandatesReply

    body: BodyKind | None = None
    person_id: str | None = None
    on: dt.date | None = None


class DraftOrganogram(Command):
    """Draft an organogram version beside any others; the reply names its `version`.

    It applies when the council adopts it by a decision naming that version (or by `apply_organogram`).
    """

    NAME = "draft_organogram"
    SERVICE = "organisation"

    units: tuple[OrganogramUnit, ...] = Field(min_length=1)


class ApplyOrganogram(Command):
    """Apply an organogram version from `valid_from`: the given units, else the draft `version`."""

    NAME = "apply_organogram"
    SERVICE = "organisation"

    valid_from: dt.date
    units: tuple[OrganogramUnit, ...] | None = None
    version: int | None = Field(default=None, ge=1, le=MAX_VERSION)
    """The draft to apply when no units are given; may be left out while only one draft waits."""


class OrganogramUnitLine(Contract):
    """One unit of an organogram version as a query shows it, with its head's name."""

    code: str
    name: str
    parent: str | None
    head_person_id: str | None
    head_name: str | None
    management_team: bool
    """Whether the head sits in the management team."""


class GetOrganogramReply(QueryReply):
    """The organogram version valid on the date asked (or the version asked); version 0 with no units when
    none was applied yet."""

    version: int
    valid_from: dt.date | None
    root: str
    units: tuple[OrganogramUnitLine, ...]
    """The root first, then by code."""
    management_team: tuple[str, ...]
    """Person ids of the heads in the management team, sorted."""
    draft: bool = False
    """A draft asked by its version (not applied)."""
    drafts: tuple[int, ...] = ()
    """The versions of the drafts awaiting adoption by the council."""


class GetOrganogram(Query):
    """Query: the organogram valid on a date (today when none), or one version, draft or applied."""

    NAME = "get_organogram"
    SERVICE = "organisation"
    Reply = GetOrganogramReply

    on: dt.date | None = None
    version: int | None = Field(default=None, ge=1, le=MAX_VERSION)
    """A version by its number (a draft, say); `on` is then ignored."""


class ClaimTask(Command):
    """The owner, or a delegate of the owner, starts working on a task (the signed actor; version 2)."""

    NAME = "claim_task"
    SERVICE = "organisation"
    VERSION = 2

    task_id: uuid.UUID


class CompleteTask(Command):
    """The owner, a delegate of the owner, or whoever claimed it marks a task done (the signed actor)."""

    NAME = "complete_task"
    SERVICE = "organisation"
    VERSION = 2

    task_id: uuid.UUID


class ReassignTask(Command):
    """Give a task another owner."""

    NAME = "reassign_task"
    SERVICE = "organisation"
    VERSION = 2

    task_id: uuid.UUID
    to_person_id: PersonId
    reason: str = ""


class CommentTask(Command):
    """Add a comment to a task."""

    NAME = "comment_task"
    SERVICE = "organisation"
    VERSION = 2

    task_id: uuid.UUID
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class CancelTask(Command):
    """Cancel a task with a reason; it no longer blocks its decision's execution."""

    NAME = "cancel_task"
    SERVICE = "organisation"
    VERSION = 2

    task_id: uuid.UUID
    reason: Annotated[str, Field(max_length=500)]


class ScanOverdue(Command):
    """Mark tasks past their deadline on `as_of` overdue and escalate them (the periodic scan, on demand)."""

    NAME = "scan_overdue"
    SERVICE = "organisation"

    as_of: dt.date
