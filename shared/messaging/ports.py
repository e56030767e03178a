"""The messaging side of every service's unit-of-work port."""

from __future__ import annotations

from typing import Protocol

from shared.contracts.base import Confidentiality, Entity, Event
from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope

__all__ = ["EmitsEvents"]


class EmitsEvents(Protocol):
    """Queues events for the outbox; they are published only if the transaction commits.

    A service emits its domain events; its translation names the contract and envelope.
    """

    def emit(
        self,
        event: Event | DomainEvent,
        *,
        subject_id: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        correlation_id: str | None = None,
    ) -> Envelope: ...
