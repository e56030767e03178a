"""What the handlers need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import uuid
from typing import Protocol

from services.meetings.domain.model import AgendaItem
from shared.contracts.base import Confidentiality, Entity, Event
from shared.messaging.envelope import Envelope

__all__ = ["AgendaItems", "MeetingsUnitOfWork"]


class AgendaItems(Protocol):
    async def add(self, item: AgendaItem) -> None: ...

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> AgendaItem | None: ...

    async def update(self, item: AgendaItem) -> None: ...


class MeetingsUnitOfWork(Protocol):
    # A read-only property, so an implementation may narrow the type (SQL or in-memory).
    @property
    def items(self) -> AgendaItems: ...

    def emit(
        self,
        event: Event,
        *,
        subject_id: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        correlation_id: str | None = None,
    ) -> Envelope: ...
