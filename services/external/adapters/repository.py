"""Supervision reports in PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.external.adapters.tables import overruling_reports, supervision_reports
from services.external.domain.model import OverrulingReport, ReportStatus, SupervisionReport
from shared.vocabulary import BodyKind, LegalEntity

__all__ = ["SqlOverrulingReports", "SqlSupervisionReports"]


class SqlSupervisionReports:
    """`SupervisionReports` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, report: SupervisionReport) -> bool:
        """Queue the report; False when the decision was already queued."""
        stmt = (
            pg_insert(supervision_reports)
            .values(
                report_id=report.report_id,
                decision_id=report.decision_id,
                body=report.body.value,
                entity=report.entity.value,
                title=report.title,
                status=report.status.value,
                queued_at=report.queued_at,
                meeting_id=report.meeting_id,
                decision_type=report.decision_type,
                full_text=report.full_text,
            )
            .on_conflict_do_nothing(index_elements=[supervision_reports.c.decision_id])
            .returning(supervision_reports.c.report_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def awaiting(
        self, *, meeting_id: uuid.UUID | None = None, decision_id: uuid.UUID | None = None, full_text: bool = False
    ) -> list[SupervisionReport]:
        """Reports still waiting for publication, of one meeting or one decision, that go with a decision
        list (`full_text` False) or with their own full text; oldest first; locked."""
        stmt = select(supervision_reports).where(
            supervision_reports.c.status == ReportStatus.QUEUED.value,
            supervision_reports.c.full_text.is_(full_text),
        )
        if meeting_id is not None:
            stmt = stmt.where(supervision_reports.c.meeting_id == meeting_id)
        if decision_id is not None:
            stmt = stmt.where(supervision_reports.c.decision_id == decision_id)
        stmt = stmt.order_by(supervision_reports.c.queued_at, supervision_reports.c.report_id)
        rows = await self._session.execute(stmt.with_for_update())
        return [_report(r) for r in rows]

    async def get(self, report_id: uuid.UUID) -> SupervisionReport | None:
        """One report, locked for this unit of work."""
        stmt = select(supervision_reports).where(supervision_reports.c.report_id == report_id).with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return _report(row) if row is not None else None

    async def update(self, report: SupervisionReport) -> None:
        await self._session.execute(
            update(supervision_reports)
            .where(supervision_reports.c.report_id == report.report_id)
            .values(
                status=report.status.value,
                submitted_at=report.submitted_at,
                document_id=report.document_id,
                document_hash=report.document_hash,
                status_changed_at=report.status_changed_at,
                reference=report.reference,
            )
        )


def _report(r: Any) -> SupervisionReport:
    return SupervisionReport(
        report_id=r.report_id,
        decision_id=r.decision_id,
        body=BodyKind(r.body),
        entity=LegalEntity(r.entity),
        title=r.title,
        queued_at=r.queued_at,
        status=ReportStatus(r.status),
        meeting_id=r.meeting_id,
        submitted_at=r.submitted_at,
        document_id=r.document_id,
        document_hash=r.document_hash,
        decision_type=r.decision_type,
        full_text=r.full_text,
        status_changed_at=r.status_changed_at,
        reference=r.reference,
    )


class SqlOverrulingReports:
    """`OverrulingReports`: one per overruling; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, report: OverrulingReport) -> bool:
        """Record the report; False when the overruling was reported before."""
        stmt = (
            pg_insert(overruling_reports)
            .values(
                report_id=report.report_id,
                overruling_id=report.overruling_id,
                decision_id=report.decision_id,
                item_id=report.item_id,
                body=report.body.value,
                entity=report.entity.value,
                amount=report.amount,
                refusal_reasons=list(report.refusal_reasons),
                overruled_at=report.overruled_at,
                reported_at=report.reported_at,
            )
            .on_conflict_do_nothing(index_elements=[overruling_reports.c.overruling_id])
            .returning(overruling_reports.c.report_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def of_entity(self, entity: LegalEntity | None = None) -> list[OverrulingReport]:
        """Every overruling reported (for one entity), oldest first."""
        stmt = select(overruling_reports).order_by(overruling_reports.c.reported_at, overruling_reports.c.report_id)
        if entity is not None:
            stmt = stmt.where(overruling_reports.c.entity == entity.value)
        return [
            OverrulingReport(
                report_id=r.report_id,
                overruling_id=r.overruling_id,
                decision_id=r.decision_id,
                item_id=r.item_id,
                body=BodyKind(r.body),
                entity=LegalEntity(r.entity),
                amount=r.amount,
                refusal_reasons=tuple(r.refusal_reasons),
                overruled_at=r.overruled_at,
                reported_at=r.reported_at,
            )
            for r in await self._session.execute(stmt)
        ]
