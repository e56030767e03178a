"""In-memory implementations of the meetings ports, for fast handler tests."""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Self

from services.meetings.domain.model import AgendaItem
from shared.contracts.base import Confidentiality, Entity, Event
from shared.messaging.context import envelope_for
from shared.messaging.envelope import Envelope


class FakeAgendaItems:
    """A dict of items; `update` refuses unknown items like the SQL adapter would change nothing."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, AgendaItem] = {}

    async def add(self, item: AgendaItem) -> None:
        assert item.item_id not in self.rows, "duplicate primary key"
        self.rows[item.item_id] = item

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> AgendaItem | None:
        return self.rows.get(item_id)

    async def update(self, item: AgendaItem) -> None:
        assert item.item_id in self.rows
        self.rows[item.item_id] = item


class FakeMeetingsUnitOfWork:
    """Collects emitted events; `committed` holds what a commit would have published."""

    def __init__(self) -> None:
        self.items = FakeAgendaItems()
        self.pending: list[tuple[Event, Envelope]] = []
        self.committed: list[tuple[Event, Envelope]] = []

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.pending = []

    def emit(
        self,
        event: Event,
        *,
        subject_id: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        correlation_id: str | None = None,
    ) -> Envelope:
        envelope = envelope_for(
            type=event.ce_type(),
            source="/raderwerk/meetings",
            subject=subject_id,
            entity=entity,
            confidentiality=confidentiality,
            correlation_id=correlation_id,
        )
        self.pending.append((event, envelope))
        return envelope

    async def commit(self) -> None:
        self.committed += self.pending
        self.pending = []

    def events(self) -> list[Event]:
        """Every event emitted so far, committed or not."""
        return [e for e, _ in (*self.committed, *self.pending)]
