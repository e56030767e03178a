"""The messaging side of every service's unit-of-work port."""

from __future__ import annotations

from typing import Protocol

from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope

__all__ = ["EmitsEvents"]


class EmitsEvents(Protocol):
    """Queues domain events for the outbox; they are published only if the transaction commits.

    The service's translation names the contract and the envelope each one travels with.
    """

    def emit(self, event: DomainEvent) -> Envelope: ...
