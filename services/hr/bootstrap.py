"""Composition root of hr: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from pydantic import Field

from services.hr.adapters.demo import DemoHr, demo_hr
from services.hr.adapters.tables import metadata
from services.hr.adapters.uow import SqlHrUnitOfWork
from services.hr.domain.discipline import DisciplinePolicy
from services.hr.domain.grants import DelegationPolicy
from services.hr.domain.personnel import AppointmentPolicy, ConsultationPolicy
from services.hr.entrypoints.subscriptions import HrHandlers, registry
from services.hr.service_layer.authority import StaffAuthority
from services.hr.service_layer.commands.consultations import ConsultationCommands
from services.hr.service_layer.commands.delegations import DelegationCommands
from services.hr.service_layer.commands.discipline import DisciplineCommands
from services.hr.service_layer.commands.personnel import PersonnelCommands
from services.hr.service_layer.ports import HrUnitOfWork, StaffLoad
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

__all__ = ["HrSettings", "build", "handlers_of", "load_demo", "registry_of", "seed"]

_DEMO_FILE = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "municipality.yaml"


class HrSettings(ServiceSettings):
    """Settings of hr (`RW_HR_*`); a policy field left unset keeps the legal default of the domain."""

    demo_file: Path = Field(default=_DEMO_FILE, description="Demo municipality loaded by `seed`.")
    algemeen_directeur_person_id: str = Field(
        min_length=1, description="Person id of the algemeen directeur, who disciplines within the staff regulations."
    )
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
    repealed_sanctions: dict[str, dt.date] | None = Field(
        default=None, description="Sanctions no decision imposes from the date (JSON object)."
    )
    ending_sanctions: frozenset[str] | None = None
    algemeen_directeur_sanctions: frozenset[str] | None = Field(
        default=None, description="The sanctions the staff regulations let the algemeen directeur impose."
    )


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
    authority = StaffAuthority(clock, algemeen_directeur=settings.algemeen_directeur_person_id)
    delegations = DelegationCommands(_delegation_policy(settings), clock, authority)
    appointments = AppointmentPolicy(**overrides(settings, "require_secret_ballot"))
    discipline = DisciplineCommands(
        DisciplinePolicy(
            **overrides(settings, "sanctions", "repealed_sanctions", "ending_sanctions", "algemeen_directeur_sanctions")
        ),
        clock,
        authority,
        require_secret_ballot=appointments.require_secret_ballot,
    )
    return HrHandlers(
        delegations=delegations,
        consultations=ConsultationCommands(
            ConsultationPolicy(**overrides(settings, "min_working_days", "holidays")), authority
        ),
        personnel=PersonnelCommands(clock, authority),
        discipline=discipline,
        reactions=HrReactions(appointments, clock, delegations, discipline),
        views=HrViews(clock),
    )


def registry_of(settings: HrSettings) -> Registry:
    """Every subject of hr bound to its handler, built with the policies and the clock."""
    return registry(handlers_of(settings, clock_of(settings)))


def build(settings: HrSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and the registry."""
    return wire_service(settings, metadata, SqlHrUnitOfWork, registry_of(settings))


async def load_demo(uow: HrUnitOfWork, demo: DemoHr, delegations: DelegationCommands) -> tuple[StaffLoad, int]:
    """Staff, employments and the delegations in force, each delegation once (by its stable id).

    A body's delegation was decided by that body (the demo names the decision); it passes the same
    rules as a delegation decision adopted in meetings. The algemeen directeur's pass those of
    `grant_delegation`. A delegation loaded for the first time queues `hr.delegation.granted`.
    """
    load = await uow.staff.upsert(demo.staff)
    for employment in demo.employments:
        await uow.employments.add(employment)
    granted = 0
    for grant in demo.grants:
        assert grant.delegation_id is not None, "demo delegations have stable ids"
        if await uow.delegations.get(grant.delegation_id) is not None:
            continue
        if grant.from_body is not None:
            assert grant.decision_id is not None, "a body delegates by decision"
            await delegations.grant_decided(uow, grant)
        else:
            await delegations.grant(uow, grant)
        granted += 1
    return load, granted


async def seed(settings: HrSettings) -> str:
    """Load the demo staff, their employments and the delegations in force (idempotent, `load_demo`).

    New delegations queue `hr.delegation.granted` in the outbox, so finance and organisation learn
    them when hr runs.
    """
    demo = await asyncio.to_thread(demo_hr, settings.demo_file)
    clock = clock_of(settings)
    authority = StaffAuthority(clock, algemeen_directeur=settings.algemeen_directeur_person_id)
    delegations = DelegationCommands(_delegation_policy(settings), clock, authority)
    engine = make_engine(settings.database_url, settings.db_schema, pool_size=1, password=settings.database_password)
    try:
        async with SqlHrUnitOfWork(make_session_factory(engine), messaging_tables(metadata)) as uow:
            load, granted = await load_demo(uow, demo, delegations)
            await uow.commit()
    finally:
        await engine.dispose()
    return (
        f"{len(demo.staff)} staff members ({load.inserted} new, {load.updated} updated, {load.unchanged} unchanged), "
        f"{granted} delegations granted"
    )
