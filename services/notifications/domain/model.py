"""Inbox entries: what a person is told, once per thing it is about."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from services.notifications.domain.commands import NotifyTaskOwner

__all__ = ["InboxEntry", "entry_for_task"]


@dataclass(frozen=True)
class InboxEntry:
    """A message in a person's inbox; `about` names what it points at (one entry per thing)."""

    entry_id: uuid.UUID
    person_id: str
    title: str
    about: str
    created_at: dt.datetime
    read_at: dt.datetime | None = None


def entry_for_task(task: NotifyTaskOwner, entry_id: uuid.UUID, now: dt.datetime) -> InboxEntry:
    """Tell a task's owner about it, with its deadline."""
    return InboxEntry(
        entry_id=entry_id,
        person_id=task.owner_person_id,
        title=f"New task: {task.title} (due {task.due_date.isoformat()})",
        about=f"task:{task.task_id}",
        created_at=now,
    )
