"""What the handlers need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

from typing import Protocol

from services.external.domain.model import SupervisionReport
from shared.contracts.base import Confidentiality, Entity, Event
from shared.messaging.envelope import Envelope

__all__ = ["ExternalUnitOfWork", "SupervisionReports"]


class SupervisionReports(Protocol):
    async def add(self, report: SupervisionReport) -> bool:
        """Queue the report; False when the decision was already queued."""
        ...


class ExternalUnitOfWork(Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def reports(self) -> SupervisionReports: ...

    def emit(
        self,
        event: Event,
        *,
        subject_id: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        correlation_id: str | None = None,
    ) -> Envelope: ...
