"""Contracts of the `notifications` service."""

from __future__ import annotations

import uuid

from shared.contracts.base import Command, Event

__all__ = ["InboxEntryCreated", "ListInbox"]


class InboxEntryCreated(Event):
    """A message was put in a person's inbox."""

    SUBJECT = "notifications.inbox_entry.created"

    entry_id: uuid.UUID
    person_id: str
    title: str
    about: str
    """What the entry points at, e.g. `task:<uuid>`."""


class ListInbox(Command):
    """Query: a person's inbox entries, newest first."""

    NAME = "list_inbox"
    SERVICE = "notifications"

    person_id: str
