"""The FastStream NATS broker of a service, authenticated as the service's own user."""

from __future__ import annotations

import logging

from faststream.nats import NatsBroker
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from faststream.security import SASLPlaintext
from nats.js import JetStreamContext

from shared.logging import BROKER_LOGGER
from shared.messaging.compat import install_fetch_timeout_fix
from shared.settings import ServiceSettings
from shared.topology import inbox_prefix
from shared.tracing import tracer_provider

__all__ = ["build_broker", "jetstream_of"]


def build_broker(settings: ServiceSettings) -> NatsBroker:
    """A broker with the service's credentials and its private reply inbox."""
    install_fetch_timeout_fix()
    provider = tracer_provider()
    # Spans through NATS headers for every command, query and delivery, when tracing is configured.
    middlewares = (NatsTelemetryMiddleware(tracer_provider=provider),) if provider is not None else ()
    return NatsBroker(
        # A cluster's nodes, comma-separated; the client also learns the others from the one it reaches.
        [url.strip() for url in settings.nats_url.split(",") if url.strip()],
        security=SASLPlaintext(username=settings.nats_user, password=settings.nats_password.get_secret_value()),
        inbox_prefix=inbox_prefix(settings.nats_user),
        name=f"raderwerk-{settings.service_name}",
        graceful_timeout=15.0,
        # A logger of our own: FastStream would otherwise attach a plain-text handler to stdout.
        logger=logging.getLogger(BROKER_LOGGER),
        # Per-message access lines cost ~40 % of consumer throughput; keep them at DEBUG.
        log_level=logging.DEBUG,
        # Handlers take the message the decoder (`payload.undecoded`) hands them: no dependency
        # injection to resolve per message.
        apply_types=False,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        middlewares=middlewares,
    )


def jetstream_of(broker: NatsBroker) -> JetStreamContext:
    """The connected broker's JetStream context (for the outbox relay)."""
    js: JetStreamContext = broker.config.connection_state.stream
    return js
