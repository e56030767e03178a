"""What the reactions need from persistence and messaging; SQL and in-memory fakes implement it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol

from services.external.domain.deadlines import Deadline
from services.external.domain.model import OverrulingReport, SupervisionReport
from services.external.domain.registry import ExternalEntity, ManagementAgreement, Representation
from shared.messaging.ports import EmitsEvents
from shared.vocabulary import DeadlineStatus, LegalEntity

__all__ = [
    "Deadlines",
    "ExternalEntities",
    "ExternalUnitOfWork",
    "ManagementAgreements",
    "OverrulingReports",
    "Representations",
    "SupervisionReports",
]


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


class ExternalEntities(Protocol):
    async def add(self, entity: ExternalEntity) -> bool:
        """Register the entity; False when its code or KBO number is registered already."""
        ...

    async def by_code(self, code: str) -> ExternalEntity | None: ...

    async def by_id(self, entity_id: uuid.UUID) -> ExternalEntity | None: ...

    async def all(self) -> list[ExternalEntity]:
        """Every registered entity, by code."""
        ...


class Representations(Protocol):
    async def add(self, representation: Representation) -> bool:
        """Record a designation; False when that decision designated that person there before."""
        ...

    async def current(self, entity_id: uuid.UUID, person_id: str) -> Representation | None:
        """The person's representation in the entity that has not ended by replacement (the latest), locked."""
        ...

    async def end(self, representation_id: uuid.UUID, ended_on: dt.date) -> None:
        """Record the last day of a replaced representation."""
        ...

    async def of_entity(self, entity_id: uuid.UUID) -> list[Representation]:
        """Every representation in the entity, by term start then person."""
        ...


class ManagementAgreements(Protocol):
    async def add(self, agreement: ManagementAgreement) -> bool:
        """Record the agreement; False when the entity has one approved by that decision already."""
        ...


class Deadlines(Protocol):
    async def add(self, deadline: Deadline) -> None: ...

    async def get(self, deadline_id: uuid.UUID) -> Deadline | None:
        """The deadline, locked for this transaction."""
        ...

    async def save(self, deadline: Deadline) -> None:
        """Record how a deadline ended: status, outcome, day, decision."""
        ...

    async def open_due_before(self, day: dt.date) -> list[Deadline]:
        """Open deadlines whose last day is before `day`, oldest first, locked (the scan skips locked ones)."""
        ...

    async def listing(
        self, *, entity_id: uuid.UUID | None = None, status: DeadlineStatus | None = None
    ) -> list[Deadline]:
        """Deadlines (of one entity, in one status) by last day, then title."""
        ...


class ExternalUnitOfWork(EmitsEvents, Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def reports(self) -> SupervisionReports: ...

    @property
    def overrulings(self) -> OverrulingReports: ...

    @property
    def entities(self) -> ExternalEntities: ...

    @property
    def representations(self) -> Representations: ...

    @property
    def agreements(self) -> ManagementAgreements: ...

    @property
    def deadlines(self) -> Deadlines: ...
