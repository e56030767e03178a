"""Composition root of notifications: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from pydantic import Field, SecretStr, field_validator

from services.notifications.adapters.mail import SmtpMailSender
from services.notifications.adapters.tables import metadata
from services.notifications.adapters.uow import SqlNotificationsUnitOfWork
from services.notifications.adapters.webhooks import HttpWebhookSender
from services.notifications.domain.subscriptions import RETRY_DELAYS_S
from services.notifications.entrypoints.subscriptions import registry
from services.notifications.service_layer.commands.subscriptions import SubscriptionCommands
from services.notifications.service_layer.deliveries import DeliveryWorker
from services.notifications.service_layer.reactions import NotificationReactions
from shared.db.engine import make_session_factory
from shared.db.tables import messaging_tables
from shared.districts import load_districts
from shared.logging import get_logger
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import clock_of, wire_service

__all__ = ["NotificationsSettings", "build", "registry_of"]

log = get_logger(__name__)


class NotificationsSettings(ServiceSettings):
    """Settings of notifications (`RW_NOTIFICATIONS_*`)."""

    districts_file: Path | None = Field(
        default=None, description="The district list (YAML, `districts:`); default RW_DISTRICTS_FILE or the demo city."
    )
    link_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Where thin notifications and mails link to (the console)."
    )
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server for mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = Field(default="raderwerk@localhost", description="Sender address of every mail.")
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    retry_delays_s: tuple[float, ...] | None = Field(
        default=None, description="Waits between delivery tries (JSON list); default the schedule in the domain."
    )
    delivery_poll_s: float = Field(default=0.5, gt=0, description="How often the delivery worker looks for due work.")
    webhook_timeout_s: float = Field(default=10.0, gt=0)

    @field_validator("retry_delays_s", mode="before")
    @classmethod
    def _json_list(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value


def _districts(settings: NotificationsSettings) -> frozenset[str]:
    return frozenset(d.id for d in load_districts(settings.districts_file))


def registry_of(settings: NotificationsSettings) -> Registry:
    """Every subject of notifications bound to its handler, built with the clock and the district list."""
    clock, districts = clock_of(settings), _districts(settings)
    return registry(
        NotificationReactions(clock, districts, settings.link_base_url),
        SubscriptionCommands(clock, districts, settings.link_base_url),
    )


def build(settings: NotificationsSettings) -> ServiceRuntime:
    """Wire engine, broker, relay, the registry, and the delivery of mail and webhooks."""
    runtime = wire_service(settings, metadata, SqlNotificationsUnitOfWork, registry_of(settings))
    clock = clock_of(settings)
    sessions = make_session_factory(runtime.engine)
    tables = messaging_tables(metadata)
    worker = DeliveryWorker(
        lambda: SqlNotificationsUnitOfWork(sessions, tables, runtime.relay.wake),
        webhooks=HttpWebhookSender(clock, settings.webhook_timeout_s),
        mail=SmtpMailSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_user,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
        ),
        clock=clock,
        retry_delays_s=settings.retry_delays_s or RETRY_DELAYS_S,
    )

    async def deliver() -> None:
        """Rounds of delivery until the service stops; a failed round (the database away) is retried."""
        while True:
            try:
                done = await worker.run_once()
            except Exception as exc:  # noqa: BLE001 - keep delivering once the database is back
                log.warning("delivery round failed", error=f"{type(exc).__name__}: {exc}")
                done = 0
            if done == 0:
                await asyncio.sleep(settings.delivery_poll_s)

    runtime.background.append(deliver)
    return runtime
