"""Inbox entries."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from shared.contracts.organisation import TaskCreated

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


def entry_for_task(task: TaskCreated, now: dt.datetime) -> InboxEntry:
    """Tell a task's owner about it, with its deadline."""
    return InboxEntry(
        entry_id=uuid.uuid4(),
        person_id=task.owner_person_id,
        title=f"New task: {task.title} (due {task.due_date.isoformat()})",
        about=f"task:{task.task_id}",
        created_at=now,
    )
