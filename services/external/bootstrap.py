"""Composition root of external: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from pydantic import Field, field_validator

from services.external.adapters.tables import metadata
from services.external.adapters.uow import SqlExternalUnitOfWork
from services.external.domain.model import ReportingPolicy
from services.external.entrypoints.subscriptions import registry
from services.external.service_layer.commands.supervision import SupervisionCommands
from services.external.service_layer.reactions import ExternalReactions
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.vocabulary import BodyKind
from shared.wiring import clock_of, wire_service

__all__ = ["ExternalSettings", "build", "registry_of", "reporting_policy"]


class ExternalSettings(ServiceSettings):
    """Settings of external (`RW_EXTERNAL_*`)."""

    reportable_bodies: frozenset[BodyKind] | None = Field(
        default=None,
        description="Bodies whose decision lists (and so every decision on them) are reported to the supervisory "
        'authority, as a JSON list (e.g. ["gemeenteraad","raad_maatschappelijk_welzijn"]); default: the table of '
        "decision types (council, RMW, district council); the BCSD is refused. Reportable decision types are "
        "reported whatever the body.",
    )

    @field_validator("reportable_bodies")
    @classmethod
    def _a_lawful_policy(cls, bodies: frozenset[BodyKind] | None) -> frozenset[BodyKind] | None:
        if bodies is not None:
            ReportingPolicy(bodies)  # refuses the BCSD at start, not at the first decision
        return bodies


def reporting_policy(settings: ExternalSettings) -> ReportingPolicy:
    """The meldingsplicht policy: the legal default, with what the deployment configured."""
    return ReportingPolicy(**overrides(settings, "reportable_bodies"))


def registry_of(settings: ExternalSettings) -> Registry:
    """Every subject of external bound to its handler, built with the reporting policy and the clock."""
    clock = clock_of(settings)
    return registry(ExternalReactions(reporting_policy(settings), clock), SupervisionCommands(clock))


def build(settings: ExternalSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and the registry."""
    return wire_service(settings, metadata, SqlExternalUnitOfWork, registry_of(settings))
