"""What the organisation handlers need from persistence and messaging."""

from __future__ import annotations

import uuid
from typing import Protocol

from services.organisation.domain.model import FollowUpTask, Organogram
from shared.contracts.base import Confidentiality, Entity, Event
from shared.messaging.envelope import Envelope

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


class OrganisationUnitOfWork(Protocol):
    @property
    def organogram(self) -> Organograms: ...

    @property
    def tasks(self) -> Tasks: ...

    def emit(
        self,
        event: Event,
        *,
        subject_id: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        correlation_id: str | None = None,
    ) -> Envelope: ...
