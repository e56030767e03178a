"""external: council and social welfare council decisions are queued for the supervisor."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from pydantic import ValidationError

from services.external.bootstrap import ExternalSettings
from services.external.domain.model import ReportingPolicy, ReportStatus, report_for
from services.external.service_layer.handlers import queue_supervision_report, submit_with_publication
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.external import SupervisionReportQueued, SupervisionReportSubmitted
from shared.contracts.meetings import DecisionAdopted, VoteTally
from shared.contracts.sessions import DocumentPublished
from shared.messaging.envelope import Envelope
from shared.settings import load_settings
from tests.factories import adopted_decision
from tests.unit.external.fakes import FakeExternalUnitOfWork

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
_OCMW_BODIES = {BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, BodyKind.VAST_BUREAU, BodyKind.BCSD}


def _decision(body: BodyKind, confidentiality: Confidentiality = Confidentiality.PUBLIC) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        title="Goedkeuring reglement",
        legal_basis="Decreet lokaal bestuur",
        confidentiality=confidentiality,
        votes=VoteTally(in_favour=12, against=3, abstentions=0),
        adopted_at=NOW,
    )


def _envelope() -> Envelope:
    return Envelope(
        id="e-1", type=DecisionAdopted.ce_type(), source="/raderwerk/meetings", time=NOW, correlation_id="c"
    )


@pytest.mark.parametrize(
    ("body", "reportable"),
    [
        (BodyKind.GEMEENTERAAD, True),
        (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, True),
        (BodyKind.COLLEGE, False),
        (BodyKind.VAST_BUREAU, False),
        (BodyKind.BCSD, False),
        (BodyKind.DISTRICTSRAAD, False),
        (BodyKind.DISTRICTSCOLLEGE, False),
    ],
)
def test_the_default_policy_reports_council_and_social_welfare_council(body: BodyKind, reportable: bool) -> None:
    assert ReportingPolicy().is_reportable(body) is reportable
    assert (report_for(_decision(body), ReportingPolicy(), now=NOW) is not None) is reportable


def test_the_bcsd_can_never_be_made_reportable() -> None:
    with pytest.raises(ValueError, match="bcsd"):
        ReportingPolicy.of({BodyKind.GEMEENTERAAD, BodyKind.BCSD})


def test_the_policy_is_configurable() -> None:
    policy = ReportingPolicy.of({BodyKind.GEMEENTERAAD, BodyKind.DISTRICTSRAAD})
    assert policy.is_reportable(BodyKind.DISTRICTSRAAD)
    assert not policy.is_reportable(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)


def test_a_report_awaits_publication() -> None:
    decision = _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)
    report = report_for(decision, ReportingPolicy(), now=NOW)
    assert report is not None
    assert (report.decision_id, report.body, report.entity, report.title) == (
        decision.decision_id,
        BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
        LegalEntity.OCMW,
        decision.title,
    )
    assert report.status is ReportStatus.AWAITING_PUBLICATION
    assert report.queued_at == NOW


async def test_a_council_decision_is_queued_and_announced() -> None:
    uow = FakeExternalUnitOfWork()
    decision = _decision(BodyKind.GEMEENTERAAD)
    await queue_supervision_report(uow, decision, _envelope())
    report = uow.reports.by_decision[decision.decision_id]
    (emitted,) = uow.emitted
    assert isinstance(emitted.event, SupervisionReportQueued)
    assert emitted.event.report_id == report.report_id
    assert emitted.event.decision_id == decision.decision_id
    assert emitted.event.body is BodyKind.GEMEENTERAAD
    assert emitted.subject_id == str(report.report_id)
    assert emitted.entity is Entity.GEMEENTE
    assert emitted.confidentiality is Confidentiality.PUBLIC


async def test_a_closed_council_decision_is_reported_but_stays_closed_downstream() -> None:
    uow = FakeExternalUnitOfWork()
    await queue_supervision_report(uow, _decision(BodyKind.GEMEENTERAAD, Confidentiality.CLOSED), _envelope())
    (emitted,) = uow.emitted
    assert emitted.confidentiality is Confidentiality.CLOSED


@pytest.mark.parametrize("body", [BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.BCSD])
async def test_other_bodies_are_not_reported(body: BodyKind) -> None:
    uow = FakeExternalUnitOfWork()
    confidentiality = Confidentiality.SOCIAL if body is BodyKind.BCSD else Confidentiality.PUBLIC
    await queue_supervision_report(uow, _decision(body, confidentiality), _envelope())
    assert uow.reports.by_decision == {}
    assert uow.emitted == []


async def test_a_redelivered_decision_is_queued_and_announced_once() -> None:
    uow = FakeExternalUnitOfWork()
    decision = _decision(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN)
    await queue_supervision_report(uow, decision, _envelope())
    await queue_supervision_report(uow, decision, _envelope())
    assert len(uow.reports.by_decision) == 1
    assert len(uow.emitted) == 1


async def test_the_handler_follows_the_configured_policy() -> None:
    uow = FakeExternalUnitOfWork()
    policy = ReportingPolicy.of({BodyKind.COLLEGE})
    await queue_supervision_report(uow, _decision(BodyKind.COLLEGE), _envelope(), policy=policy)
    await queue_supervision_report(uow, _decision(BodyKind.GEMEENTERAAD), _envelope(), policy=policy)
    assert [r.body for r in uow.reports.by_decision.values()] == [BodyKind.COLLEGE]


def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://x/db")
    monkeypatch.setenv("RW_NATS_URL", "nats://x:4222")
    monkeypatch.setenv("RW_EXTERNAL_NATS_PASSWORD", "dev-secret")


def test_settings_default_to_the_domain_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch)
    monkeypatch.delenv("RW_EXTERNAL_REPORTABLE_BODIES", raising=False)
    assert load_settings(ExternalSettings, "external").reporting_policy() == ReportingPolicy()


def test_settings_configure_the_reportable_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch)
    monkeypatch.setenv("RW_EXTERNAL_REPORTABLE_BODIES", '["gemeenteraad", "districtsraad"]')
    policy = load_settings(ExternalSettings, "external").reporting_policy()
    assert policy.reportable_bodies == {BodyKind.GEMEENTERAAD, BodyKind.DISTRICTSRAAD}


def test_settings_refuse_the_bcsd(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch)
    monkeypatch.setenv("RW_EXTERNAL_REPORTABLE_BODIES", '["gemeenteraad", "bcsd"]')
    with pytest.raises(ValidationError, match="never reported"):
        load_settings(ExternalSettings, "external")


def _published(decision: DecisionAdopted, kind: str, *, reportable: bool = True) -> DocumentPublished:
    assert decision.meeting_id is not None
    return DocumentPublished(
        document_id=uuid.uuid4(),
        kind=kind,
        meeting_id=decision.meeting_id,
        decision_id=decision.decision_id if kind == "regulation" else None,
        body=decision.body,
        entity=decision.entity,
        title="Besluitenlijst",
        content={},
        content_hash="ab" * 32,
        register_hash="cd" * 32,
        published_at=dt.datetime.now(dt.UTC),
        due_on=dt.datetime.now(dt.UTC).date(),
        on_time=True,
        reportable=reportable,
    )


async def test_the_published_decision_list_submits_the_waiting_reports_the_same_day() -> None:
    uow = FakeExternalUnitOfWork()
    meeting = uuid.uuid4()
    decisions = [
        _decision(BodyKind.GEMEENTERAAD).model_copy(update={"meeting_id": meeting, "decision_id": uuid.uuid4()})
        for _ in range(2)
    ]
    for decision in decisions:
        await queue_supervision_report(uow, decision, _envelope())
    await submit_with_publication(uow, _published(decisions[0], "minutes", reportable=False), _envelope())
    assert all(r.status is ReportStatus.AWAITING_PUBLICATION for r in uow.reports.by_decision.values())
    await submit_with_publication(uow, _published(decisions[0], "decision_list"), _envelope())
    submitted = [e.event for e in uow.emitted if isinstance(e.event, SupervisionReportSubmitted)]
    assert {e.decision_id for e in submitted} == {d.decision_id for d in decisions}
    assert all(e.same_day for e in submitted)
    assert all(r.status is ReportStatus.SUBMITTED for r in uow.reports.by_decision.values())
    await submit_with_publication(uow, _published(decisions[0], "decision_list"), _envelope())
    assert len([e for e in uow.emitted if isinstance(e.event, SupervisionReportSubmitted)]) == 2, "sent once"
