"""The one place where notifications meets the message contracts.

Incoming contracts become notifications' own commands; its domain events become the contracts
it publishes, with the envelope attributes they travel with.
"""

from __future__ import annotations

import functools

from services.notifications.domain import events
from services.notifications.domain.commands import ChangeSeatStatus, EndSeat, InformCouncil, KeepSeat, NotifyTaskOwner
from services.notifications.domain.model import COUNCIL_OF
from shared.contracts import notifications as published
from shared.contracts.finance import VisumOverruled
from shared.contracts.organisation import MandateEnded, MandateStarted, MandateStatusChanged, TaskCreated
from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import Entity

__all__ = ["change_seat_status", "end_seat", "inform_council", "keep_seat", "notify_task_owner", "outgoing"]

#: The bodies whose seats notifications keeps: the councils.
_COUNCILS = frozenset(COUNCIL_OF.values())


def notify_task_owner(event: TaskCreated, envelope: Envelope) -> NotifyTaskOwner:
    """A created task, with the confidentiality it was announced with."""
    return NotifyTaskOwner(
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
