"""Composition root of external: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from pydantic import Field, field_validator

from services.external.adapters.demo import demo_entities, load_demo
from services.external.adapters.tables import metadata
from services.external.adapters.uow import SqlExternalUnitOfWork
from services.external.domain.commands import ScanDeadlines
from services.external.domain.deadlines import EntityTerms
from services.external.domain.model import ReportingPolicy
from services.external.entrypoints.subscriptions import ExternalHandlers, registry
from services.external.service_layer.commands.registry import RegistryCommands
from services.external.service_layer.commands.supervision import SupervisionCommands
from services.external.service_layer.reactions import ExternalReactions
from services.external.service_layer.views import ExternalViews
from shared.clock import Clock
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.messaging.routes import Registry
from shared.periodic import periodic_scan
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.vocabulary import BodyKind, SilenceMeans
from shared.wiring import clock_of, wire_service

__all__ = [
    "ExternalSettings",
    "build",
    "entity_terms",
    "handlers_of",
    "registry_of",
    "reporting_policy",
    "seed",
]

log = get_logger(__name__)

_DEMO_FILE = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "external.yaml"


class ExternalSettings(ServiceSettings):
    """Settings of external (`RW_EXTERNAL_*`); a term left unset keeps the legal default of `EntityTerms`."""

    reportable_bodies: frozenset[BodyKind] | None = Field(
        default=None,
        description="Bodies whose decision lists (and so every decision on them) are reported to the supervisory "
        'authority, as a JSON list (e.g. ["gemeenteraad","raad_maatschappelijk_welzijn"]); default: the table of '
        "decision types (council, RMW, district council); the BCSD is refused. Reportable decision types are "
        "reported whatever the body.",
    )
    demo_file: Path = Field(default=_DEMO_FILE, description="Demo external entities loaded by `seed`.")
    deadline_scan_interval_s: float = Field(
        default=3600.0, ge=0, description="Seconds between deadline scans (as of today); 0 = only on command."
    )
    # EntityTerms
    representative_organ_days: int | None = Field(default=None, gt=0)
    multi_year_plan_days: int | None = Field(default=None, gt=0)
    multi_year_plan_silence: SilenceMeans | None = None
    budget_days: int | None = Field(default=None, gt=0)
    budget_silence: SilenceMeans | None = None
    budget_outside_plan_days: int | None = Field(default=None, gt=0)
    budget_outside_plan_silence: SilenceMeans | None = None
    accounts_days: int | None = Field(default=None, gt=0)
    accounts_silence: SilenceMeans | None = None
    management_report_silence: SilenceMeans | None = None
    follow_up_unit: str | None = Field(default=None, min_length=1)
    follow_up_days: int | None = Field(default=None, gt=0)

    @field_validator("reportable_bodies")
    @classmethod
    def _a_lawful_policy(cls, bodies: frozenset[BodyKind] | None) -> frozenset[BodyKind] | None:
        if bodies is not None:
            ReportingPolicy(bodies)  # refuses the BCSD at start, not at the first decision
        return bodies


def reporting_policy(settings: ExternalSettings) -> ReportingPolicy:
    """The meldingsplicht policy: the legal default, with what the deployment configured."""
    return ReportingPolicy(**overrides(settings, "reportable_bodies"))


def entity_terms(settings: ExternalSettings) -> EntityTerms:
    """The terms on church councils' documents and management reports: the legal defaults, as configured."""
    return EntityTerms(**overrides(settings, *(f.name for f in dataclasses.fields(EntityTerms))))


def handlers_of(settings: ExternalSettings, clock: Clock) -> ExternalHandlers:
    """Every command, reaction and view handler of external, with the policies and the clock."""
    return ExternalHandlers(
        reactions=ExternalReactions(reporting_policy(settings), clock),
        entities=RegistryCommands(entity_terms(settings), clock),
        supervision=SupervisionCommands(clock),
        views=ExternalViews(clock),
    )


def registry_of(settings: ExternalSettings) -> Registry:
    """Every subject of external bound to its handler, built with the policies and the clock."""
    return registry(handlers_of(settings, clock_of(settings)))


def build(settings: ExternalSettings) -> ServiceRuntime:
    """Wire engine, broker, relay, the registry and the periodic deadline scan."""
    clock = clock_of(settings)
    handlers = handlers_of(settings, clock)
    runtime = wire_service(settings, metadata, SqlExternalUnitOfWork, registry(handlers))
    if settings.deadline_scan_interval_s > 0:
        sessions = make_session_factory(runtime.engine)
        tables = messaging_tables(metadata)

        def transaction() -> SqlExternalUnitOfWork:
            return SqlExternalUnitOfWork(sessions, tables, runtime.relay.wake)

        runtime.background.append(
            periodic_scan(
                "deadline scan",
                transaction,
                lambda uow, today: handlers.entities.scan_deadlines(uow, ScanDeadlines(as_of=today)),
                clock,
                settings.deadline_scan_interval_s,
            )
        )
    return runtime


async def seed(settings: ExternalSettings) -> str:
    """Register the demo's external entities and their representatives (idempotent: stable ids).

    What is new is announced in the outbox (`external.entity.registered`, `external.representative.designated`).
    """
    demo = await asyncio.to_thread(demo_entities, settings.demo_file, now=clock_of(settings)())
    engine = make_engine(settings.database_url, settings.db_schema, pool_size=1, password=settings.database_password)
    try:
        async with SqlExternalUnitOfWork(make_session_factory(engine), messaging_tables(metadata)) as uow:
            added, designated = await load_demo(uow, demo)
            await uow.commit()
    finally:
        await engine.dispose()
    return f"{len(demo)} external entities ({added} new), {designated} representatives designated"
