"""Queries of notifications, answered from its tables with their typed replies."""

from __future__ import annotations

from services.notifications.domain.subscriptions import Channel, Delivery, DeliveryStatus, Subscription
from services.notifications.service_layer.ports import NotificationsUnitOfWork
from shared.contracts import notifications as contracts
from shared.contracts.notifications import (
    DeliveryLine,
    InboxLine,
    ListDeliveries,
    ListDeliveriesReply,
    ListInbox,
    ListInboxReply,
    ListSubscriptions,
    ListSubscriptionsReply,
    SubscriptionLine,
)
from shared.vocabulary import Confidentiality

__all__ = ["list_deliveries", "list_inbox", "list_subscriptions"]

_LEVEL = {Confidentiality.PUBLIC: 0, Confidentiality.CLOSED: 1, Confidentiality.SOCIAL: 2}


def subscription_line(s: Subscription) -> SubscriptionLine:
    """A subscription as the list shows it (without its secret)."""
    return SubscriptionLine(
        subscription_id=s.subscription_id,
        channel=contracts.Channel(s.channel.value),
        target=s.target,
        owner_email=s.owner_email,
        event_types=s.filter.event_types,
        entity=s.filter.entity,
        body=s.filter.body,
        policy_field=s.filter.policy_field,
        district=s.filter.district,
        clearance=tuple(sorted(s.clearance, key=_LEVEL.__getitem__)),
        thin=s.thin,
        created_at=s.created_at,
    )


def delivery_line(d: Delivery) -> DeliveryLine:
    return DeliveryLine(
        delivery_id=d.delivery_id,
        subscription_id=d.subscription_id,
        event_id=d.event_id,
        channel=contracts.Channel(d.channel.value),
        target=d.target,
        status=contracts.DeliveryStatus(d.status.value),
        attempts=d.attempts,
        last_error=d.last_error,
        created_at=d.created_at,
        next_attempt_at=d.next_attempt_at,
        delivered_at=d.delivered_at,
    )


async def list_inbox(uow: NotificationsUnitOfWork, query: ListInbox) -> ListInboxReply:
    """A person's inbox, newest first."""
    entries = await uow.inboxes.of(query.person_id)
    return ListInboxReply(
        command_id=query.command_id,
        person_id=query.person_id,
        entries=tuple(
            InboxLine(
                entry_id=e.entry_id, title=e.title, about=e.about, created_at=e.created_at, read=e.read_at is not None
            )
            for e in entries
        ),
    )


async def list_subscriptions(uow: NotificationsUnitOfWork, query: ListSubscriptions) -> ListSubscriptionsReply:
    """The active subscriptions, oldest first, without their secrets."""
    channel = Channel(query.channel.value) if query.channel else None
    found = await uow.subscriptions.active(channel)
    return ListSubscriptionsReply(command_id=query.command_id, subscriptions=tuple(subscription_line(s) for s in found))


async def list_deliveries(uow: NotificationsUnitOfWork, query: ListDeliveries) -> ListDeliveriesReply:
    """Deliveries by status and subscription, newest first; `dead` is the dead-letter list."""
    status = DeliveryStatus(query.status.value) if query.status else None
    found = await uow.deliveries.listed(status, query.subscription_id)
    return ListDeliveriesReply(command_id=query.command_id, deliveries=tuple(delivery_line(d) for d in found))
