"""What the supervisory authority answered to a sent report: acknowledged, a complaint, an annulment."""

from __future__ import annotations

from services.external.domain import events
from services.external.domain.commands import RecordSupervisionAnswer
from services.external.domain.model import ReportStatus
from services.external.service_layer.ports import ExternalUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["SupervisionCommands"]


class SupervisionCommands:
    """Record where a supervision report stands after it was sent, on the clock's time."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def record_answer(self, uow: ExternalUnitOfWork, cmd: RecordSupervisionAnswer) -> Accepted:
        """Acknowledged, complaint received or annulled; each only after the report was sent."""
        report = await uow.reports.get(cmd.report_id)
        if report is None:
            raise RuleViolation("unknown_report", f"no supervision report {cmd.report_id}")
        moved = report.moved_to(ReportStatus(cmd.status), at=self._clock(), reference=cmd.reference)
        await uow.reports.update(moved)
        assert moved.status_changed_at is not None
        uow.emit(
            events.SupervisionReportStatusChanged(
                report_id=moved.report_id,
                decision_id=moved.decision_id,
                entity=moved.entity,
                status=moved.status.value,
                reference=cmd.reference,
                changed_at=moved.status_changed_at,
            )
        )
        return Accepted(ids={"report_id": str(moved.report_id)}, data={"status": moved.status.value})
