"""The one place where notifications meets the message contracts.

Incoming contracts become notifications' own commands; its domain events become the contracts
it publishes, with the envelope attributes they travel with.
"""

from __future__ import annotations

import functools

from services.notifications.domain import events
from services.notifications.domain.commands import NotifyTaskOwner
from shared.contracts import notifications as published
from shared.contracts.organisation import TaskCreated
from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import Entity

__all__ = ["notify_task_owner", "outgoing"]


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
