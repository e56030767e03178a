"""Composition root of audit: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path

from prometheus_client import Gauge
from pydantic import Field

from services.audit.adapters.archive import ArchiveFolder
from services.audit.adapters.keys import KeyRing
from services.audit.adapters.ledger_writer import LedgerWriter, PullSubscription
from services.audit.adapters.repository import SqlLedgerAppender
from services.audit.adapters.tables import metadata
from services.audit.adapters.uow import SqlAuditUnitOfWork
from services.audit.adapters.writer_lease import SessionLockLease, run_while_active
from services.audit.domain.checkpoints import Checkpoint, sign_checkpoint
from services.audit.entrypoints.subscriptions import registry
from services.audit.service_layer.commands.checkpoints import CheckpointCommands
from services.audit.service_layer.views import LedgerViews
from shared.db.engine import make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.messaging.broker import jetstream_of
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import Environment, ServiceSettings
from shared.topology import CAPTURE_STREAM, consumer
from shared.wiring import clock_of, wire_service

__all__ = ["LEDGER_CONSUMER", "AuditRuntime", "AuditSettings", "archive_folder", "build", "key_ring", "registry_of"]

LEDGER_CONSUMER = "audit_ledger"
_REPO = Path(__file__).resolve().parents[2]
log = get_logger(__name__)


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
    keys_dir: Path | None = Field(
        default=None,
        description="Folder of the Ed25519 checkpoint keys, outside the database (default .rw/audit-keys outside "
        "production; required in production, where a missing key is refused rather than generated).",
    )
    archive_dir: Path | None = Field(
        default=None,
        description="Folder of the archive files of closed periods (default .rw/audit-archive outside production).",
    )
    checkpoint_every_s: float = Field(
        default=300.0, gt=0, description="How often the ledger's head is signed (when it moved)."
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
    #: Whether this replica holds the writer lock and runs the ledger writer (else it stands by).
    writer_active: bool = False
    _closing: asyncio.Task[None] | None = field(default=None, repr=False)

    def request_stop(self) -> None:
        """Leave the connection now, then stop as every service does."""
        if self.writer is not None and self._closing is None:
            # Scheduled before the runtime wakes up, so it runs before the broker starts draining.
            self._closing = asyncio.get_running_loop().create_task(self.writer.close())
        super().request_stop()

    async def readiness(self) -> dict[str, object]:
        """As every service's, plus whether this replica is the active ledger writer or a standby."""
        return {**await super().readiness(), "ledger_writer": "active" if self.writer_active else "standby"}


def key_ring(settings: AuditSettings) -> KeyRing:
    """The checkpoint keys' folder (opened lazily: building a registry touches no file)."""
    if settings.keys_dir is not None:
        return KeyRing(settings.keys_dir)
    if settings.environment == Environment.PROD:
        raise ValueError("RW_AUDIT_KEYS_DIR is required in production (the checkpoint signing keys' folder)")
    return KeyRing(_REPO / ".rw" / "audit-keys")


def archive_folder(settings: AuditSettings) -> Path:
    """Where the archive files of closed periods are (verify reads them)."""
    if settings.archive_dir is not None:
        return settings.archive_dir
    if settings.environment == Environment.PROD:
        raise ValueError("RW_AUDIT_ARCHIVE_DIR is required in production (the ledger's archive files)")
    return _REPO / ".rw" / "audit-archive"


def _checkpoints(settings: AuditSettings, ring: KeyRing) -> CheckpointCommands:
    create = settings.environment != Environment.PROD

    def sign(seq: int, head_hash: str, at: dt.datetime) -> Checkpoint:
        return sign_checkpoint(KeyRing.open(ring.folder, create=create).signing_key(), seq, head_hash, at)

    return CheckpointCommands(sign, clock_of(settings))


def registry_of(settings: AuditSettings) -> Registry:
    """Audit's queries and checkpoint command (its ledger writer reads the capture stream itself, see `build`)."""
    ring = key_ring(settings)
    views = LedgerViews(ring.public_keys, ArchiveFolder(archive_folder(settings)))
    return registry(_checkpoints(settings, ring), views)


def build(settings: AuditSettings) -> ServiceRuntime:
    """Wire engine, broker and queries, the ledger writer and the periodic checkpoint as background loops."""
    ring = key_ring(settings)
    # Generated on the first run outside production; refused missing in production.
    KeyRing.open(ring.folder, create=settings.environment != Environment.PROD)
    checkpoints = _checkpoints(settings, ring)
    views = LedgerViews(ring.public_keys, ArchiveFolder(archive_folder(settings)))
    wired = wire_service(settings, metadata, SqlAuditUnitOfWork, registry(checkpoints, views))
    runtime = AuditRuntime(**{f.name: getattr(wired, f.name) for f in fields(ServiceRuntime)})
    spec = consumer(LEDGER_CONSUMER)
    sessions = make_session_factory(runtime.engine)
    tables = messaging_tables(metadata)

    async def subscribe() -> PullSubscription:
        # Bound, not created: the durable is provisioned from the topology (declare=False).
        js = jetstream_of(runtime.broker)
        sub: PullSubscription = await js.pull_subscribe_bind(durable=spec.durable, stream=CAPTURE_STREAM)
        return sub

    writer = LedgerWriter(
        SqlLedgerAppender(sessions),
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

    Gauge(
        "raderwerk_audit_ledger_writer_active",
        "1 while this replica holds the writer lock and appends; 0 while it stands by",
        registry=runtime.registry,
    ).set_function(lambda: 1 if runtime.writer_active else 0)

    def active(now: bool) -> None:
        runtime.writer_active = now

    async def ledger_writer() -> None:
        # One active writer per ledger; further replicas wait on the lock (see `writer_lease`).
        await run_while_active(
            SessionLockLease(runtime.engine), writer.run, stopping=lambda: writer.stopping, on_change=active
        )

    runtime.background.append(ledger_writer)

    async def periodic_checkpoints() -> None:
        while True:
            await asyncio.sleep(settings.checkpoint_every_s)
            try:
                async with SqlAuditUnitOfWork(sessions, tables, runtime.relay.wake) as uow:
                    if await checkpoints.checkpoint(uow) is not None:
                        await uow.commit()
            except Exception as exc:  # noqa: BLE001 - the next period tries again
                log.warning("checkpoint not recorded", error=f"{type(exc).__name__}: {exc}")

    runtime.background.append(periodic_checkpoints)
    runtime.writer = writer
    return runtime
