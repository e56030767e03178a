"""The contract of external's repositories."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from services.external.domain.model import OverrulingReport, ReportStatus, SupervisionReport
from shared.vocabulary import BodyKind, LegalEntity

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _report(
    *, meeting_id: uuid.UUID | None = None, minutes: int = 0, body: BodyKind = BodyKind.GEMEENTERAAD
) -> SupervisionReport:
    return SupervisionReport(
        report_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        body=body,
        entity=LegalEntity.OCMW if body is BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN else LegalEntity.GEMEENTE,
        title=f"Reglement {minutes}",
        queued_at=T0 + dt.timedelta(minutes=minutes),
        meeting_id=meeting_id,
    )


class SupervisionReportsContract:
    """One report per decision; waiting reports by meeting or decision, oldest first, until submitted."""

    async def test_a_decision_is_queued_once(self, uow: Any) -> None:
        report = _report(meeting_id=uuid.uuid4())
        assert await uow.reports.add(report)
        again = SupervisionReport(
            report_id=uuid.uuid4(),
            decision_id=report.decision_id,
            body=report.body,
            entity=report.entity,
            title="Een tweede keer",
            queued_at=T0 + dt.timedelta(hours=1),
            meeting_id=report.meeting_id,
        )
        assert not await uow.reports.add(again)
        assert await uow.reports.awaiting(decision_id=report.decision_id) == [report]

    async def test_every_field_of_a_waiting_report_comes_back(self, uow: Any) -> None:
        report = _report(meeting_id=uuid.uuid4(), body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)
        await uow.reports.add(report)
        [found] = await uow.reports.awaiting(meeting_id=report.meeting_id)
        assert found == report
        assert (found.entity, found.status, found.submitted_at, found.document_id, found.document_hash) == (
            LegalEntity.OCMW,
            ReportStatus.QUEUED,
            None,
            None,
            None,
        )

    async def test_the_reports_of_a_meeting_oldest_first_and_no_other(self, uow: Any) -> None:
        meeting, other = uuid.uuid4(), uuid.uuid4()
        later, earlier = _report(meeting_id=meeting, minutes=5), _report(meeting_id=meeting, minutes=1)
        elsewhere, outside = _report(meeting_id=other), _report(meeting_id=None)
        for report in (later, earlier, elsewhere, outside):
            assert await uow.reports.add(report)
        assert await uow.reports.awaiting(meeting_id=meeting) == [earlier, later]
        assert await uow.reports.awaiting(meeting_id=other) == [elsewhere]
        assert await uow.reports.awaiting(meeting_id=uuid.uuid4()) == []

    async def test_a_report_outside_a_meeting_is_found_by_its_decision(self, uow: Any) -> None:
        report, other = _report(meeting_id=None), _report(meeting_id=None)
        await uow.reports.add(report)
        await uow.reports.add(other)
        assert await uow.reports.awaiting(decision_id=report.decision_id) == [report]
        assert await uow.reports.awaiting(decision_id=uuid.uuid4()) == []

    async def test_a_submitted_report_waits_no_more(self, uow: Any) -> None:
        meeting = uuid.uuid4()
        first, second = _report(meeting_id=meeting), _report(meeting_id=meeting, minutes=1)
        await uow.reports.add(first)
        await uow.reports.add(second)
        [waiting, _] = await uow.reports.awaiting(meeting_id=meeting)
        sent = waiting.submitted(document_id=uuid.uuid4(), document_hash="ab" * 32, at=T0 + dt.timedelta(days=3))
        await uow.reports.update(sent)
        assert await uow.reports.awaiting(meeting_id=meeting) == [second]
        assert await uow.reports.awaiting(decision_id=first.decision_id) == []
        assert not await uow.reports.add(first), "a submitted decision is still queued once"

    async def test_full_text_reports_wait_apart_from_the_lines_of_a_decision_list(self, uow: Any) -> None:
        meeting = uuid.uuid4()
        line = _report(meeting_id=meeting)
        full = replace(_report(meeting_id=meeting, minutes=1), full_text=True, decision_type="https://x/rpr")
        await uow.reports.add(line)
        await uow.reports.add(full)
        assert await uow.reports.awaiting(meeting_id=meeting) == [line]
        assert await uow.reports.awaiting(meeting_id=meeting, full_text=True) == [full]
        assert await uow.reports.awaiting(decision_id=full.decision_id, full_text=True) == [full]

    async def test_a_report_is_found_by_id_and_keeps_where_it_stands(self, uow: Any) -> None:
        report = _report(meeting_id=uuid.uuid4())
        await uow.reports.add(report)
        assert await uow.reports.get(report.report_id) == report
        assert await uow.reports.get(uuid.uuid4()) is None
        sent = report.submitted(document_id=uuid.uuid4(), document_hash="ab" * 32, at=T0)
        acknowledged = sent.moved_to(ReportStatus.ACKNOWLEDGED, at=T0 + dt.timedelta(days=1), reference="L-7")
        await uow.reports.update(acknowledged)
        assert await uow.reports.get(report.report_id) == acknowledged

    async def test_both_filters_together_narrow_to_one_report(self, uow: Any) -> None:
        meeting = uuid.uuid4()
        one, two = _report(meeting_id=meeting), _report(meeting_id=meeting, minutes=1)
        await uow.reports.add(one)
        await uow.reports.add(two)
        assert await uow.reports.awaiting(meeting_id=meeting, decision_id=two.decision_id) == [two]
        assert await uow.reports.awaiting(meeting_id=uuid.uuid4(), decision_id=two.decision_id) == []


def _overruling(*, minutes: int = 0, entity: LegalEntity = LegalEntity.GEMEENTE) -> OverrulingReport:
    return OverrulingReport(
        report_id=uuid.uuid4(),
        overruling_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE if entity is LegalEntity.GEMEENTE else BodyKind.VAST_BUREAU,
        entity=entity,
        amount=Decimal("25000.00"),
        refusal_reasons=("Geen raamcontract", "Prijs niet marktconform"),
        overruled_at=T0,
        reported_at=T0 + dt.timedelta(minutes=minutes),
    )


class OverrulingReportsContract:
    """One report per overruling, read back whole, oldest first."""

    async def test_an_overruling_is_reported_once_and_round_trips(self, uow: Any) -> None:
        report = _overruling()
        assert await uow.overrulings.add(report)
        assert not await uow.overrulings.add(replace(_overruling(minutes=5), overruling_id=report.overruling_id))
        assert await uow.overrulings.of_entity() == [report]

    async def test_reports_are_oldest_first_and_filter_on_the_entity(self, uow: Any) -> None:
        late, early, ocmw = _overruling(minutes=9), _overruling(minutes=1), _overruling(entity=LegalEntity.OCMW)
        for report in (late, early, ocmw):
            await uow.overrulings.add(report)
        assert await uow.overrulings.of_entity(LegalEntity.GEMEENTE) == [early, late]
        assert await uow.overrulings.of_entity() == [ocmw, early, late]
