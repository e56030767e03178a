"""Contracts of the `organisation` service: follow-up tasks."""

from __future__ import annotations

import datetime as dt
import uuid

from shared.contracts.base import Command, Event, LegalEntity
from shared.contracts.common import FollowUpKind

__all__ = ["ListTasks", "TaskCreated"]


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
