"""Generic wiring used by each service's composition root (`services/<name>/bootstrap.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from faststream.nats import NatsBroker
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.actor import ActorKeyError, ActorVerifier, load_public_keys
from shared.clock import Clock, FileClock, system_clock
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import MessagingTables, messaging_tables
from shared.db.uow import SqlUnitOfWork
from shared.messaging.broker import build_broker, jetstream_of
from shared.messaging.commands import bind_command, bind_query
from shared.messaging.operations import bind_operations
from shared.messaging.relay import OutboxRelay
from shared.messaging.routes import Registry
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.topology import consumer

__all__ = ["actor_verifier_of", "bind_registry", "clock_of", "wire_service"]

U = TypeVar("U", bound=SqlUnitOfWork)


def clock_of(settings: ServiceSettings) -> Clock:
    """The system clock, or the deployment's shared clock file in development and test."""
    return FileClock(settings.clock_file) if settings.clock_file is not None else system_clock


def actor_verifier_of(settings: ServiceSettings) -> ActorVerifier:
    """The verifier of actor tokens, trusting the public keys the deployment names (fail fast without)."""
    if settings.actor_public_keys is None:
        raise ActorKeyError(
            "no actor public keys: set RW_ACTOR_PUBLIC_KEYS to the JSON file of the gateway's and the operator's "
            "public keys (`make run` writes one into its data folder)"
        )
    return ActorVerifier(load_public_keys(settings.actor_public_keys))


def bind_registry(
    broker: NatsBroker,
    registry: Registry,
    uow_factory: Callable[[], U],
    dead_letters: DeadLetterStore,
    verifier: ActorVerifier,
) -> None:
    """Serve every command and query of the registry and subscribe every consumer it names."""
    for model, route in registry.commands.items():
        bind_command(broker, model, route, uow_factory=uow_factory, verifier=verifier)
    for query, view in registry.queries.items():
        bind_query(broker, query, view, uow_factory=uow_factory, verifier=verifier)
    pipelines = {
        durable: bind_consumer(broker, consumer(durable), routes, uow_factory=uow_factory, dead_letters=dead_letters)
        for durable, routes in registry.consumers.items()
    }
    # Dead letters and replays of those consumers (`rw dlq`, `rw replay`), the same in every service.
    if pipelines:
        service = next(iter(pipelines.values())).spec.service
        bind_operations(broker, service, dead_letters.tables, pipelines, uow_factory=uow_factory, verifier=verifier)


def wire_service(
    settings: ServiceSettings,
    metadata: MetaData,
    make_uow: Callable[[async_sessionmaker[AsyncSession], MessagingTables, Callable[[], None]], U],
    registry: Registry,
) -> ServiceRuntime:
    """Engine, broker, outbox relay and the service's registry bound to its subjects, ready to `run()`."""
    verifier = actor_verifier_of(settings)
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

    bind_registry(broker, registry, uow_factory, DeadLetterStore(sessions, tables), verifier)
    return ServiceRuntime(settings=settings, engine=engine, broker=broker, relay=relay, clock=clock_of(settings))
