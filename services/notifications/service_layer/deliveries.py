"""The delivery of mail and webhooks: due deliveries are tried, retried on the schedule, dead-lettered.

Runs beside the consumers (a background loop of the service). Each round takes the due deliveries
in one transaction, locked so a second replica skips them, tries each once and stores the outcome.
After the last try a delivery is dead: it stays in the list with its reason, `DeliveryFailed` is
published, and the subscription's owner gets a mail. Times come from the injected clock.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from services.notifications.domain import events
from services.notifications.domain.messages import failure_mail
from services.notifications.domain.subscriptions import Channel, Delivery, DeliveryStatus
from services.notifications.service_layer.ports import MailSender, NotificationsUnitOfWork, SendFailed, WebhookSender
from shared.clock import Clock
from shared.logging import get_logger

__all__ = ["DeliveryWorker"]

log = get_logger(__name__)

_FAILURE_NOTICE = uuid.UUID("0b8f4c8e-31a4-4a47-9d37-6f43b8a0f00d")


class DeliveryWorker:
    """Tries due deliveries, a round at a time (`bootstrap` runs the rounds in a loop)."""

    def __init__(
        self,
        uow_factory: Callable[[], AbstractAsyncContextManager[NotificationsUnitOfWork]],
        *,
        webhooks: WebhookSender,
        mail: MailSender,
        clock: Clock,
        retry_delays_s: tuple[float, ...],
        batch: int = 20,
    ) -> None:
        self._uow = uow_factory
        self._webhooks = webhooks
        self._mail = mail
        self._clock = clock
        self._delays = retry_delays_s
        self._batch = batch

    async def run_once(self) -> int:
        """Try every due delivery once; answers how many were tried."""
        async with self._uow() as uow:
            due = await uow.deliveries.due(self._clock(), self._batch)
            for delivery in due:
                await self._try(uow, delivery)
            await uow.commit()
        return len(due)

    async def _try(self, uow: NotificationsUnitOfWork, delivery: Delivery) -> None:
        try:
            await self._send(delivery)
        except SendFailed as exc:
            after = delivery.failed(self._clock(), str(exc), self._delays)
            await uow.deliveries.save(after)
            log.info("delivery failed", delivery=str(delivery.delivery_id), attempts=after.attempts, error=str(exc))
            if after.status is DeliveryStatus.DEAD:
                await self._dead(uow, after)
            return
        await uow.deliveries.save(delivery.succeeded(self._clock()))

    async def _send(self, delivery: Delivery) -> None:
        if delivery.channel is Channel.WEBHOOK:
            if not delivery.secret:
                raise SendFailed("the subscription has no signing secret (removed?)")
            body = json.dumps(delivery.payload["body"], separators=(",", ":"), sort_keys=True).encode()
            await self._webhooks.send(delivery.target, delivery.secret, str(delivery.delivery_id), body)
        else:
            p = delivery.payload
            await self._mail.send(delivery.target, p["subject"], p["text"], p["html"])

    async def _dead(self, uow: NotificationsUnitOfWork, dead: Delivery) -> None:
        reason = dead.last_error or "unknown"
        uow.emit(
            events.DeliveryFailed(
                delivery_id=dead.delivery_id,
                subscription_id=dead.subscription_id,
                event_id=dead.event_id,
                channel=dead.channel.value,
                attempts=dead.attempts,
                reason=reason,
            )
        )
        subscription = await uow.subscriptions.get(dead.subscription_id)
        owner = subscription.owner_email if subscription else None
        if owner is None or dead.channel is not Channel.WEBHOOK:
            return
        now = self._clock()
        await uow.deliveries.add_if_new(
            Delivery(
                delivery_id=uuid.uuid5(_FAILURE_NOTICE, f"{dead.delivery_id}:{dead.attempts}:{now.isoformat()}"),
                subscription_id=dead.subscription_id,
                event_id=dead.event_id,
                channel=Channel.EMAIL,
                target=owner,
                payload=failure_mail(dead.target, dead.event_id, dead.attempts, reason),
                created_at=now,
                next_attempt_at=now,
            )
        )
