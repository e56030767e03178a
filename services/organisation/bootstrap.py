"""Composition root of organisation: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import dataclasses

from pydantic import Field

from services.organisation.adapters.tables import metadata
from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.domain.commands import ScanOverdue
from services.organisation.domain.policy import TaskPolicy
from services.organisation.entrypoints.subscriptions import OrganisationHandlers, registry
from services.organisation.service_layer.commands.control import ControlCommands
from services.organisation.service_layer.commands.mandates import MandateCommands
from services.organisation.service_layer.commands.organogram import OrganogramCommands
from services.organisation.service_layer.commands.tasks import TaskCommands
from services.organisation.service_layer.reactions import OrganisationReactions
from services.organisation.service_layer.views import OrganisationViews
from shared.clock import Clock
from shared.db.engine import make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.messaging.routes import Registry
from shared.periodic import periodic_scan
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.wiring import clock_of, wire_service

__all__ = [
    "OrganisationSettings",
    "build",
    "handlers_of",
    "registry_of",
    "task_policy",
]

log = get_logger(__name__)


class OrganisationSettings(ServiceSettings):
    """Settings of organisation (`RW_ORGANISATION_*`); the task terms default to `TaskPolicy`."""

    overdue_scan_interval_s: float = Field(
        default=3600.0, ge=0, description="Seconds between overdue scans (as of today); 0 = only on command."
    )
    execute_days: int | None = Field(default=None, gt=0, description="Term of an `execute` task without due date.")
    notify_days: int | None = Field(default=None, gt=0, description="Term of a `notify` task without due date.")
    report_days: int | None = Field(default=None, gt=0, description="Term of a `report` task without due date.")
    sign_days: int | None = Field(default=None, gt=0, description="Term of a `sign` task without due date.")
    publish_days: int | None = Field(default=None, gt=0, description="Term of a `publish` task without due date.")
    escalate_again_after_days: int | None = Field(
        default=None, gt=0, description="Days after which an overdue task escalates one more level."
    )
    credit_follow_up_unit: str | None = Field(
        default=None, min_length=1, description="Unit that gets the task when a decision's credit is exhausted."
    )
    credit_follow_up_days: int | None = Field(
        default=None, gt=0, description="Term of the task for an exhausted credit."
    )
    publication_follow_up_unit: str | None = Field(
        default=None,
        min_length=1,
        description="Unit (the secretariat) that gets the task when a publication term nears its end; default: "
        "the organogram's root, the algemeen directeur's.",
    )


def task_policy(settings: OrganisationSettings) -> TaskPolicy:
    """The default terms, with what the deployment set."""
    return TaskPolicy(**overrides(settings, *(f.name for f in dataclasses.fields(TaskPolicy))))


def handlers_of(policy: TaskPolicy, clock: Clock) -> OrganisationHandlers:
    """Every command, reaction and view handler of organisation, with the policy and clock they need."""
    return OrganisationHandlers(
        tasks=TaskCommands(policy, clock),
        mandates=MandateCommands(),
        organogram=OrganogramCommands(),
        reactions=OrganisationReactions(policy, clock),
        views=OrganisationViews(clock),
        control=ControlCommands(policy, clock),
    )


def registry_of(settings: OrganisationSettings) -> Registry:
    """Every subject of organisation bound to its handler, built with the task policy and the clock."""
    return registry(handlers_of(task_policy(settings), clock_of(settings)))


def build(settings: OrganisationSettings) -> ServiceRuntime:
    """Wire engine, broker, relay, subscribers and the periodic overdue scan, with the policy and clock."""
    clock = clock_of(settings)
    handlers = handlers_of(task_policy(settings), clock)
    runtime = wire_service(settings, metadata, SqlOrganisationUnitOfWork, registry(handlers))
    if settings.overdue_scan_interval_s > 0:
        sessions = make_session_factory(runtime.engine)
        tables = messaging_tables(metadata)

        def transaction() -> SqlOrganisationUnitOfWork:
            return SqlOrganisationUnitOfWork(sessions, tables, runtime.relay.wake)

        runtime.background.append(
            periodic_scan(
                "overdue scan",
                transaction,
                lambda uow, today: handlers.tasks.scan_overdue(uow, ScanOverdue(as_of=today)),
                clock,
                settings.overdue_scan_interval_s,
            )
        )
    return runtime
