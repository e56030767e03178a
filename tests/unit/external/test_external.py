"""external: council and social welfare council decisions are queued for the supervisor."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.external.adapters import translation
from services.external.bootstrap import ExternalSettings, reporting_policy
from services.external.domain import events
from services.external.domain.commands import ReportOverruling
from services.external.domain.deadlines import EntityTerms
from services.external.domain.model import ReportingPolicy, ReportStatus, SupervisionReport, report_for
from services.external.entrypoints.subscriptions import ExternalHandlers, registry
from services.external.service_layer.commands.registry import RegistryCommands
from services.external.service_layer.commands.supervision import SupervisionCommands
from services.external.service_layer.reactions import ExternalReactions
from services.external.service_layer.views import ExternalViews
from shared.clock import FixedClock
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.external import (
    RecordSupervisionAnswer,
    SupervisionReportQueued,
    SupervisionReportStatusChanged,
    SupervisionReportSubmitted,
    VisumOverrulingReported,
)
from shared.contracts.finance import VisumOverruled
from shared.contracts.meetings import DecisionAdopted, DecisionKind, VoteTally
from shared.contracts.sessions import DocumentPublished
from shared.kernel import RuleViolation
from shared.lblod.decision_types import decision_type_table
from shared.messaging.envelope import Envelope
from shared.settings import load_settings
from tests.factories import adopted_decision
from tests.unit.external.fakes import FakeExternalUnitOfWork

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
REACTIONS = ExternalReactions(ReportingPolicy(), FixedClock(NOW))
# Driven through the registry the broker binds: the contract, translated, to the reaction.


def _handlers(reactions: ExternalReactions) -> ExternalHandlers:
    clock = FixedClock(NOW)
    return ExternalHandlers(
        reactions, RegistryCommands(EntityTerms(), clock), ExternalViews(clock), SupervisionCommands(clock)
    )


REGISTRY = registry(_handlers(REACTIONS))
queue = REGISTRY.consumers["external_decisions"][DecisionAdopted]
submit = REGISTRY.consumers["external_publications"][DocumentPublished]


def _decision(body: BodyKind, confidentiality: Confidentiality = Confidentiality.PUBLIC) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        title="Goedkeuring reglement",
        legal_basis="Decreet lokaal bestuur",
        confidentiality=confidentiality,
        votes=VoteTally(in_favour=12, against=3, abstentions=0),
        adopted_at=NOW,
    )


def _envelope(confidentiality: Confidentiality = Confidentiality.PUBLIC) -> Envelope:
    return Envelope(
        id="e-1",
        type=DecisionAdopted.ce_type(),
        source="/raderwerk/meetings",
        time=NOW,
        correlation_id="c",
        confidentiality=confidentiality,
    )


def _report_for(decision: DecisionAdopted, policy: ReportingPolicy) -> SupervisionReport | None:
    own = translation.queue_supervision_report(decision, _envelope())
    return report_for(own, policy, report_id=uuid.uuid4(), now=NOW)


@pytest.mark.parametrize(
    ("body", "reportable"),
    [
        (BodyKind.GEMEENTERAAD, True),
        (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, True),
        (BodyKind.COLLEGE, False),
        (BodyKind.VAST_BUREAU, False),
        (BodyKind.BCSD, False),
        (BodyKind.DISTRICTSRAAD, True),
        (BodyKind.DISTRICTSCOLLEGE, False),
    ],
)
def test_the_table_reports_the_decision_lists_of_council_rmw_and_district_council(
    body: BodyKind, reportable: bool
) -> None:
    assert ReportingPolicy().is_reportable(body) is reportable
    assert (_report_for(_decision(body), ReportingPolicy()) is not None) is reportable


def test_the_bcsd_can_never_be_made_reportable() -> None:
    with pytest.raises(ValueError, match="bcsd"):
        ReportingPolicy.of({BodyKind.GEMEENTERAAD, BodyKind.BCSD})


def test_the_policy_is_configurable() -> None:
    policy = ReportingPolicy.of({BodyKind.GEMEENTERAAD, BodyKind.DISTRICTSRAAD})
    assert policy.is_reportable(BodyKind.DISTRICTSRAAD)
    assert not policy.is_reportable(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)


def test_a_report_awaits_publication() -> None:
    decision = _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN).model_copy(update={"meeting_id": uuid.uuid4()})
    own = translation.queue_supervision_report(decision, _envelope())
    report_id = uuid.uuid4()
    report = report_for(own, ReportingPolicy(), report_id=report_id, now=NOW)
    assert report is not None
    assert (report.report_id, report.decision_id, report.body, report.entity, report.title, report.meeting_id) == (
        report_id,
        decision.decision_id,
        BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
        LegalEntity.OCMW,
        decision.title,
        decision.meeting_id,
    )
    assert report.status is ReportStatus.QUEUED
    assert report.queued_at == NOW


async def test_a_council_decision_is_queued_and_announced() -> None:
    uow = FakeExternalUnitOfWork()
    decision = _decision(BodyKind.GEMEENTERAAD)
    await queue(uow, decision, _envelope())
    report = uow.reports.by_decision[decision.decision_id]
    assert report.queued_at == NOW
    [(event, envelope)] = uow.emitted
    assert isinstance(event, SupervisionReportQueued)
    assert event.report_id == report.report_id
    assert event.decision_id == decision.decision_id
    assert event.body is BodyKind.GEMEENTERAAD
    assert event.entity is LegalEntity.GEMEENTE
    assert event.title == decision.title
    assert envelope.subject == str(report.report_id)
    assert envelope.entity is Entity.GEMEENTE
    assert envelope.confidentiality is Confidentiality.PUBLIC
    assert envelope.source == "/raderwerk/external"
    [domain] = uow.domain_events()
    assert isinstance(domain, events.SupervisionReportQueued)


async def test_a_closed_council_decision_is_reported_but_stays_closed_downstream() -> None:
    uow = FakeExternalUnitOfWork()
    await queue(uow, _decision(BodyKind.GEMEENTERAAD, Confidentiality.CLOSED), _envelope())
    [envelope] = uow.envelopes()
    assert envelope.confidentiality is Confidentiality.CLOSED


@pytest.mark.parametrize("body", [BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.BCSD])
async def test_other_bodies_are_not_reported(body: BodyKind) -> None:
    uow = FakeExternalUnitOfWork()
    confidentiality = Confidentiality.SOCIAL if body is BodyKind.BCSD else Confidentiality.PUBLIC
    await queue(uow, _decision(body, confidentiality), _envelope())
    assert uow.reports.rows == {}
    assert uow.emitted == []


async def test_a_redelivered_decision_is_queued_and_announced_once() -> None:
    uow = FakeExternalUnitOfWork()
    decision = _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)
    await queue(uow, decision, _envelope())
    await queue(uow, decision, _envelope())
    assert len(uow.reports.rows) == 1
    assert len(uow.emitted) == 1


async def test_the_reaction_follows_the_configured_policy() -> None:
    uow = FakeExternalUnitOfWork()
    reactions = ExternalReactions(ReportingPolicy.of({BodyKind.COLLEGE}), FixedClock(NOW))
    college_only = registry(_handlers(reactions)).consumers["external_decisions"][DecisionAdopted]
    await college_only(uow, _decision(BodyKind.COLLEGE), _envelope())
    await college_only(uow, _decision(BodyKind.GEMEENTERAAD), _envelope())
    assert [r.body for r in uow.reports.rows.values()] == [BodyKind.COLLEGE]


def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://x/db")
    monkeypatch.setenv("RW_NATS_URL", "nats://x:4222")
    monkeypatch.setenv("RW_EXTERNAL_NATS_PASSWORD", "dev-secret")


def test_settings_default_to_the_domain_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch)
    monkeypatch.delenv("RW_EXTERNAL_REPORTABLE_BODIES", raising=False)
    settings = load_settings(ExternalSettings, "external")
    assert settings.reportable_bodies is None, "the legal default is written once, in the domain"
    assert reporting_policy(settings) == ReportingPolicy()


def test_settings_configure_the_reportable_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch)
    monkeypatch.setenv("RW_EXTERNAL_REPORTABLE_BODIES", '["gemeenteraad", "districtsraad"]')
    policy = reporting_policy(load_settings(ExternalSettings, "external"))
    assert policy.reportable_bodies == {BodyKind.GEMEENTERAAD, BodyKind.DISTRICTSRAAD}


def test_settings_refuse_the_bcsd(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch)
    monkeypatch.setenv("RW_EXTERNAL_REPORTABLE_BODIES", '["gemeenteraad", "bcsd"]')
    with pytest.raises(ValidationError, match="never reported"):
        load_settings(ExternalSettings, "external")


def _published(
    decision: DecisionAdopted, kind: str, *, reportable: bool = True, published_at: dt.datetime = NOW
) -> DocumentPublished:
    assert decision.meeting_id is not None
    return DocumentPublished(
        document_id=uuid.uuid4(),
        kind=kind,
        meeting_id=decision.meeting_id,
        decision_id=decision.decision_id if kind in {"regulation", "full_text"} else None,
        body=decision.body,
        entity=decision.entity,
        title="Besluitenlijst",
        content={},
        content_hash="ab" * 32,
        register_hash="cd" * 32,
        published_at=published_at,
        due_on=published_at.date(),
        on_time=True,
        reportable=reportable,
    )


def _of_meeting(meeting: uuid.UUID, body: BodyKind = BodyKind.GEMEENTERAAD) -> DecisionAdopted:
    return _decision(body).model_copy(update={"meeting_id": meeting, "decision_id": uuid.uuid4()})


def _submitted(uow: FakeExternalUnitOfWork) -> list[SupervisionReportSubmitted]:
    return [e for e in uow.events() if isinstance(e, SupervisionReportSubmitted)]


async def test_the_published_decision_list_submits_the_waiting_reports_the_same_day() -> None:
    uow = FakeExternalUnitOfWork()
    meeting = uuid.uuid4()
    decisions = [_of_meeting(meeting) for _ in range(2)]
    for decision in decisions:
        await queue(uow, decision, _envelope())
    await submit(uow, _published(decisions[0], "minutes", reportable=False), _envelope())
    assert all(r.status is ReportStatus.QUEUED for r in uow.reports.rows.values())
    published = _published(decisions[0], "decision_list")
    await submit(uow, published, _envelope())
    submitted = _submitted(uow)
    assert {e.decision_id for e in submitted} == {d.decision_id for d in decisions}
    assert all(e.same_day for e in submitted)
    assert all(r.status is ReportStatus.SENT for r in uow.reports.rows.values())
    for event in submitted:
        assert (event.document_id, event.document_kind, event.document_hash) == (
            published.document_id,
            "decision_list",
            published.content_hash,
        )
        assert (event.published_at, event.submitted_at) == (NOW, NOW)
    for report in uow.reports.rows.values():
        assert (report.submitted_at, report.document_id, report.document_hash) == (
            NOW,
            published.document_id,
            published.content_hash,
        )
    envelopes = [env for e, env in uow.emitted if isinstance(e, SupervisionReportSubmitted)]
    assert {env.subject for env in envelopes} == {str(r.report_id) for r in uow.reports.rows.values()}
    assert all(env.entity is Entity.GEMEENTE and env.confidentiality is Confidentiality.PUBLIC for env in envelopes)
    await submit(uow, _published(decisions[0], "decision_list"), _envelope())
    assert len(_submitted(uow)) == 2, "sent once"


async def test_a_regulation_submits_its_own_decision_only() -> None:
    uow = FakeExternalUnitOfWork()
    meeting = uuid.uuid4()
    regulation = _of_meeting(meeting).model_copy(update={"kind": DecisionKind.REGULATION})
    other = _of_meeting(meeting)
    await queue(uow, regulation, _envelope())
    await queue(uow, other, _envelope())
    await submit(uow, _published(regulation, "regulation"), _envelope())
    assert [e.decision_id for e in _submitted(uow)] == [regulation.decision_id]
    assert uow.reports.by_decision[other.decision_id].status is ReportStatus.QUEUED


async def test_reportable_minutes_submit_nothing() -> None:
    uow = FakeExternalUnitOfWork()
    decision = _of_meeting(uuid.uuid4())
    await queue(uow, decision, _envelope())
    await submit(uow, _published(decision, "minutes"), _envelope())
    assert _submitted(uow) == []


async def test_a_report_sent_after_the_publication_day_says_so() -> None:
    uow = FakeExternalUnitOfWork()
    decision = _of_meeting(uuid.uuid4(), BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)
    await queue(uow, decision, _envelope())
    yesterday = NOW - dt.timedelta(days=1)
    await submit(uow, _published(decision, "decision_list", published_at=yesterday), _envelope())
    [(event, envelope)] = [(e, env) for e, env in uow.emitted if isinstance(e, SupervisionReportSubmitted)]
    assert isinstance(event, SupervisionReportSubmitted)
    assert not event.same_day
    assert (event.published_at, event.submitted_at) == (yesterday, NOW)
    assert envelope.entity is Entity.OCMW


# --- visum overrulings ----------------------------------------------------------------------

report_overruling = REGISTRY.consumers["external_overrulings"][VisumOverruled]


def _overruled(body: BodyKind = BodyKind.COLLEGE) -> VisumOverruled:
    return VisumOverruled(
        overruling_id=uuid.uuid4(),
        visum_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        body=body,
        entity=LegalEntity.GEMEENTE if body is BodyKind.COLLEGE else LegalEntity.OCMW,
        amount=Decimal("25000.00"),
        refusal_reasons=("Geen raamcontract",),
        overruled_at=NOW,
    )


async def test_every_overruling_is_reported_to_the_supervisory_authority_once() -> None:
    uow = FakeExternalUnitOfWork()
    overruled = _overruled()
    await report_overruling(uow, overruled, _envelope(Confidentiality.CLOSED))
    await report_overruling(uow, overruled, _envelope(Confidentiality.CLOSED))
    [(event, envelope)] = uow.emitted
    assert isinstance(event, VisumOverrulingReported)
    assert (event.overruling_id, event.decision_id, event.body, event.amount) == (
        overruled.overruling_id,
        overruled.decision_id,
        BodyKind.COLLEGE,
        Decimal("25000.00"),
    )
    assert (event.refusal_reasons, event.reported_at) == (("Geen raamcontract",), NOW)
    assert (envelope.entity, envelope.confidentiality) == (Entity.GEMEENTE, Confidentiality.CLOSED)
    [stored] = await uow.overrulings.of_entity()
    assert stored.report_id == event.report_id


async def test_a_vast_bureau_overruling_is_reported_too_whatever_the_reporting_policy_says() -> None:
    uow = FakeExternalUnitOfWork()
    await report_overruling(uow, _overruled(BodyKind.VAST_BUREAU), _envelope(Confidentiality.PUBLIC))
    [(event, envelope)] = uow.emitted
    assert isinstance(event, VisumOverrulingReported)
    assert (event.entity, envelope.entity) == (LegalEntity.OCMW, Entity.OCMW)


# -- the table of decision types decides ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "reported", "full_text"),
    [
        (DecisionKind.REGULATION, BodyKind.COLLEGE, True, True),
        (DecisionKind.REGULATION, BodyKind.BURGEMEESTER, True, True),
        (DecisionKind.STAFF_RULES, BodyKind.GEMEENTERAAD, True, True),
        (DecisionKind.DELEGATION, BodyKind.COLLEGE, True, True),
        (DecisionKind.BUDGET_CHANGE, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, True, True),
        (DecisionKind.DECISION, BodyKind.GEMEENTERAAD, True, False),
        (DecisionKind.DECISION, BodyKind.DISTRICTSRAAD, True, False),
        (DecisionKind.DECISION, BodyKind.COLLEGE, False, False),
        (DecisionKind.APPOINTMENT, BodyKind.VAST_BUREAU, False, False),
        (DecisionKind.CARRY_OVER, BodyKind.COLLEGE, False, False),
        (DecisionKind.DECISION, BodyKind.BURGEMEESTER, False, False),
        (DecisionKind.VISUM_OVERRULING, BodyKind.COLLEGE, False, False),
    ],
)
async def test_the_table_of_decision_types_decides_what_is_queued(
    kind: DecisionKind, body: BodyKind, reported: bool, full_text: bool
) -> None:
    uow = FakeExternalUnitOfWork()
    decision = _of_meeting(uuid.uuid4(), body).model_copy(update={"kind": kind})
    await queue(uow, decision, _envelope())
    queued = [e for e in uow.events() if isinstance(e, SupervisionReportQueued)]
    assert bool(queued) is reported
    if reported:
        [event] = queued
        row = decision_type_table().type_of(kind, body)
        assert event.decision_type == row.concept
        assert event.decision_type.startswith("https://data.vlaanderen.be/id/concept/BesluitType/")
        assert event.full_text is full_text


async def test_a_full_text_report_goes_with_its_own_document_not_with_the_decision_list() -> None:
    uow = FakeExternalUnitOfWork()
    meeting = uuid.uuid4()
    rpr = _of_meeting(meeting).model_copy(update={"kind": DecisionKind.STAFF_RULES})
    line = _of_meeting(meeting)
    await queue(uow, rpr, _envelope())
    await queue(uow, line, _envelope())
    await submit(uow, _published(line, "decision_list"), _envelope())
    assert [e.decision_id for e in _submitted(uow)] == [line.decision_id]
    await submit(uow, _published(rpr, "full_text"), _envelope())
    assert [e.decision_id for e in _submitted(uow)] == [line.decision_id, rpr.decision_id]


async def test_a_visum_overruling_is_reported_once_from_finance_and_never_from_the_decision() -> None:
    uow = FakeExternalUnitOfWork()
    overruling = _of_meeting(uuid.uuid4(), BodyKind.COLLEGE).model_copy(
        update={"kind": DecisionKind.VISUM_OVERRULING, "overrules_item_id": uuid.uuid4()}
    )
    await queue(uow, overruling, _envelope())
    assert uow.reports.rows == {}
    reported = ReportOverruling(
        overruling_id=uuid.uuid4(),
        decision_id=overruling.decision_id,
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        amount=Decimal("1000.00"),
        refusal_reasons=("geen krediet",),
        overruled_at=NOW,
        confidentiality=Confidentiality.PUBLIC,
    )
    await REACTIONS.report_overruling(uow, reported)
    await REACTIONS.report_overruling(uow, reported)
    assert len(await uow.overrulings.of_entity()) == 1


async def test_the_supervisor_acknowledges_a_sent_report_then_a_complaint_and_an_annulment_follow() -> None:
    uow = FakeExternalUnitOfWork()
    decision = _of_meeting(uuid.uuid4())
    await queue(uow, decision, _envelope())
    report = uow.reports.by_decision[decision.decision_id]
    record = REGISTRY.commands[RecordSupervisionAnswer]
    with pytest.raises(RuleViolation) as refused:
        await record(
            uow,
            RecordSupervisionAnswer(
                command_id=f"c-{uuid.uuid4()}", report_id=report.report_id, status="acknowledged", reference="L-1"
            ),
        )
    assert refused.value.code == "report_status_not_allowed"
    await submit(uow, _published(decision, "decision_list"), _envelope())
    for status in ("acknowledged", "complaint_received", "annulled"):
        await record(
            uow,
            RecordSupervisionAnswer(
                command_id=f"c-{uuid.uuid4()}", report_id=report.report_id, status=status, reference=f"L-{status}"
            ),
        )
        assert uow.reports.by_decision[decision.decision_id].status.value == status
    changes = [e for e in uow.events() if isinstance(e, SupervisionReportStatusChanged)]
    assert [c.status for c in changes] == ["acknowledged", "complaint_received", "annulled"]
    with pytest.raises(RuleViolation):
        await record(
            uow,
            RecordSupervisionAnswer(
                command_id=f"c-{uuid.uuid4()}", report_id=report.report_id, status="acknowledged", reference="x"
            ),
        )
    with pytest.raises(RuleViolation) as unknown:
        await record(
            uow,
            RecordSupervisionAnswer(
                command_id=f"c-{uuid.uuid4()}", report_id=uuid.uuid4(), status="annulled", reference="x"
            ),
        )
    assert unknown.value.code == "unknown_report"
