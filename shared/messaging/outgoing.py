"""What a service's translation answers for each of its domain events: the contract to publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.contracts.base import Event
from shared.kernel import DomainEvent
from shared.vocabulary import Confidentiality, Entity

__all__ = ["Outgoing", "Translate"]


@dataclass(frozen=True)
class Outgoing:
    """A contract with the envelope attributes it travels with."""

    event: Event
    subject_id: str | None
    """`ce-subject`: the aggregate the event is about."""
    entity: Entity = Entity.BOTH
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    subject: str | None = None
    """Where it is published when not on the contract's `SUBJECT`: a district feed entry goes to
    `district.<id>.<original subject>`."""


#: A service's translation of its domain events into outgoing contracts.
Translate = Callable[[DomainEvent], Outgoing]
