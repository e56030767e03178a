"""What organisation's commands, reactions and views need from persistence and messaging."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from services.organisation.domain.control import ControlRecord
from services.organisation.domain.mandates import Mandate
from services.organisation.domain.model import Delegate, FollowUpTask, Organogram, Person, TaskStatus, Unit
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import BodyKind

__all__ = [
    "ControlRegister",
    "Delegates",
    "Mandates",
    "OrganisationUnitOfWork",
    "Organograms",
    "Persons",
    "Scans",
    "TaskComment",
    "Tasks",
]


@dataclass(frozen=True)
class TaskComment:
    """A remark on a task."""

    comment_id: uuid.UUID
    task_id: uuid.UUID
    person_id: str
    text: str
    at: dt.datetime


class Organograms(Protocol):
    async def at(self, on: dt.date) -> Organogram:
        """The applied version valid on `on` (empty when none)."""
        ...

    async def save_draft(self, units: Sequence[Unit]) -> int:
        """A new draft beside the others; answers its version number."""
        ...

    async def drafts(self) -> list[int]:
        """The versions awaiting adoption, oldest first."""
        ...

    async def version(self, version: int) -> Organogram | None:
        """One version, draft or applied; `None` when there is none by that number."""
        ...

    async def apply(self, valid_from: dt.date, units: Sequence[Unit], decision_id: uuid.UUID | None) -> int: ...

    async def apply_draft(self, version: int, valid_from: dt.date, decision_id: uuid.UUID | None) -> bool:
        """Apply that draft from `valid_from`; False when `version` is no draft."""
        ...

    async def applied_by(self, decision_id: uuid.UUID) -> int | None: ...


class Persons(Protocol):
    async def get(self, person_id: str) -> Person | None: ...

    async def upsert(self, person: Person) -> None: ...

    async def set_inactive_from(self, person_id: str, day: dt.date | None) -> None:
        """The first day the person is out of service (None: in service); a person not known is left alone."""
        ...


class Tasks(Protocol):
    async def add_if_new(self, task: FollowUpTask) -> bool:
        """Store the task unless its (decision, action) already has one; True when stored."""
        ...

    async def get(self, task_id: uuid.UUID) -> FollowUpTask | None: ...

    async def save(self, task: FollowUpTask) -> None: ...

    async def of_decision(self, decision_id: uuid.UUID) -> list[FollowUpTask]: ...

    async def unfinished_due_before(self, day: dt.date, limit: int = 500) -> list[FollowUpTask]: ...

    async def add_comment(self, comment: TaskComment) -> None: ...

    async def comments(self, task_id: uuid.UUID) -> list[TaskComment]: ...

    async def mark_executed(self, decision_id: uuid.UUID, at: dt.datetime) -> bool:
        """Record the decision as executed; False when it already was."""
        ...

    async def list(
        self,
        *,
        decision_id: uuid.UUID | None = None,
        owner_person_id: str | None = None,
        unit_code: str | None = None,
        status: TaskStatus | None = None,
    ) -> list[FollowUpTask]: ...


class Mandates(Protocol):
    async def add_if_new(self, mandate: Mandate) -> bool: ...

    async def get(self, mandate_id: uuid.UUID) -> Mandate | None: ...

    async def save(self, mandate: Mandate) -> None: ...

    async def list(
        self, *, body: BodyKind | None = None, person_id: str | None = None, on: dt.date | None = None
    ) -> list[Mandate]: ...


class Delegates(Protocol):
    async def upsert(self, delegate: Delegate) -> None: ...

    async def revoke(self, delegation_id: uuid.UUID, on: dt.date) -> None: ...

    async def of_persons(self, person_ids: Sequence[str]) -> list[Delegate]: ...


class Scans(Protocol):
    async def record(self, as_of: dt.date, at: dt.datetime, overdue: int, escalated: int) -> None: ...

    async def last(self) -> dt.date | None: ...


class ControlRegister(Protocol):
    """Internal control's records (the system, risks, audit reports, agreements), each a document by key."""

    async def get(self, key: uuid.UUID, *, for_update: bool = False) -> ControlRecord | None: ...

    async def save(self, record: ControlRecord) -> None:
        """Insert or replace the record with its key."""
        ...

    async def of_kind(self, kind: str) -> list[ControlRecord]:
        """Every record of one kind (`risk`, `audit_report`, `agreement`, `system`), by key."""
        ...


class OrganisationUnitOfWork(EmitsEvents, Protocol):
    @property
    def organogram(self) -> Organograms: ...

    @property
    def tasks(self) -> Tasks: ...

    @property
    def persons(self) -> Persons: ...

    @property
    def mandates(self) -> Mandates: ...

    @property
    def delegates(self) -> Delegates: ...

    @property
    def scans(self) -> Scans: ...

    @property
    def control(self) -> ControlRegister: ...
