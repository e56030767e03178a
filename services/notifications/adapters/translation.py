"""The one place where notifications meets the message contracts.

Incoming contracts become notifications' own commands; its domain events become the contracts
it publishes, with the envelope attributes they travel with.
"""

from __future__ import annotations

import functools
from typing import Any

from services.notifications.domain import commands as own
from services.notifications.domain import events
from services.notifications.domain.commands import ChangeSeatStatus, EndSeat, InformCouncil, KeepSeat, NotifyTaskOwner
from services.notifications.domain.model import COUNCIL_OF
from services.notifications.domain.notices import Notice
from services.notifications.domain.subscriptions import Channel, Filter
from shared.contracts import notifications as published
from shared.contracts.finance import VisumOverruled
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.organisation import MandateEnded, MandateStarted, MandateStatusChanged, TaskCreated
from shared.contracts.sessions import DocumentPublished
from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.topology import district_subject
from shared.vocabulary import Confidentiality, Entity

__all__ = [
    "add_subscription",
    "announce_decision",
    "announce_document",
    "change_seat_status",
    "end_seat",
    "inform_council",
    "keep_seat",
    "notify_task_owner",
    "outgoing",
    "remove_subscription",
    "resend_deliveries",
    "test_subscription",
]

_LEVEL = {Confidentiality.PUBLIC: 0, Confidentiality.CLOSED: 1, Confidentiality.SOCIAL: 2}


def _stricter(*levels: Confidentiality) -> Confidentiality:
    """The most protected of what the body and the envelope say."""
    return max(levels, key=_LEVEL.__getitem__)


def _data(event: Any) -> dict[str, Any]:
    data: dict[str, Any] = event.model_dump(mode="json")
    return data


def announce_decision(event: DecisionAdopted, envelope: Envelope) -> own.Announce:
    """An adopted decision; it concerns the district named on its item."""
    impact = event.financial_impact
    return own.Announce(
        Notice(
            event_id=envelope.id,
            event_type=envelope.type,
            subject=event.SUBJECT,
            about=f"decision:{event.decision_id}",
            title=event.title,
            occurred_at=event.adopted_at,
            confidentiality=_stricter(event.confidentiality, envelope.confidentiality),
            entity=event.entity,
            body=event.body,
            policy_field=impact.policy_field if impact else None,
            districts=(event.district,) if event.district else (),
            data=_data(event),
        )
    )


def announce_document(event: DocumentPublished, envelope: Envelope) -> own.Announce:
    """A published document (a decision list, a regulation): public by law, whoever reads it."""
    return own.Announce(
        Notice(
            event_id=envelope.id,
            event_type=envelope.type,
            subject=event.SUBJECT,
            about=f"document:{event.document_id}",
            title=event.title,
            occurred_at=event.published_at,
            confidentiality=envelope.confidentiality,
            entity=event.entity,
            body=event.body,
            districts=(event.district,) if event.district else (),
            data=_data(event),
        )
    )


def add_subscription(c: published.AddSubscription) -> own.AddSubscription:
    return own.AddSubscription(
        channel=Channel(c.channel.value),
        target=c.target,
        filter=Filter(
            event_types=c.event_types, entity=c.entity, body=c.body, policy_field=c.policy_field, district=c.district
        ),
        clearance=frozenset(c.clearance),
        thin=c.thin,
        owner_email=c.owner_email,
    )


def remove_subscription(c: published.RemoveSubscription) -> own.RemoveSubscription:
    return own.RemoveSubscription(subscription_id=c.subscription_id)


def test_subscription(c: published.TestSubscription) -> own.TestSubscription:
    return own.TestSubscription(subscription_id=c.subscription_id)


def resend_deliveries(c: published.ResendDeliveries) -> own.ResendDeliveries:
    return own.ResendDeliveries(delivery_id=c.delivery_id, since=c.since, subscription_id=c.subscription_id)


#: The bodies whose seats notifications keeps: the councils.
_COUNCILS = frozenset(COUNCIL_OF.values())


def notify_task_owner(event: TaskCreated, envelope: Envelope) -> NotifyTaskOwner:
    """A created task, with the confidentiality it was announced with, and as a notice for subscribers."""
    notice = Notice(
        event_id=envelope.id,
        event_type=envelope.type,
        subject=event.SUBJECT,
        about=f"task:{event.task_id}",
        title=event.title,
        occurred_at=envelope.time,
        confidentiality=envelope.confidentiality,
        entity=event.entity,
        districts=(event.district,) if event.district else (),
        data=_data(event),
    )
    return NotifyTaskOwner(
        notice=notice,
        task_id=event.task_id,
        title=event.title,
        owner_person_id=event.owner_person_id,
        due_date=event.due_date,
        entity=event.entity,
        confidentiality=envelope.confidentiality,
    )


def keep_seat(event: MandateStarted, _envelope: Envelope) -> KeepSeat | None:
    """A council or RMW seat; seats of other bodies are not notifications' business."""
    if event.body not in _COUNCILS:
        return None
    return KeepSeat(
        mandate_id=event.mandate_id,
        person_id=event.person_id,
        body=event.body,
        status=event.status,
        voting=event.voting,
        start=event.start,
        end=event.end,
    )


def change_seat_status(event: MandateStatusChanged, _envelope: Envelope) -> ChangeSeatStatus | None:
    if event.body not in _COUNCILS:
        return None
    return ChangeSeatStatus(mandate_id=event.mandate_id, status=event.status)


def end_seat(event: MandateEnded, _envelope: Envelope) -> EndSeat | None:
    if event.body not in _COUNCILS:
        return None
    return EndSeat(mandate_id=event.mandate_id, end=event.end)


def inform_council(event: VisumOverruled, envelope: Envelope) -> InformCouncil:
    """An overruling, with the confidentiality of the overruling decision."""
    return InformCouncil(
        overruling_id=event.overruling_id,
        decision_id=event.decision_id,
        body=event.body,
        entity=event.entity,
        amount=event.amount,
        overruled_at=event.overruled_at,
        confidentiality=envelope.confidentiality,
    )


@functools.singledispatch
def outgoing(event: DomainEvent) -> Outgoing:
    """The contract a domain event is published as."""
    raise TypeError(f"notifications publishes no {type(event).__name__}")


@outgoing.register
def _(event: events.InboxEntryCreated) -> Outgoing:
    return Outgoing(
        published.InboxEntryCreated(
            entry_id=event.entry_id, person_id=event.person_id, title=event.title, about=event.about
        ),
        subject_id=str(event.entry_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.DistrictFeedPublished) -> Outgoing:
    return Outgoing(
        published.DistrictFeedEntry(
            district=event.district,
            event_id=event.event_id,
            event_type=event.event_type,
            subject=event.subject,
            about=event.about,
            occurred_at=event.occurred_at,
            data=event.data,
        ),
        subject_id=event.about,
        entity=Entity.of(event.entity) if event.entity else Entity.BOTH,
        confidentiality=Confidentiality.PUBLIC,
        subject=district_subject(event.district, event.subject),
    )


@outgoing.register
def _(event: events.DeliveryFailed) -> Outgoing:
    return Outgoing(
        published.DeliveryFailed(
            delivery_id=event.delivery_id,
            subscription_id=event.subscription_id,
            event_id=event.event_id,
            channel=published.Channel(event.channel),
            attempts=event.attempts,
            reason=event.reason,
        ),
        subject_id=str(event.delivery_id),
    )
