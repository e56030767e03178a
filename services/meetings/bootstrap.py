"""Composition root of meetings: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from services.meetings.adapters.tables import metadata
from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.entrypoints.subscriptions import register
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["MeetingsSettings", "build"]


class MeetingsSettings(ServiceSettings):
    """Settings of meetings (`RW_MEETINGS_*`)."""


def build(settings: MeetingsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    return wire_service(settings, metadata, SqlMeetingsUnitOfWork, register)
