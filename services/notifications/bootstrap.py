"""Composition root of notifications: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.notifications.adapters.tables import metadata
from services.notifications.adapters.uow import SqlNotificationsUnitOfWork
from services.notifications.entrypoints.subscriptions import register
from services.notifications.service_layer.reactions import NotificationReactions
from shared.messaging.subscriber import DeadLetterStore
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import clock_of, wire_service

__all__ = ["NotificationsSettings", "build"]


class NotificationsSettings(ServiceSettings):
    """Settings of notifications (`RW_NOTIFICATIONS_*`)."""


def build(settings: NotificationsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers, with the handlers' clock."""
    reactions = NotificationReactions(clock_of(settings))

    def bind(
        broker: NatsBroker, uow_factory: Callable[[], SqlNotificationsUnitOfWork], dead_letters: DeadLetterStore
    ) -> None:
        register(broker, uow_factory, dead_letters, reactions=reactions)

    return wire_service(settings, metadata, SqlNotificationsUnitOfWork, bind)
