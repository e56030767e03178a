"""Composition root of organisation: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from services.organisation.adapters.tables import metadata
from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.entrypoints.subscriptions import register
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["OrganisationSettings", "build"]


class OrganisationSettings(ServiceSettings):
    """Settings of organisation (`RW_ORGANISATION_*`)."""


def build(settings: OrganisationSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    return wire_service(settings, metadata, SqlOrganisationUnitOfWork, register)
