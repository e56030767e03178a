"""Subscriptions with their filters, and the deliveries of mail and webhooks with their retries."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from services.notifications.domain.notices import Notice
from shared.kernel import RuleViolation
from shared.topology import subject_matches
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity

__all__ = [
    "RETRY_DELAYS_S",
    "Channel",
    "Delivery",
    "DeliveryStatus",
    "Filter",
    "Subscription",
    "delivery_id_of",
]

#: Waits between webhook and mail tries (Standard Webhooks suggests about this schedule): six retries
#: over about a day and a half after the first try, then the delivery is dead-lettered.
RETRY_DELAYS_S: tuple[float, ...] = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0)

_NAMESPACE = uuid.UUID("7c1e5a8e-7a55-4b6b-9d0e-5d1f0c0de15e")


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    WEBHOOK = "webhook"
    DISTRICT = "district"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


@dataclass(frozen=True)
class Filter:
    """What a subscriber wants: every condition given must hold."""

    event_types: tuple[str, ...] = ()
    entity: LegalEntity | None = None
    body: BodyKind | None = None
    policy_field: str | None = None
    district: str | None = None

    def matches(self, notice: Notice) -> bool:
        """Whether the notice passes this filter (an empty filter passes everything)."""
        if self.event_types and not any(subject_matches(p, notice.subject) for p in self.event_types):
            return False
        if self.entity is not None and notice.entity is not self.entity:
            return False
        if self.body is not None and notice.body is not self.body:
            return False
        if self.policy_field is not None and notice.policy_field != self.policy_field:
            return False
        return self.district is None or self.district in notice.districts


@dataclass(frozen=True)
class Subscription:
    """Who hears of what, how, and how much it may see."""

    subscription_id: uuid.UUID
    channel: Channel
    target: str
    filter: Filter
    clearance: frozenset[Confidentiality]
    thin: bool
    created_at: dt.datetime
    owner_email: str | None = None
    secret: str | None = None
    """The webhook signing secret (`whsec_` + base64 of the key)."""

    @classmethod
    def new(
        cls,
        *,
        subscription_id: uuid.UUID,
        channel: Channel,
        target: str,
        filter: Filter,  # noqa: A002 - the subscription's filter
        clearance: frozenset[Confidentiality],
        thin: bool,
        created_at: dt.datetime,
        owner_email: str | None,
        secret: str | None,
        districts: frozenset[str],
    ) -> Subscription:
        """A subscription, if its target and clearance are allowed for its channel."""
        if channel is Channel.WEBHOOK and not target.startswith(("https://", "http://")):
            raise RuleViolation("invalid_target", "a webhook's target is an http(s) URL")
        if channel is Channel.EMAIL and "@" not in target:
            raise RuleViolation("invalid_target", "a mailbox's target is an e-mail address")
        if owner_email is not None and "@" not in owner_email:
            raise RuleViolation("invalid_target", "the owner's address is not an e-mail address")
        if channel is Channel.DISTRICT:
            if target not in districts:
                raise RuleViolation("unknown_district", f"{target} is not in the district list")
            if clearance != {Confidentiality.PUBLIC}:
                raise RuleViolation("district_public_only", "a district is only ever told public content")
        if filter.district is not None and filter.district not in districts:
            raise RuleViolation("unknown_district", f"{filter.district} is not in the district list")
        return cls(
            subscription_id=subscription_id,
            channel=channel,
            target=target,
            filter=filter,
            clearance=clearance | {Confidentiality.PUBLIC},
            thin=thin,
            created_at=created_at,
            owner_email=owner_email,
            secret=secret,
        )


def delivery_id_of(subscription_id: uuid.UUID, event_id: str) -> uuid.UUID:
    """One delivery per subscription and event: a redelivered event adds none, and a receiver sees
    the same `webhook-id` on every try."""
    return uuid.uuid5(_NAMESPACE, f"{subscription_id}:{event_id}")


@dataclass(frozen=True)
class Delivery:
    """A mail or webhook call, with its tries."""

    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: str
    channel: Channel
    target: str
    payload: dict[str, Any]
    created_at: dt.datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    last_error: str | None = None
    delivered_at: dt.datetime | None = None
    secret: str | None = field(default=None, compare=False)
    """The subscription's secret when sent (not stored with the delivery)."""

    def succeeded(self, now: dt.datetime) -> Delivery:
        """Sent: no more tries."""
        return replace(
            self,
            status=DeliveryStatus.DELIVERED,
            attempts=self.attempts + 1,
            delivered_at=now,
            next_attempt_at=None,
            last_error=None,
        )

    def failed(self, now: dt.datetime, error: str, delays: tuple[float, ...]) -> Delivery:
        """A try failed: the next one after the schedule's wait, or dead after the last."""
        attempts = self.attempts + 1
        if attempts > len(delays):
            return replace(
                self, status=DeliveryStatus.DEAD, attempts=attempts, next_attempt_at=None, last_error=error[:2000]
            )
        wait = dt.timedelta(seconds=delays[attempts - 1])
        return replace(self, attempts=attempts, next_attempt_at=now + wait, last_error=error[:2000])

    def resent(self, now: dt.datetime) -> Delivery:
        """Back in the queue, with a full schedule of tries."""
        return replace(self, status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, delivered_at=None)
