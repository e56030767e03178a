"""In-memory fakes of external's ports."""

from __future__ import annotations

import uuid
from dataclasses import replace

from services.external.adapters.translation import outgoing
from services.external.domain.model import OverrulingReport, ReportStatus, SupervisionReport
from shared.vocabulary import LegalEntity
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


class FakeExternalUnitOfWork(RecordingOutbox):
    def __init__(self) -> None:
        super().__init__("external", outgoing)
        self.reports = FakeSupervisionReports()
        self.overrulings = FakeOverrulingReports()
