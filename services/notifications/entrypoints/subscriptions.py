"""The registry of notifications: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.notifications.adapters import translation
from services.notifications.adapters.uow import SqlNotificationsUnitOfWork
from services.notifications.service_layer import views
from services.notifications.service_layer.reactions import NotificationReactions
from shared.contracts.notifications import ListInbox
from shared.contracts.organisation import TaskCreated
from shared.messaging.commands import bind_query
from shared.messaging.routes import reaction
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlNotificationsUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    reactions: NotificationReactions,
) -> None:
    """Bind every query and consumer of notifications."""
    bind_consumer(
        broker,
        consumer("notifications_tasks"),
        {TaskCreated: reaction(translation.notify_task_owner, reactions.notify_task_owner)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_query(broker, ListInbox, views.list_inbox, uow_factory=uow_factory)
