"""Contracts of the `notifications` service: inboxes, subscriptions, deliveries, district feeds."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, Query, QueryReply
from shared.vocabulary import BodyKind, Confidentiality, DistrictId, LegalEntity

__all__ = [
    "AddSubscription",
    "Channel",
    "DeliveryFailed",
    "DeliveryLine",
    "DeliveryStatus",
    "DistrictFeedEntry",
    "InboxEntryCreated",
    "InboxLine",
    "ListDeliveries",
    "ListDeliveriesReply",
    "ListInbox",
    "ListInboxReply",
    "ListSubscriptions",
    "ListSubscriptionsReply",
    "RemoveSubscription",
    "ResendDeliveries",
    "SubscriptionLine",
    "TestSubscription",
]

Pattern = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[a-z_*>]+(\.[a-z_*>]+)*$")]


class Channel(StrEnum):
    """How a subscriber is reached."""

    INBOX = "inbox"
    """A person's inbox in the back office (`target` is the person id)."""
    EMAIL = "email"
    """A mailbox (`target` is the address)."""
    WEBHOOK = "webhook"
    """Another system, by HTTP POST after the Standard Webhooks convention (`target` is the URL)."""
    DISTRICT = "district"
    """A district's feed (`target` is the district id): more than what concerns it by default."""


class DeliveryStatus(StrEnum):
    """Where a mail or webhook delivery stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"
    """Every try failed: in the dead-letter list until resent."""


class InboxEntryCreated(Event):
    """A message was put in a person's inbox."""

    SUBJECT = "notifications.inbox_entry.created"

    entry_id: uuid.UUID
    person_id: str
    title: str
    about: str
    """What the entry points at, e.g. `task:<uuid>`."""


class DistrictFeedEntry(Event):
    """An event that concerns a district, redacted for it, on `district.<id>.<original subject>`.

    Only public content reaches a district; `data` holds the fields its audience may see
    (docs/districts.md). `event_id` is the original event's id, so a reader can drop duplicates.
    """

    SUBJECT = "notifications.feed_entry.published"
    """Its type's name; it travels on `district.<id>.<original subject>` in the DISTRICTS stream."""

    district: DistrictId
    event_id: str
    event_type: str
    """The original CloudEvents type, e.g. `be.raderwerk.meetings.decision.adopted.v1`."""
    subject: str
    """The original subject, e.g. `meetings.decision.adopted`."""
    about: str
    """What the event is about, e.g. `decision:<uuid>`."""
    occurred_at: dt.datetime
    data: dict[str, Any]


class DeliveryFailed(Event):
    """A mail or webhook delivery failed on its last try and is in the dead-letter list."""

    SUBJECT = "notifications.delivery.failed"

    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: str
    channel: Channel
    attempts: int
    reason: str


class AddSubscription(Command):
    """Subscribe a person, a mailbox, a webhook or a district to events, with a filter.

    A webhook subscription answers its signing secret (`whsec_…`) once, in the reply's data.
    """

    NAME = "add_subscription"
    SERVICE = "notifications"

    channel: Channel
    target: Annotated[str, Field(min_length=1, max_length=500)]
    owner_email: Annotated[str, Field(max_length=320)] | None = None
    """Told by mail when a delivery finally fails (webhooks)."""
    event_types: tuple[Pattern, ...] = ()
    """Subject patterns, e.g. `meetings.decision.adopted` or `meetings.>`; empty: every event."""
    entity: LegalEntity | None = None
    body: BodyKind | None = None
    policy_field: Annotated[str, Field(max_length=40)] | None = None
    """Beleidsveld of the financial impact, e.g. `0200`."""
    district: DistrictId | None = None
    """Only events that concern this district."""
    clearance: tuple[Confidentiality, ...] = (Confidentiality.PUBLIC,)
    """What the subscriber is entitled to see besides public content; a district only ever public."""
    thin: bool = False
    """Send only the type, id and a link; the receiver fetches what it may see."""


class RemoveSubscription(Command):
    """End a subscription; its pending deliveries are not sent."""

    NAME = "remove_subscription"
    SERVICE = "notifications"

    subscription_id: uuid.UUID


class TestSubscription(Command):
    """Send a test message to a subscription now (a mail, a signed webhook call, an inbox entry)."""

    __test__ = False  # a contract, not a test class

    NAME = "test_subscription"
    SERVICE = "notifications"

    subscription_id: uuid.UUID


class ResendDeliveries(Command):
    """Send dead-lettered deliveries again: one by id, or all failed ones since a time."""

    NAME = "resend_deliveries"
    SERVICE = "notifications"

    delivery_id: uuid.UUID | None = None
    since: dt.datetime | None = None
    subscription_id: uuid.UUID | None = None
    """With `since`: only this subscription's."""


class InboxLine(Contract):
    """One entry of an inbox."""

    entry_id: uuid.UUID
    title: str
    about: str
    """What the entry points at, e.g. `task:<uuid>`."""
    created_at: dt.datetime
    read: bool


class ListInboxReply(QueryReply):
    """A person's inbox entries, newest first (at most 200)."""

    person_id: str
    entries: tuple[InboxLine, ...]


class ListInbox(Query):
    """Query: a person's inbox entries, newest first."""

    NAME = "list_inbox"
    SERVICE = "notifications"
    Reply = ListInboxReply

    person_id: str


class SubscriptionLine(Contract):
    """One subscription (never its secret)."""

    subscription_id: uuid.UUID
    channel: Channel
    target: str
    owner_email: str | None
    event_types: tuple[str, ...]
    entity: LegalEntity | None
    body: BodyKind | None
    policy_field: str | None
    district: str | None
    clearance: tuple[Confidentiality, ...]
    thin: bool
    created_at: dt.datetime


class ListSubscriptionsReply(QueryReply):
    """The active subscriptions, oldest first."""

    subscriptions: tuple[SubscriptionLine, ...]


class ListSubscriptions(Query):
    """Query: the active subscriptions, optionally of one channel."""

    NAME = "list_subscriptions"
    SERVICE = "notifications"
    Reply = ListSubscriptionsReply

    channel: Channel | None = None


class DeliveryLine(Contract):
    """One mail or webhook delivery and where it stands."""

    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: str
    channel: Channel
    target: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None


class ListDeliveriesReply(QueryReply):
    """Deliveries, newest first (at most 200)."""

    deliveries: tuple[DeliveryLine, ...]


class ListDeliveries(Query):
    """Query: deliveries by status (`dead` is the dead-letter list) and subscription."""

    NAME = "list_deliveries"
    SERVICE = "notifications"
    Reply = ListDeliveriesReply

    status: DeliveryStatus | None = None
    subscription_id: uuid.UUID | None = None
