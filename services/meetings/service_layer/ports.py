"""What the handlers need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import uuid
from typing import Protocol

from services.meetings.domain.model import AgendaItem
from shared.messaging.ports import EmitsEvents

__all__ = ["AgendaItems", "MeetingsUnitOfWork"]


class AgendaItems(Protocol):
    async def add(self, item: AgendaItem) -> None: ...

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> AgendaItem | None: ...

    async def update(self, item: AgendaItem) -> None: ...


class MeetingsUnitOfWork(EmitsEvents, Protocol):
    # A read-only property, so an implementation may narrow the type (SQL or in-memory).
    @property
    def items(self) -> AgendaItems: ...
