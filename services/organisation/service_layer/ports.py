"""What the organisation handlers need from persistence and messaging."""

from __future__ import annotations

import uuid
from typing import Protocol

from services.organisation.domain.model import FollowUpTask, Organogram
from shared.messaging.ports import EmitsEvents

__all__ = ["OrganisationUnitOfWork", "Organograms", "Tasks"]


class Organograms(Protocol):
    async def current(self) -> Organogram: ...


class Tasks(Protocol):
    async def add_if_new(self, task: FollowUpTask) -> bool:
        """Store the task unless its (decision, action) already has one; True when stored."""
        ...

    async def list(
        self, *, decision_id: uuid.UUID | None = None, owner_person_id: str | None = None
    ) -> list[FollowUpTask]: ...


class OrganisationUnitOfWork(EmitsEvents, Protocol):
    @property
    def organogram(self) -> Organograms: ...

    @property
    def tasks(self) -> Tasks: ...
