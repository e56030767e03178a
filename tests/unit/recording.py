"""The outbox half of a fake unit of work: events wait in memory until `commit`."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from shared.contracts.base import Event
from shared.kernel import DomainEvent
from shared.messaging.context import envelope_for
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Translate


class RecordingOutbox:
    """Base of the in-memory units of work: `emit` as the real one, without a database.

    Domain events go through the service's own translation, as in the SQL unit of work, so a test
    sees both: `domain_events()` as the handler emitted them, `events()` as they are published.
    """

    def __init__(self, source: str, outgoing: Translate | None = None) -> None:
        self._source = source
        self._outgoing = outgoing
        self.pending: list[tuple[Event, Envelope]] = []
        self.committed: list[tuple[Event, Envelope]] = []
        self.domain: list[DomainEvent] = []

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.pending = []

    def emit(self, event: DomainEvent) -> Envelope:
        if self._outgoing is None:
            raise TypeError(f"{type(self).__name__} has no translation for {type(event).__name__}")
        self.domain.append(event)
        out = self._outgoing(event)
        envelope = envelope_for(
            type=out.event.ce_type(),
            source=f"/raderwerk/{self._source}",
            subject=out.subject_id,
            entity=out.entity,
            confidentiality=out.confidentiality,
        )
        self.pending.append((out.event, envelope))
        return envelope

    async def commit(self) -> None:
        self.committed += self.pending
        self.pending = []

    @property
    def emitted(self) -> list[tuple[Event, Envelope]]:
        """Every event emitted so far with its envelope, committed or not."""
        return [*self.committed, *self.pending]

    def domain_events(self) -> list[DomainEvent]:
        """Every domain event emitted so far, before translation."""
        return list(self.domain)

    def events(self) -> list[Event]:
        """Every event emitted so far."""
        return [e for e, _ in self.emitted]

    def envelopes(self) -> list[Envelope]:
        """Every envelope emitted so far."""
        return [env for _, env in self.emitted]
