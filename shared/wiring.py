"""Generic wiring used by each service's composition root (`services/<name>/bootstrap.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from faststream.nats import NatsBroker
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.clock import Clock, FileClock, system_clock
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import MessagingTables, messaging_tables
from shared.db.uow import SqlUnitOfWork
from shared.messaging.broker import build_broker, jetstream_of
from shared.messaging.relay import OutboxRelay
from shared.messaging.subscriber import DeadLetterStore
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings

__all__ = ["clock_of", "wire_service"]

U = TypeVar("U", bound=SqlUnitOfWork)


def clock_of(settings: ServiceSettings) -> Clock:
    """The system clock, or the deployment's shared clock file in development and test."""
    return FileClock(settings.clock_file) if settings.clock_file is not None else system_clock


def wire_service(
    settings: ServiceSettings,
    metadata: MetaData,
    make_uow: Callable[[async_sessionmaker[AsyncSession], MessagingTables, Callable[[], None]], U],
    register: Callable[[NatsBroker, Callable[[], U], DeadLetterStore], None],
) -> ServiceRuntime:
    """Engine, broker, outbox relay and subscribers of one service, ready to `run()`."""
    engine = make_engine(settings.database_url, settings.db_schema, password=settings.database_password)
    sessions = make_session_factory(engine)
    tables = messaging_tables(metadata)
    broker = build_broker(settings)
    relay = OutboxRelay(
        sessions,
        tables,
        lambda: jetstream_of(broker),
        batch=settings.relay_batch,
        poll_s=settings.relay_poll_s,
    )

    def uow_factory() -> U:
        return make_uow(sessions, tables, relay.wake)

    register(broker, uow_factory, DeadLetterStore(sessions, tables))
    return ServiceRuntime(settings=settings, engine=engine, broker=broker, relay=relay, clock=clock_of(settings))
