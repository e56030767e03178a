"""The registry of notifications: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from services.notifications.adapters import translation
from services.notifications.service_layer import views
from services.notifications.service_layer.reactions import NotificationReactions
from shared.contracts.finance import VisumOverruled
from shared.contracts.notifications import ListInbox
from shared.contracts.organisation import MandateEnded, MandateStarted, MandateStatusChanged, TaskCreated
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
            "notifications_mandates": {
                MandateStarted: reaction(translation.keep_seat, reactions.keep_seat),
                MandateStatusChanged: reaction(translation.change_seat_status, reactions.change_seat_status),
                MandateEnded: reaction(translation.end_seat, reactions.end_seat),
            },
            "notifications_overrulings": {
                VisumOverruled: reaction(translation.inform_council, reactions.inform_council)
            },
        },
    )
