"""Composition root of organisation: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Protocol, Self

from pydantic import Field

from services.organisation.adapters.tables import metadata
from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.domain.commands import ScanOverdue
from services.organisation.domain.policy import TaskPolicy
from services.organisation.entrypoints.subscriptions import OrganisationHandlers, registry
from services.organisation.service_layer.commands.mandates import MandateCommands
from services.organisation.service_layer.commands.organogram import OrganogramCommands
from services.organisation.service_layer.commands.tasks import TaskCommands
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from services.organisation.service_layer.reactions import OrganisationReactions
from services.organisation.service_layer.views import OrganisationViews
from shared.clock import Clock
from shared.db.engine import make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings, overrides
from shared.wiring import clock_of, wire_service

__all__ = [
    "OrganisationSettings",
    "ScanTransaction",
    "build",
    "handlers_of",
    "periodic_overdue_scan",
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
            periodic_overdue_scan(transaction, handlers.tasks, clock, settings.overdue_scan_interval_s)
        )
    return runtime


class ScanTransaction(OrganisationUnitOfWork, Protocol):
    """A unit of work the periodic scan opens, commits and closes itself."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...


def periodic_overdue_scan(
    transaction: Callable[[], ScanTransaction], tasks: TaskCommands, clock: Clock, interval_s: float
) -> Callable[[], Coroutine[Any, Any, None]]:
    """The periodic overdue scan as of the clock's today, every `interval_s` seconds.

    Task status, escalation level and date live in the tasks table, so a scan after a restart
    continues exactly where the last one stopped, and a second scan the same day changes nothing.
    A failed run is logged and retried at the next interval: the scan never stops the service.
    """

    async def overdue_scan() -> None:
        while True:
            try:
                today = clock().date()
                async with transaction() as uow:
                    done = await tasks.scan_overdue(uow, ScanOverdue(as_of=today))
                    await uow.commit()
                log.info("overdue scan", **done.data)
            except Exception as exc:  # noqa: BLE001 - the next run retries; never stop the service
                log.warning("overdue scan failed", error=f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(interval_s)

    return overdue_scan
