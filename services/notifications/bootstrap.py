"""Composition root of notifications: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from services.notifications.adapters.tables import metadata
from services.notifications.adapters.uow import SqlNotificationsUnitOfWork
from services.notifications.entrypoints.subscriptions import register
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["NotificationsSettings", "build"]


class NotificationsSettings(ServiceSettings):
    """Settings of notifications (`RW_MEETINGS_*`)."""


def build(settings: NotificationsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    return wire_service(settings, metadata, SqlNotificationsUnitOfWork, register)
