"""Composition root of notifications: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from services.notifications.adapters.tables import metadata
from services.notifications.adapters.uow import SqlNotificationsUnitOfWork
from services.notifications.entrypoints.subscriptions import registry
from services.notifications.service_layer.reactions import NotificationReactions
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import clock_of, wire_service

__all__ = ["NotificationsSettings", "build", "registry_of"]


class NotificationsSettings(ServiceSettings):
    """Settings of notifications (`RW_NOTIFICATIONS_*`)."""


def registry_of(settings: NotificationsSettings) -> Registry:
    """Every subject of notifications bound to its handler, built with the clock."""
    return registry(NotificationReactions(clock_of(settings)))


def build(settings: NotificationsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and the registry."""
    return wire_service(settings, metadata, SqlNotificationsUnitOfWork, registry_of(settings))
