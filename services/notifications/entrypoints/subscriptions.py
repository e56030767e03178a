"""The registry of notifications: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from services.notifications.adapters import translation
from services.notifications.service_layer import views
from services.notifications.service_layer.reactions import NotificationReactions
from shared.contracts.notifications import ListInbox
from shared.contracts.organisation import TaskCreated
from shared.messaging.routes import Registry, reaction

__all__ = ["registry"]


def registry(reactions: NotificationReactions) -> Registry:
    """Every query and consumer of notifications."""
    return Registry(
        queries={
            ListInbox: views.list_inbox,
        },
        consumers={
            "notifications_tasks": {TaskCreated: reaction(translation.notify_task_owner, reactions.notify_task_owner)},
        },
    )
