"""What happened in notifications (the translation maps these to outgoing contracts)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from shared.kernel import DomainEvent
from shared.vocabulary import Confidentiality, LegalEntity

__all__ = ["DeliveryFailed", "DistrictFeedPublished", "InboxEntryCreated"]


@dataclass(frozen=True)
class InboxEntryCreated(DomainEvent):
    """A message was put in a person's inbox."""

    entry_id: uuid.UUID
    person_id: str
    title: str
    about: str
    entity: LegalEntity
    confidentiality: Confidentiality


@dataclass(frozen=True)
class DistrictFeedPublished(DomainEvent):
    """An event that concerns a district, redacted, for its feed."""

    district: str
    event_id: str
    event_type: str
    subject: str
    about: str
    occurred_at: dt.datetime
    entity: LegalEntity | None
    data: dict[str, Any]


@dataclass(frozen=True)
class DeliveryFailed(DomainEvent):
    """A delivery's last try failed."""

    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: str
    channel: str
    attempts: int
    reason: str
