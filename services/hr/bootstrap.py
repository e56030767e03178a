"""Composition root of hr: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import Field

from services.hr.adapters.demo import load_demo_staff
from services.hr.adapters.repository import SqlStaff
from services.hr.adapters.tables import metadata
from services.hr.adapters.uow import SqlHrUnitOfWork
from services.hr.entrypoints.subscriptions import register
from shared.db.engine import make_engine, make_session_factory
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["HrSettings", "build", "seed"]

_DEMO_FILE = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "municipality.yaml"


class HrSettings(ServiceSettings):
    """Settings of hr (`RW_HR_*`)."""

    demo_file: Path = Field(default=_DEMO_FILE, description="Demo municipality loaded by `seed`.")


def build(settings: HrSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    return wire_service(settings, metadata, SqlHrUnitOfWork, register)


async def seed(settings: HrSettings) -> str:
    """Load the demo municipality's persons into `staff` (idempotent); answer a summary line."""
    members = await asyncio.to_thread(load_demo_staff, settings.demo_file)
    engine = make_engine(settings.database_url, settings.db_schema, pool_size=1)
    try:
        async with make_session_factory(engine)() as session, session.begin():
            load = await SqlStaff(session).upsert(members)
    finally:
        await engine.dispose()
    return f"{len(members)} staff members ({load.inserted} new, {load.updated} updated, {load.unchanged} unchanged)"
