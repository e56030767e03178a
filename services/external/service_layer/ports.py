"""What the reactions need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import uuid
from typing import Protocol

from services.external.domain.model import OverrulingReport, SupervisionReport
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import LegalEntity

__all__ = ["ExternalUnitOfWork", "OverrulingReports", "SupervisionReports"]


class SupervisionReports(Protocol):
    async def add(self, report: SupervisionReport) -> bool:
        """Queue the report; False when the decision was already queued."""
        ...

    async def awaiting(
        self, *, meeting_id: uuid.UUID | None = None, decision_id: uuid.UUID | None = None, full_text: bool = False
    ) -> list[SupervisionReport]:
        """Reports still waiting for publication, of one meeting or one decision, oldest first: those that
        go as lines of a decision list (`full_text` False), or with their own full text.

        Locked until the transaction ends, so two publications never submit the same report.
        """
        ...

    async def get(self, report_id: uuid.UUID) -> SupervisionReport | None:
        """One report, locked until the transaction ends."""
        ...

    async def update(self, report: SupervisionReport) -> None:
        """Record where a report stands: its status, when, the document it went with, the authority's reference."""
        ...


class OverrulingReports(Protocol):
    async def add(self, report: OverrulingReport) -> bool:
        """Record the report of an overruling; False when that overruling was reported before."""
        ...

    async def of_entity(self, entity: LegalEntity | None = None) -> list[OverrulingReport]:
        """Every overruling reported (for one entity), oldest first."""
        ...


class ExternalUnitOfWork(EmitsEvents, Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def reports(self) -> SupervisionReports: ...

    @property
    def overrulings(self) -> OverrulingReports: ...
