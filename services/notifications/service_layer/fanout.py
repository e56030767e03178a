"""Passing a notice on: to the district feeds, and to every subscription whose filter it passes.

Every audience gets what the redaction table lets it see (`domain.redaction`), nothing else.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Any

from services.notifications.domain import events
from services.notifications.domain.messages import link_of, mail_for, webhook_body
from services.notifications.domain.model import InboxEntry
from services.notifications.domain.notices import Notice
from services.notifications.domain.redaction import Audience, audience_of, redact
from services.notifications.domain.subscriptions import Channel, Delivery, Subscription, delivery_id_of
from services.notifications.service_layer.ports import NotificationsUnitOfWork
from shared.vocabulary import LegalEntity

__all__ = ["deliver_to", "fan_out"]


async def fan_out(
    uow: NotificationsUnitOfWork, notice: Notice, *, districts: Collection[str], link_base: str, now: dt.datetime
) -> None:
    """Feed the districts the notice concerns (and those subscribed to it); queue mail and webhooks."""
    subscriptions = await uow.subscriptions.active()
    feeds = {d for d in notice.districts if d in districts}
    feeds |= {s.target for s in subscriptions if s.channel is Channel.DISTRICT and s.filter.matches(notice)}
    district_view = redact(notice, Audience.DISTRICT)
    if district_view is not None:
        for district in sorted(feeds & set(districts)):
            uow.emit(
                events.DistrictFeedPublished(
                    district=district,
                    event_id=notice.event_id,
                    event_type=notice.event_type,
                    subject=notice.subject,
                    about=notice.about,
                    occurred_at=notice.occurred_at,
                    entity=notice.entity,
                    data=district_view,
                )
            )
    for subscription in subscriptions:
        if subscription.channel is not Channel.DISTRICT and subscription.filter.matches(notice):
            await deliver_to(uow, subscription, notice, link_base=link_base, now=now)


async def deliver_to(
    uow: NotificationsUnitOfWork, subscription: Subscription, notice: Notice, *, link_base: str, now: dt.datetime
) -> uuid.UUID | None:
    """One subscription's copy of the notice, as its channel and clearance allow; answers the delivery id."""
    audience = audience_of(subscription.clearance)
    view = redact(notice, audience, subscription.clearance)
    if view is None:
        return None
    link = link_of(link_base, notice.about)
    if subscription.channel is Channel.INBOX:
        entry = InboxEntry(uuid.uuid4(), subscription.target, notice.title, notice.about, now)
        if await uow.inboxes.add_if_new(entry):
            uow.emit(
                events.InboxEntryCreated(
                    entry_id=entry.entry_id,
                    person_id=entry.person_id,
                    title=entry.title,
                    about=entry.about,
                    entity=notice.entity or LegalEntity.GEMEENTE,
                    confidentiality=notice.sensitivity,
                )
            )
        return entry.entry_id
    payload: dict[str, Any]
    if subscription.channel is Channel.WEBHOOK:
        payload = {"body": webhook_body(notice, view, thin=subscription.thin, link=link)}
    else:
        payload = dict(mail_for(notice, view, thin=subscription.thin, link=link))
    delivery = Delivery(
        delivery_id=delivery_id_of(subscription.subscription_id, notice.event_id),
        subscription_id=subscription.subscription_id,
        event_id=notice.event_id,
        channel=subscription.channel,
        target=subscription.target,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )
    await uow.deliveries.add_if_new(delivery)
    return delivery.delivery_id
