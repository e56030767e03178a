"""Composition root of audit: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, fields

from prometheus_client import Gauge
from pydantic import Field

from services.audit.adapters.ledger_writer import LedgerWriter, PullSubscription
from services.audit.adapters.repository import SqlLedgerAppender
from services.audit.adapters.tables import metadata
from services.audit.adapters.uow import SqlAuditUnitOfWork
from services.audit.entrypoints.subscriptions import registry
from shared.db.engine import make_session_factory
from shared.messaging.broker import jetstream_of
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.topology import CAPTURE_STREAM, consumer
from shared.wiring import wire_service

__all__ = ["LEDGER_CONSUMER", "AuditRuntime", "AuditSettings", "build", "registry_of"]

LEDGER_CONSUMER = "audit_ledger"


class AuditSettings(ServiceSettings):
    """Settings of audit (`RW_AUDIT_*`)."""

    ledger_batch: int = Field(
        default=consumer(LEDGER_CONSUMER).batch_size, gt=0, description="Messages fetched and appended per transaction."
    )
    ledger_fetch_timeout_s: float = Field(default=1.0, gt=0, description="Longest wait for a batch from CAPTURE.")
    ledger_retry_delay_s: float = Field(
        default=1.0, gt=0, description="First wait before a failed append is retried (doubles, up to 10 s)."
    )
    ledger_gap_timeout_s: float = Field(
        default=120.0,
        gt=0,
        description="How long messages wait behind a gap in the capture sequence before being appended past it.",
    )


@dataclass
class AuditRuntime(ServiceRuntime):
    """The shared runtime, plus: the ledger writer leaves the NATS connection before it drains.

    Cancelling the writer's task does not close its raw pull subscription, and nats-py's drain
    waits its full timeout (30 s) for a subscription whose fetches took queued messages without
    `task_done`. The writer therefore unsubscribes as soon as a stop is requested; its task is
    then cancelled by the runtime as usual.
    """

    writer: LedgerWriter | None = None
    _closing: asyncio.Task[None] | None = field(default=None, repr=False)

    def request_stop(self) -> None:
        """Leave the connection now, then stop as every service does."""
        if self.writer is not None and self._closing is None:
            # Scheduled before the runtime wakes up, so it runs before the broker starts draining.
            self._closing = asyncio.get_running_loop().create_task(self.writer.close())
        super().request_stop()


def registry_of(settings: AuditSettings) -> Registry:
    """Audit's queries (its ledger writer reads the capture stream itself, see `build`)."""
    del settings  # the queries need no policy and no clock
    return registry()


def build(settings: AuditSettings) -> ServiceRuntime:
    """Wire engine, broker and queries, and the ledger writer as a background loop."""
    wired = wire_service(settings, metadata, SqlAuditUnitOfWork, registry_of(settings))
    runtime = AuditRuntime(**{f.name: getattr(wired, f.name) for f in fields(ServiceRuntime)})
    spec = consumer(LEDGER_CONSUMER)

    async def subscribe() -> PullSubscription:
        # Bound, not created: the durable is provisioned from the topology (declare=False).
        js = jetstream_of(runtime.broker)
        sub: PullSubscription = await js.pull_subscribe_bind(durable=spec.durable, stream=CAPTURE_STREAM)
        return sub

    writer = LedgerWriter(
        SqlLedgerAppender(make_session_factory(runtime.engine)),
        subscribe,
        batch=min(settings.ledger_batch, spec.max_ack_pending),
        fetch_timeout_s=settings.ledger_fetch_timeout_s,
        retry_delay_s=settings.ledger_retry_delay_s,
        gap_timeout_s=settings.ledger_gap_timeout_s,
        # In-progress acks well inside the consumer's ack wait keep held messages from redelivery.
        progress_every_s=spec.ack_wait_s / 3,
    )
    Gauge(
        "raderwerk_audit_ledger_appended_total_snapshot",
        "Ledger records appended by this process",
        registry=runtime.registry,
    ).set_function(lambda: writer.appended_total)
    Gauge(
        "raderwerk_audit_ledger_held",
        "Messages waiting behind a gap in the capture sequence",
        registry=runtime.registry,
    ).set_function(lambda: writer.held)

    async def ledger_writer() -> None:
        await writer.run()

    runtime.background.append(ledger_writer)
    runtime.writer = writer
    return runtime
