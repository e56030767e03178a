"""Composition root of external: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker
from pydantic import Field, field_validator

from services.external.adapters.tables import metadata
from services.external.adapters.uow import SqlExternalUnitOfWork
from services.external.domain.model import DEFAULT_REPORTABLE_BODIES, NEVER_REPORTED, ReportingPolicy
from services.external.entrypoints.subscriptions import register
from shared.contracts.common import BodyKind
from shared.messaging.subscriber import DeadLetterStore
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["ExternalSettings", "build"]


class ExternalSettings(ServiceSettings):
    """Settings of external (`RW_EXTERNAL_*`)."""

    reportable_bodies: tuple[BodyKind, ...] = Field(
        default=tuple(sorted(DEFAULT_REPORTABLE_BODIES)),
        description="Bodies whose adopted decisions are reported to the supervisory authority, as a JSON list "
        '(e.g. ["gemeenteraad","raad_maatschappelijk_welzijn"]); the BCSD is refused.',
    )

    @field_validator("reportable_bodies")
    @classmethod
    def _never_bcsd(cls, bodies: tuple[BodyKind, ...]) -> tuple[BodyKind, ...]:
        forbidden = set(bodies) & NEVER_REPORTED
        if forbidden:
            raise ValueError(f"{', '.join(sorted(forbidden))} decisions are social-welfare content, never reported")
        return bodies

    def reporting_policy(self) -> ReportingPolicy:
        """The meldingsplicht policy these settings configure."""
        return ReportingPolicy.of(self.reportable_bodies)


def build(settings: ExternalSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    policy = settings.reporting_policy()

    def bind(
        broker: NatsBroker, uow_factory: Callable[[], SqlExternalUnitOfWork], dead_letters: DeadLetterStore
    ) -> None:
        register(broker, uow_factory, dead_letters, policy=policy)

    return wire_service(settings, metadata, SqlExternalUnitOfWork, bind)
