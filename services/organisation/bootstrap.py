"""Composition root of organisation: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import datetime as dt

from pydantic import Field

from services.organisation.adapters.tables import metadata
from services.organisation.adapters.uow import SqlOrganisationUnitOfWork
from services.organisation.entrypoints.subscriptions import register
from services.organisation.service_layer.handlers import run_overdue_scan
from shared.db.engine import make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["OrganisationSettings", "build"]

log = get_logger(__name__)


class OrganisationSettings(ServiceSettings):
    """Settings of organisation (`RW_ORGANISATION_*`)."""

    overdue_scan_interval_s: float = Field(
        default=3600.0, ge=0, description="Seconds between overdue scans (as of today); 0 = only on command."
    )


def build(settings: OrganisationSettings) -> ServiceRuntime:
    """Wire engine, broker, relay, subscribers and the periodic overdue scan."""
    runtime = wire_service(settings, metadata, SqlOrganisationUnitOfWork, register)
    if settings.overdue_scan_interval_s > 0:
        sessions = make_session_factory(runtime.engine)
        tables = messaging_tables(metadata)

        async def overdue_scan() -> None:
            # Task status, escalation level and date live in the tasks table, so a scan after a
            # restart continues exactly where the last one stopped (each scan is idempotent per day).
            while True:
                try:
                    async with SqlOrganisationUnitOfWork(sessions, tables, runtime.relay.wake) as uow:
                        today = dt.datetime.now(dt.UTC).date()
                        overdue, escalated = await run_overdue_scan(uow, today)
                        await uow.commit()
                    log.info("overdue scan", as_of=today.isoformat(), overdue=overdue, escalated=escalated)
                except Exception as exc:  # noqa: BLE001 - the next run retries; never stop the service
                    log.warning("overdue scan failed", error=f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(settings.overdue_scan_interval_s)

        runtime.background.append(overdue_scan)
    return runtime
