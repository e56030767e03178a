"""Composition root of hr: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import Field

from services.hr.adapters.demo import demo_hr
from services.hr.adapters.tables import metadata
from services.hr.adapters.uow import SqlHrUnitOfWork
from services.hr.entrypoints.subscriptions import register
from services.hr.service_layer.handlers import apply_grant
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
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
    """Load the demo staff, their employments and the delegations in force (idempotent).

    A delegation loaded for the first time is checked by the same rules as a command and queues
    `hr.delegation.granted` in the outbox, so finance and organisation learn it when hr runs.
    """
    demo = await asyncio.to_thread(demo_hr, settings.demo_file)
    engine = make_engine(settings.database_url, settings.db_schema, pool_size=1)
    granted = 0
    try:
        async with SqlHrUnitOfWork(make_session_factory(engine), messaging_tables(metadata)) as uow:
            load = await uow.staff.upsert(demo.staff)
            for employment in demo.employments:
                await uow.employments.add(employment)
            for delegation_id, grant in demo.grants:
                if await uow.delegations.get(delegation_id) is None:
                    await apply_grant(uow, grant, delegation_id)
                    granted += 1
            await uow.commit()
    finally:
        await engine.dispose()
    return (
        f"{len(demo.staff)} staff members ({load.inserted} new, {load.updated} updated, {load.unchanged} unchanged), "
        f"{granted} delegations granted"
    )
