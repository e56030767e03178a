"""Supervision reports in PostgreSQL."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.external.adapters.tables import supervision_reports
from services.external.domain.model import SupervisionReport

__all__ = ["SqlSupervisionReports"]


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
            )
            .on_conflict_do_nothing(index_elements=[supervision_reports.c.decision_id])
            .returning(supervision_reports.c.report_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None
