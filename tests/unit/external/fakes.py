"""In-memory fakes of external's ports."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from services.external.adapters.translation import outgoing
from services.external.domain.deadlines import Deadline
from services.external.domain.model import OverrulingReport, ReportStatus, SupervisionReport
from services.external.domain.registry import ExternalEntity, ManagementAgreement, Representation
from shared.vocabulary import DeadlineStatus, LegalEntity
from tests.unit.recording import RecordingOutbox


class FakeSupervisionReports:
    """`SupervisionReports` in a dict by report id, unique by decision like the table."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, SupervisionReport] = {}

    @property
    def by_decision(self) -> dict[uuid.UUID, SupervisionReport]:
        """The stored reports by their decision (one each)."""
        return {r.decision_id: r for r in self.rows.values()}

    async def add(self, report: SupervisionReport) -> bool:
        if report.decision_id in self.by_decision:
            return False
        self.rows[report.report_id] = report
        return True

    async def awaiting(
        self, *, meeting_id: uuid.UUID | None = None, decision_id: uuid.UUID | None = None, full_text: bool = False
    ) -> list[SupervisionReport]:
        waiting = [
            r
            for r in self.rows.values()
            if r.status is ReportStatus.QUEUED
            and r.full_text is full_text
            and (meeting_id is None or r.meeting_id == meeting_id)
            and (decision_id is None or r.decision_id == decision_id)
        ]
        return sorted(waiting, key=lambda r: (r.queued_at, r.report_id))

    async def get(self, report_id: uuid.UUID) -> SupervisionReport | None:
        return self.rows.get(report_id)

    async def update(self, report: SupervisionReport) -> None:
        # As the SQL adapter: only where the report stands is written; the rest of a report never changes.
        stored = self.rows.get(report.report_id)
        if stored is not None:
            self.rows[report.report_id] = replace(
                stored,
                status=report.status,
                submitted_at=report.submitted_at,
                document_id=report.document_id,
                document_hash=report.document_hash,
                status_changed_at=report.status_changed_at,
                reference=report.reference,
            )


class FakeOverrulingReports:
    """`OverrulingReports` in a list, unique by overruling like the table."""

    def __init__(self) -> None:
        self.rows: list[OverrulingReport] = []

    async def add(self, report: OverrulingReport) -> bool:
        if any(r.overruling_id == report.overruling_id for r in self.rows):
            return False
        self.rows.append(report)
        return True

    async def of_entity(self, entity: LegalEntity | None = None) -> list[OverrulingReport]:
        found = [r for r in self.rows if entity is None or r.entity is entity]
        return sorted(found, key=lambda r: (r.reported_at, r.report_id))


class FakeExternalEntities:
    """`ExternalEntities` in a dict by id, unique by code and KBO number like the table."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, ExternalEntity] = {}

    async def add(self, entity: ExternalEntity) -> bool:
        if any(
            e.entity_id == entity.entity_id or e.code == entity.code or (entity.kbo is not None and e.kbo == entity.kbo)
            for e in self.rows.values()
        ):
            return False
        self.rows[entity.entity_id] = entity
        return True

    async def by_code(self, code: str) -> ExternalEntity | None:
        return next((e for e in self.rows.values() if e.code == code), None)

    async def by_id(self, entity_id: uuid.UUID) -> ExternalEntity | None:
        return self.rows.get(entity_id)

    async def all(self) -> list[ExternalEntity]:
        return sorted(self.rows.values(), key=lambda e: e.code)


class FakeRepresentations:
    """`Representations` in a dict by id, one per decision, entity and person like the table."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Representation] = {}

    async def add(self, representation: Representation) -> bool:
        r = representation
        if any(
            (o.decision_id, o.entity_id, o.person_id) == (r.decision_id, r.entity_id, r.person_id)
            for o in self.rows.values()
        ):
            return False
        self.rows[r.representation_id] = r
        return True

    async def current(self, entity_id: uuid.UUID, person_id: str) -> Representation | None:
        found = [
            r
            for r in self.rows.values()
            if r.entity_id == entity_id and r.person_id == person_id and r.ended_on is None
        ]
        found.sort(key=lambda r: (-r.term_start.toordinal(), r.representation_id))
        return found[0] if found else None

    async def end(self, representation_id: uuid.UUID, ended_on: dt.date) -> None:
        if representation_id in self.rows:
            self.rows[representation_id] = replace(self.rows[representation_id], ended_on=ended_on)

    async def of_entity(self, entity_id: uuid.UUID) -> list[Representation]:
        found = [r for r in self.rows.values() if r.entity_id == entity_id]
        return sorted(found, key=lambda r: (r.term_start, r.person_id, r.representation_id))


class FakeManagementAgreements:
    """`ManagementAgreements` in a list, one per entity and decision like the table."""

    def __init__(self) -> None:
        self.rows: list[ManagementAgreement] = []

    async def add(self, agreement: ManagementAgreement) -> bool:
        if any((a.entity_id, a.decision_id) == (agreement.entity_id, agreement.decision_id) for a in self.rows):
            return False
        self.rows.append(agreement)
        return True


class FakeDeadlines:
    """`Deadlines` in a dict by id; `save` writes only how a deadline ended, like the SQL adapter."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Deadline] = {}

    async def add(self, deadline: Deadline) -> None:
        if deadline.deadline_id in self.rows:
            raise AssertionError("a deadline id is a primary key")
        self.rows[deadline.deadline_id] = deadline

    async def get(self, deadline_id: uuid.UUID) -> Deadline | None:
        return self.rows.get(deadline_id)

    async def save(self, deadline: Deadline) -> None:
        stored = self.rows.get(deadline.deadline_id)
        if stored is not None:
            self.rows[deadline.deadline_id] = replace(
                stored,
                status=deadline.status,
                outcome=deadline.outcome,
                closed_on=deadline.closed_on,
                decision_id=deadline.decision_id,
            )

    async def open_due_before(self, day: dt.date) -> list[Deadline]:
        found = [d for d in self.rows.values() if d.status is DeadlineStatus.OPEN and d.due_on < day]
        return sorted(found, key=lambda d: (d.due_on, d.deadline_id))

    async def listing(
        self, *, entity_id: uuid.UUID | None = None, status: DeadlineStatus | None = None
    ) -> list[Deadline]:
        found = [
            d
            for d in self.rows.values()
            if (entity_id is None or d.entity_id == entity_id) and (status is None or d.status is status)
        ]
        return sorted(found, key=lambda d: (d.due_on, d.title, d.deadline_id))


class FakeExternalUnitOfWork(RecordingOutbox):
    def __init__(self) -> None:
        super().__init__("external", outgoing)
        self.reports = FakeSupervisionReports()
        self.overrulings = FakeOverrulingReports()
        self.entities = FakeExternalEntities()
        self.representations = FakeRepresentations()
        self.agreements = FakeManagementAgreements()
        self.deadlines = FakeDeadlines()
