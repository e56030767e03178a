"""Subscriptions: added, removed, tested; failed deliveries resent."""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Collection

from services.notifications.domain.commands import (
    AddSubscription,
    RemoveSubscription,
    ResendDeliveries,
    TestSubscription,
)
from services.notifications.domain.notices import Notice
from services.notifications.domain.subscriptions import Channel, DeliveryStatus, Subscription
from services.notifications.service_layer.fanout import deliver_to
from services.notifications.service_layer.ports import NotificationsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import Confidentiality

__all__ = ["SubscriptionCommands", "new_secret"]


def new_secret() -> str:
    """A webhook signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class SubscriptionCommands:
    """Who hears of what; the webhook secret is answered once, when the subscription is added."""

    def __init__(self, clock: Clock, districts: Collection[str], link_base: str) -> None:
        self._clock = clock
        self._districts = frozenset(districts)
        self._link_base = link_base

    async def add(self, uow: NotificationsUnitOfWork, cmd: AddSubscription) -> Accepted:
        """Add a subscription; a webhook's answer carries its signing secret."""
        secret = new_secret() if cmd.channel is Channel.WEBHOOK else None
        subscription = Subscription.new(
            subscription_id=uuid.uuid4(),
            channel=cmd.channel,
            target=cmd.target,
            filter=cmd.filter,
            clearance=cmd.clearance,
            thin=cmd.thin,
            created_at=self._clock(),
            owner_email=cmd.owner_email,
            secret=secret,
            districts=self._districts,
        )
        await uow.subscriptions.add(subscription)
        data = {"secret": secret} if secret else {}
        return Accepted(ids={"subscription_id": str(subscription.subscription_id)}, data=data)

    async def remove(self, uow: NotificationsUnitOfWork, cmd: RemoveSubscription) -> Accepted:
        """End a subscription."""
        if not await uow.subscriptions.remove(cmd.subscription_id, self._clock()):
            raise RuleViolation("unknown_subscription", f"no active subscription {cmd.subscription_id}")
        return Accepted(ids={"subscription_id": str(cmd.subscription_id)})

    async def test(self, uow: NotificationsUnitOfWork, cmd: TestSubscription) -> Accepted:
        """Send a test message through the subscription now."""
        subscription = await uow.subscriptions.get(cmd.subscription_id)
        if subscription is None:
            raise RuleViolation("unknown_subscription", f"no active subscription {cmd.subscription_id}")
        if subscription.channel is Channel.DISTRICT:
            raise RuleViolation("not_testable", "a district reads its feed; there is nothing to send it")
        now = self._clock()
        test_id = str(uuid.uuid4())
        notice = Notice(
            event_id=test_id,
            event_type="be.raderwerk.notifications.test.sent.v1",
            subject="notifications.test.sent",
            about=f"test:{test_id}",
            title="Testbericht van Raderwerk",
            occurred_at=now,
            confidentiality=Confidentiality.PUBLIC,
            data={"text": "Dit is een testbericht: uw abonnement werkt."},
        )
        sent = await deliver_to(uow, subscription, notice, link_base=self._link_base, now=now)
        return Accepted(ids={"delivery_id": str(sent)} if sent else {})

    async def resend(self, uow: NotificationsUnitOfWork, cmd: ResendDeliveries) -> Accepted:
        """Put one dead delivery, or every one since a time, back in the queue with a full schedule."""
        now = self._clock()
        if cmd.delivery_id is not None:
            one = await uow.deliveries.get(cmd.delivery_id)
            if one is None:
                raise RuleViolation("unknown_delivery", f"no delivery {cmd.delivery_id}")
            if one.status is not DeliveryStatus.DEAD:
                raise RuleViolation("delivery_not_failed", f"delivery {cmd.delivery_id} is {one.status.value}")
            chosen = [one]
        elif cmd.since is not None:
            chosen = await uow.deliveries.dead_since(cmd.since, cmd.subscription_id)
        else:
            raise RuleViolation("resend_needs_target", "name a delivery or a time since which to resend")
        for delivery in chosen:
            await uow.deliveries.save(delivery.resent(now))
        return Accepted(data={"resent": len(chosen)})
