"""Composition root of hr: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from pydantic import Field

from services.hr.adapters.demo import demo_hr
from services.hr.adapters.tables import metadata
from services.hr.adapters.uow import SqlHrUnitOfWork
from services.hr.domain.grants import DelegationPolicy
from services.hr.domain.personnel import AppointmentPolicy, ConsultationPolicy, DisciplinePolicy
from services.hr.entrypoints.subscriptions import HrHandlers, registry
from services.hr.service_layer.commands.consultations import ConsultationCommands
from services.hr.service_layer.commands.delegations import DelegationCommands
from services.hr.service_layer.commands.personnel import PersonnelCommands
from services.hr.service_layer.reactions import HrReactions
from services.hr.service_layer.views import HrViews
from shared.clock import Clock
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.vocabulary import DelegationPower
from shared.wiring import clock_of, wire_service

__all__ = ["HrSettings", "build", "handlers_of", "registry_of", "seed"]

_DEMO_FILE = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "municipality.yaml"


class HrSettings(ServiceSettings):
    """Settings of hr (`RW_HR_*`); a policy field left unset keeps the legal default of the domain."""

    demo_file: Path = Field(default=_DEMO_FILE, description="Demo municipality loaded by `seed`.")
    # DelegationPolicy
    council_delegable_powers: frozenset[DelegationPower] | None = None
    council_non_delegable_subjects: frozenset[str] | None = None
    executive_delegable_powers: frozenset[DelegationPower] | None = None
    executive_non_delegable_subjects: frozenset[str] | None = None
    never_delegable_signatures: frozenset[str] | None = None
    own_powers_of_algemeen_directeur: frozenset[DelegationPower] | None = None
    # AppointmentPolicy
    require_secret_ballot: bool | None = None
    # ConsultationPolicy
    min_working_days: int | None = Field(default=None, ge=0)
    holidays: frozenset[dt.date] | None = Field(default=None, description="Public holidays the BOC term skips.")
    # DisciplinePolicy
    sanctions: tuple[str, ...] | None = None


def _delegation_policy(settings: HrSettings) -> DelegationPolicy:
    return DelegationPolicy(
        **overrides(
            settings,
            "council_delegable_powers",
            "council_non_delegable_subjects",
            "executive_delegable_powers",
            "executive_non_delegable_subjects",
            "never_delegable_signatures",
            "own_powers_of_algemeen_directeur",
        )
    )


def handlers_of(settings: HrSettings, clock: Clock) -> HrHandlers:
    """The command, reaction and view objects, with the policies the settings tune."""
    delegations = DelegationCommands(_delegation_policy(settings), clock)
    return HrHandlers(
        delegations=delegations,
        consultations=ConsultationCommands(ConsultationPolicy(**overrides(settings, "min_working_days", "holidays"))),
        personnel=PersonnelCommands(DisciplinePolicy(**overrides(settings, "sanctions")), clock),
        reactions=HrReactions(AppointmentPolicy(**overrides(settings, "require_secret_ballot")), clock, delegations),
        views=HrViews(clock),
    )


def registry_of(settings: HrSettings) -> Registry:
    """Every subject of hr bound to its handler, built with the policies and the clock."""
    return registry(handlers_of(settings, clock_of(settings)))


def build(settings: HrSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and the registry."""
    return wire_service(settings, metadata, SqlHrUnitOfWork, registry_of(settings))


async def seed(settings: HrSettings) -> str:
    """Load the demo staff, their employments and the delegations in force (idempotent).

    A delegation loaded for the first time is granted by the same command as `grant_delegation`
    (the same rules) and queues `hr.delegation.granted` in the outbox, so finance and organisation
    learn it when hr runs.
    """
    demo = await asyncio.to_thread(demo_hr, settings.demo_file)
    delegations = DelegationCommands(_delegation_policy(settings), clock_of(settings))
    engine = make_engine(
        settings.database_url, settings.db_schema, pool_size=1, password=settings.database_password
    )
    granted = 0
    try:
        async with SqlHrUnitOfWork(make_session_factory(engine), messaging_tables(metadata)) as uow:
            load = await uow.staff.upsert(demo.staff)
            for employment in demo.employments:
                await uow.employments.add(employment)
            for grant in demo.grants:
                assert grant.delegation_id is not None, "demo delegations have stable ids"
                if await uow.delegations.get(grant.delegation_id) is None:
                    await delegations.grant(uow, grant)
                    granted += 1
            await uow.commit()
    finally:
        await engine.dispose()
    return (
        f"{len(demo.staff)} staff members ({load.inserted} new, {load.updated} updated, {load.unchanged} unchanged), "
        f"{granted} delegations granted"
    )
