"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.notifications.adapters.uow import SqlNotificationsUnitOfWork
from services.notifications.service_layer import handlers
from shared.contracts.notifications import ListInbox
from shared.contracts.organisation import TaskCreated
from shared.messaging.commands import bind_command
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker, uow_factory: Callable[[], SqlNotificationsUnitOfWork], dead_letters: DeadLetterStore
) -> None:
    """Bind every command and consumer of notifications."""
    bind_consumer(
        broker,
        consumer("notifications_tasks"),
        {TaskCreated: handlers.notify_task_owner},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_command(broker, ListInbox, handlers.list_inbox, uow_factory=uow_factory, idempotent=False)
