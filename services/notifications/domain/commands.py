"""What notifications is asked to do, in its own terms (the translation maps contracts to these)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from services.notifications.domain.notices import Notice
from services.notifications.domain.subscriptions import Channel, Filter
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity, MandateStatus

__all__ = [
    "AddSubscription",
    "Announce",
    "ChangeSeatStatus",
    "EndSeat",
    "InformCouncil",
    "KeepSeat",
    "NotifyTaskOwner",
    "RemoveSubscription",
    "ResendDeliveries",
    "TestSubscription",
]


@dataclass(frozen=True)
class NotifyTaskOwner:
    """A follow-up task was created: its owner must hear of it."""

    task_id: uuid.UUID
    title: str
    owner_person_id: str
    due_date: dt.date
    entity: LegalEntity
    confidentiality: Confidentiality
    """As the task was announced: an inbox entry is never more public than its task."""
    notice: Notice | None = None
    """The task as an event to pass on to subscribers (a district, when the task is assigned to one)."""


@dataclass(frozen=True)
class KeepSeat:
    """A council (or RMW) seat began: its holder is among those told what the council must hear."""

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class ChangeSeatStatus:
    """A council seat's holder is prevented, acting or effective again."""

    mandate_id: uuid.UUID
    status: MandateStatus


@dataclass(frozen=True)
class EndSeat:
    """A council seat ends."""

    mandate_id: uuid.UUID
    end: dt.date


@dataclass(frozen=True)
class InformCouncil:
    """The college or vast bureau overruled a refused visum: every sitting council member must hear of it."""

    overruling_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    amount: Decimal
    overruled_at: dt.datetime
    confidentiality: Confidentiality


@dataclass(frozen=True)
class Announce:
    """An event others outside the back office may have to hear of: feeds, mail, webhooks, inboxes."""

    notice: Notice


@dataclass(frozen=True)
class AddSubscription:
    channel: Channel
    target: str
    filter: Filter
    clearance: frozenset[Confidentiality]
    thin: bool
    owner_email: str | None


@dataclass(frozen=True)
class RemoveSubscription:
    subscription_id: uuid.UUID


@dataclass(frozen=True)
class TestSubscription:
    __test__ = False  # a command, not a test class

    subscription_id: uuid.UUID


@dataclass(frozen=True)
class ResendDeliveries:
    delivery_id: uuid.UUID | None
    since: dt.datetime | None
    subscription_id: uuid.UUID | None
