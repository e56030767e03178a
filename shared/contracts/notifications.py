"""Contracts of the `notifications` service."""

from __future__ import annotations

import datetime as dt
import uuid

from shared.contracts.base import Contract, Event, Query, QueryReply

__all__ = ["InboxEntryCreated", "InboxLine", "ListInbox", "ListInboxReply"]


class InboxEntryCreated(Event):
    """A message was put in a person's inbox."""

    SUBJECT = "notifications.inbox_entry.created"

    entry_id: uuid.UUID
    person_id: str
    title: str
    about: str
    """What the entry points at, e.g. `task:<uuid>`."""


class InboxLine(Contract):
    """One entry of an inbox."""

    entry_id: uuid.UUID
    title: str
    about: str
    """What the entry points at, e.g. `task:<uuid>`."""
    created_at: dt.datetime
    read: bool


class ListInboxReply(QueryReply):
    """A person's inbox entries, newest first (at most 200)."""

    person_id: str
    entries: tuple[InboxLine, ...]


class ListInbox(Query):
    """Query: a person's inbox entries, newest first."""

    NAME = "list_inbox"
    SERVICE = "notifications"
    Reply = ListInboxReply

    person_id: str
