"""Queries of notifications, answered from its tables with their typed replies."""

from __future__ import annotations

from services.notifications.service_layer.ports import NotificationsUnitOfWork
from shared.contracts.notifications import InboxLine, ListInbox, ListInboxReply

__all__ = ["list_inbox"]


async def list_inbox(uow: NotificationsUnitOfWork, query: ListInbox) -> ListInboxReply:
    """A person's inbox, newest first."""
    entries = await uow.inboxes.of(query.person_id)
    return ListInboxReply(
        command_id=query.command_id,
        person_id=query.person_id,
        entries=tuple(
            InboxLine(
                entry_id=e.entry_id, title=e.title, about=e.about, created_at=e.created_at, read=e.read_at is not None
            )
            for e in entries
        ),
    )
