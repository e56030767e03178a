"""The contract of external's repositories."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from services.external.domain.deadlines import Deadline
from services.external.domain.model import OverrulingReport, ReportStatus, SupervisionReport
from services.external.domain.registry import ExternalEntity, ManagementAgreement, Representation
from shared.vocabulary import (
    BodyKind,
    DeadlineKind,
    DeadlineOutcome,
    DeadlineStatus,
    Involvement,
    LegalEntity,
    LegalForm,
    SilenceMeans,
)

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


# -- the registry ---------------------------------------------------------------------------------


def _entity(code: str | None = None, kbo: str | None = None) -> ExternalEntity:
    code = code or f"e-{uuid.uuid4().hex[:8]}"
    return ExternalEntity(
        entity_id=uuid.uuid4(),
        code=code,
        name=f"Entiteit {code}",
        legal_form=LegalForm.KERKFABRIEK if kbo else LegalForm.INTERLOKALE_VERENIGING,
        kbo=kbo,
        involvements=frozenset({Involvement.SUPERVISING, Involvement.CO_FINANCING}),
        municipal_entity=LegalEntity.GEMEENTE,
        registered_at=T0,
    )


class ExternalEntitiesContract:
    """One entity per code and per KBO number; found by code and id; listed by code."""

    async def test_an_entity_comes_back_whole_by_code_and_by_id(self, uow: Any) -> None:
        entity = _entity(kbo="0207.451.227")
        assert await uow.entities.add(entity)
        assert await uow.entities.by_code(entity.code) == entity
        assert await uow.entities.by_id(entity.entity_id) == entity
        assert await uow.entities.by_code("nergens") is None
        assert await uow.entities.by_id(uuid.uuid4()) is None

    async def test_a_code_or_kbo_number_is_registered_once(self, uow: Any) -> None:
        first = _entity(kbo="0207.451.227")
        assert await uow.entities.add(first)
        assert not await uow.entities.add(replace(_entity(kbo="0299.100.191"), code=first.code))
        assert not await uow.entities.add(_entity(kbo="0207.451.227"))
        assert await uow.entities.add(_entity())
        assert await uow.entities.add(_entity()), "entities without legal personality share no KBO number"

    async def test_all_entities_by_code(self, uow: Any) -> None:
        for code in ("zz-laatste", "aa-eerste"):
            await uow.entities.add(_entity(code))
        codes = [e.code for e in await uow.entities.all()]
        assert codes == sorted(codes)
        assert {"aa-eerste", "zz-laatste"} <= set(codes)


def _representation(entity: ExternalEntity, person: str, start: dt.date, **fields: Any) -> Representation:
    return Representation(
        representation_id=uuid.uuid4(),
        entity_id=entity.entity_id,
        person_id=person,
        person_name=f"Raadslid {person}",
        role="algemene vergadering",
        decision_id=fields.pop("decision_id", uuid.uuid4()),
        term_start=start,
        **fields,
    )


class RepresentationsContract:
    """One designation per decision, entity and person; the current one of a person; ended by replacement."""

    async def test_a_designation_is_recorded_once_and_comes_back_whole(self, uow: Any) -> None:
        entity = _entity()
        await uow.entities.add(entity)
        r = _representation(
            entity, "m-04", dt.date(2026, 1, 2), term_end=dt.date(2030, 12, 31), replaces_person_id="m-01"
        )
        assert await uow.representations.add(r)
        assert not await uow.representations.add(replace(r, representation_id=uuid.uuid4()))
        assert await uow.representations.of_entity(entity.entity_id) == [r]

    async def test_the_current_representation_is_the_latest_not_ended(self, uow: Any) -> None:
        entity = _entity()
        await uow.entities.add(entity)
        old = _representation(entity, "m-04", dt.date(2025, 1, 2))
        new = _representation(entity, "m-04", dt.date(2026, 1, 2))
        other = _representation(entity, "m-07", dt.date(2026, 1, 2))
        for r in (old, new, other):
            await uow.representations.add(r)
        assert await uow.representations.current(entity.entity_id, "m-04") == new
        await uow.representations.end(new.representation_id, dt.date(2026, 5, 31))
        assert await uow.representations.current(entity.entity_id, "m-04") == old
        assert await uow.representations.current(entity.entity_id, "m-99") is None
        listed = await uow.representations.of_entity(entity.entity_id)
        assert [(r.person_id, r.term_start, r.ended_on) for r in listed] == [
            ("m-04", dt.date(2025, 1, 2), None),
            ("m-04", dt.date(2026, 1, 2), dt.date(2026, 5, 31)),
            ("m-07", dt.date(2026, 1, 2), None),
        ]


class ManagementAgreementsContract:
    """One agreement per entity and approving decision."""

    async def test_an_agreement_is_recorded_once_per_decision(self, uow: Any) -> None:
        entity = _entity()
        await uow.entities.add(entity)
        agreement = ManagementAgreement(
            agreement_id=uuid.uuid4(),
            entity_id=entity.entity_id,
            title="Beheersovereenkomst",
            decision_id=uuid.uuid4(),
            valid_from=dt.date(2026, 1, 1),
            valid_until=None,
            report_due_dates=(dt.date(2026, 6, 30), dt.date(2027, 6, 30)),
        )
        assert await uow.agreements.add(agreement)
        assert not await uow.agreements.add(replace(agreement, agreement_id=uuid.uuid4()))
        assert await uow.agreements.add(replace(agreement, agreement_id=uuid.uuid4(), decision_id=uuid.uuid4()))


def _deadline(entity: ExternalEntity, due: dt.date, title: str = "Meerjarenplan") -> Deadline:
    return Deadline(
        deadline_id=uuid.uuid4(),
        entity_id=entity.entity_id,
        kind=DeadlineKind.MULTI_YEAR_PLAN,
        title=title,
        opened_on=due - dt.timedelta(days=100),
        due_on=due,
        silence=SilenceMeans.APPROVAL,
    )


class DeadlinesContract:
    """Deadlines come back whole; only how they ended changes; the scan finds open ones past their day."""

    async def test_a_deadline_comes_back_whole_and_saves_how_it_ended(self, uow: Any) -> None:
        entity = _entity()
        await uow.entities.add(entity)
        deadline = _deadline(entity, dt.date(2026, 6, 9))
        await uow.deadlines.add(deadline)
        assert await uow.deadlines.get(deadline.deadline_id) == deadline
        assert await uow.deadlines.get(uuid.uuid4()) is None
        met = deadline.close(DeadlineOutcome.ADJUSTED, dt.date(2026, 5, 1), uuid.uuid4())
        await uow.deadlines.save(replace(met, title="ander"))
        assert await uow.deadlines.get(deadline.deadline_id) == met, "only the ending is written"

    async def test_open_deadlines_past_their_last_day_oldest_first(self, uow: Any) -> None:
        entity = _entity()
        await uow.entities.add(entity)
        late = _deadline(entity, dt.date(2026, 6, 9))
        later = _deadline(entity, dt.date(2026, 3, 1))
        today = _deadline(entity, dt.date(2026, 7, 1))
        met = _deadline(entity, dt.date(2026, 1, 1))
        for d in (late, later, today, met):
            await uow.deadlines.add(d)
        await uow.deadlines.save(met.close(DeadlineOutcome.APPROVED, dt.date(2025, 12, 1), None))
        found = await uow.deadlines.open_due_before(dt.date(2026, 7, 1))
        assert [d.deadline_id for d in found if d.entity_id == entity.entity_id] == [
            later.deadline_id,
            late.deadline_id,
        ]

    async def test_the_listing_by_entity_and_status_by_last_day(self, uow: Any) -> None:
        one, two = _entity(), _entity()
        for e in (one, two):
            await uow.entities.add(e)
        b = _deadline(one, dt.date(2026, 6, 9), "B")
        a = _deadline(one, dt.date(2026, 6, 9), "A")
        first = _deadline(one, dt.date(2026, 2, 1), "Z")
        elsewhere = _deadline(two, dt.date(2026, 1, 1))
        for d in (b, a, first, elsewhere):
            await uow.deadlines.add(d)
        await uow.deadlines.save(first.lapse(dt.date(2026, 3, 1)))
        listed = await uow.deadlines.listing(entity_id=one.entity_id)
        assert [d.title for d in listed] == ["Z", "A", "B"]
        open_ones = await uow.deadlines.listing(entity_id=one.entity_id, status=DeadlineStatus.OPEN)
        assert [d.title for d in open_ones] == ["A", "B"]
        everything = await uow.deadlines.listing()
        assert {elsewhere.deadline_id, a.deadline_id} <= {d.deadline_id for d in everything}
