"""external's registry: entities with a valid KBO number, representatives from council designations,
church councils' documents decided within their terms or by silence, management agreements' reports."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from services.external.bootstrap import ExternalSettings, entity_terms, handlers_of
from services.external.domain.deadlines import EntityTerms
from services.external.domain.registry import kbo_check_digits_valid, valid_kbo_format
from services.external.entrypoints.subscriptions import ExternalHandlers, registry
from services.external.service_layer.commands.registry import RegistryCommands
from shared.clock import FixedClock
from shared.contracts import external as c
from shared.contracts.base import Confidentiality
from shared.contracts.common import BodyKind
from shared.contracts.meetings import DecisionAdopted, VoteTally
from shared.kernel import Accepted, RuleViolation
from shared.messaging.envelope import Envelope
from shared.vocabulary import (
    Candidate,
    DeadlineKind,
    DeadlineOutcome,
    DeadlineStatus,
    DecisionKind,
    DesignationDetails,
    FollowUpKind,
    Involvement,
    LegalForm,
    SilenceMeans,
)
from tests.factories import adopted_decision
from tests.unit.external.fakes import FakeExternalUnitOfWork

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
KBO = "0207.451.227"
ENVELOPE = Envelope(id="m", type="t", source="/test", time=NOW, correlation_id="c")


def _settings(**overrides: Any) -> ExternalSettings:
    return ExternalSettings(
        service_name="external",
        database_url="postgresql://localhost/raderwerk",
        nats_url="nats://localhost:4222",
        database_password=SecretStr("x"),
        nats_password=SecretStr("x"),
        **overrides,
    )


class External:
    """external's own registry on a clock the test moves."""

    def __init__(self, terms: EntityTerms | None = None, now: dt.datetime = NOW) -> None:
        self.clock = FixedClock(now)
        handlers = handlers_of(_settings(), self.clock)
        if terms is not None:
            handlers = ExternalHandlers(
                handlers.reactions, RegistryCommands(terms, self.clock), handlers.views, handlers.supervision
            )
        self.registry = registry(handlers)
        self.uow = FakeExternalUnitOfWork()

    def at(self, day: dt.date) -> None:
        self.clock.at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)

    async def ok(self, cmd: Any) -> Accepted:
        return await self.registry.send(self.uow, cmd)

    async def refused(self, cmd: Any) -> str:
        """The code the command is refused with (it changes nothing)."""
        before = len(self.uow.emitted)
        with pytest.raises(RuleViolation) as refusal:
            await self.registry.send(self.uow, cmd)
        assert len(self.uow.emitted) == before
        return refusal.value.code

    async def ask(self, query: Any) -> Any:
        return await self.registry.ask(self.uow, query)

    async def designate(self, decision: DecisionAdopted) -> None:
        await self.registry.consumers["external_designations"][DecisionAdopted](self.uow, decision, ENVELOPE)

    def published(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.uow.events() if isinstance(e, kind)]


def _register(code: str = "kf-sint-martinus", **fields: Any) -> c.RegisterExternalEntity:
    values: dict[str, Any] = {
        "command_id": f"reg-{uuid.uuid4().hex[:8]}",
        "code": code,
        "name": "Kerkfabriek Sint-Martinus",
        "legal_form": LegalForm.KERKFABRIEK,
        "kbo": KBO,
        "involvements": frozenset({Involvement.SUPERVISING, Involvement.CO_FINANCING}),
    }
    values.update(fields)
    return c.RegisterExternalEntity.model_validate(values)


def _plan(
    received_on: dt.date, advised_on: dt.date | None = None, code: str = "kf-sint-martinus"
) -> c.FileChurchDocument:
    return c.FileChurchDocument(
        command_id=f"plan-{uuid.uuid4().hex[:8]}",
        entity_code=code,
        kind=DeadlineKind.MULTI_YEAR_PLAN,
        title="Meerjarenplan 2026-2031",
        received_on=received_on,
        advised_on=advised_on,
    )


def _scan(day: dt.date) -> c.ScanExternalDeadlines:
    return c.ScanExternalDeadlines(command_id=f"scan-{day.isoformat()}", as_of=day)


# -- KBO numbers ----------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=19_999_999))
def test_every_number_with_its_modulo_97_check_digits_is_valid_and_no_other(base: int) -> None:
    check = 97 - base % 97
    digits = f"{base:08d}{check:02d}"
    kbo = f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    assert valid_kbo_format(kbo)
    assert kbo_check_digits_valid(kbo)
    wrong = (check % 97) + 1
    other = f"{base:08d}{wrong:02d}"
    assert not kbo_check_digits_valid(f"{other[:4]}.{other[4:7]}.{other[7:]}")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kbo": "0207.451.228"}, "invalid_kbo"),
        ({"kbo": "207451227"}, "invalid_kbo"),
        ({"kbo": None}, "kbo_required"),
        ({"legal_form": LegalForm.INTERLOKALE_VERENIGING}, "kbo_not_allowed"),
        ({"involvements": frozenset()}, "involvement_required"),
        ({"legal_form": LegalForm.OCMW_VERENIGING}, "ocmw_association_of_ocmw"),
    ],
)
async def test_a_registration_that_breaks_a_rule_is_refused(fields: dict[str, Any], code: str) -> None:
    external = External()
    assert await external.refused(_register(**fields)) == code
    assert external.uow.entities.rows == {}


async def test_an_entity_is_registered_once_by_code_and_by_kbo_number() -> None:
    external = External()
    await external.ok(_register())
    [registered] = external.published(c.ExternalEntityRegistered)
    assert (registered.code, registered.legal_form, registered.kbo) == ("kf-sint-martinus", LegalForm.KERKFABRIEK, KBO)
    assert registered.involvements == (Involvement.CO_FINANCING, Involvement.SUPERVISING)
    assert await external.refused(_register()) == "external_entity_exists"
    assert await external.refused(_register("andere-code")) == "external_entity_exists"
    association = _register(
        "ilv-erfgoed",
        legal_form=LegalForm.INTERLOKALE_VERENIGING,
        kbo=None,
        involvements=frozenset({Involvement.MEMBER}),
    )
    await external.ok(association)
    reply = await external.ask(c.ListExternalEntities(command_id="list-1-0000000"))
    assert [e.code for e in reply.entities] == ["ilv-erfgoed", "kf-sint-martinus"]


# -- church councils: the multi-year plan and silence -----------------------------------------------


async def test_a_multi_year_plan_left_undecided_for_100_days_is_approved_by_silence_with_a_task() -> None:
    external = External()
    await external.ok(_register())
    advised = dt.date(2026, 9, 1)
    filed = await external.ok(_plan(received_on=dt.date(2026, 8, 1), advised_on=advised))
    last_day = advised + dt.timedelta(days=100)
    assert filed.data == {"due_on": last_day.isoformat(), "silence": "approval"}
    [opened] = external.published(c.ExternalDeadlineOpened)
    assert (opened.due_on, opened.silence, opened.follow_up.due_date) == (last_day, SilenceMeans.APPROVAL, last_day)
    assert opened.follow_up.unit_code == "SECR"

    external.at(last_day)
    assert (await external.ok(_scan(last_day))).data["lapsed"] == 0
    assert external.published(c.ExternalDeadlineLapsed) == []

    day_after = last_day + dt.timedelta(days=1)
    external.at(day_after)
    assert (await external.ok(_scan(day_after))).data["lapsed"] == 1
    [lapsed] = external.published(c.ExternalDeadlineLapsed)
    assert (lapsed.kind, lapsed.outcome, lapsed.lapsed_on, lapsed.due_on) == (
        DeadlineKind.MULTI_YEAR_PLAN,
        DeadlineOutcome.APPROVED_BY_SILENCE,
        day_after,
        last_day,
    )
    assert lapsed.follow_up.kind is FollowUpKind.NOTIFY
    assert "van rechtswege goedgekeurd" in lapsed.follow_up.description
    assert lapsed.follow_up.due_date == day_after + dt.timedelta(days=10)

    # Idempotent: a second scan, the same day or later, changes nothing.
    await external.ok(c.ScanExternalDeadlines(command_id="scan-again-0000000", as_of=day_after + dt.timedelta(days=30)))
    assert len(external.published(c.ExternalDeadlineLapsed)) == 1
    [line] = (await external.ask(c.ListExternalDeadlines(command_id="dl-1-0000000"))).deadlines
    assert (line.status, line.outcome, line.closed_on) == (
        DeadlineStatus.LAPSED,
        DeadlineOutcome.APPROVED_BY_SILENCE,
        day_after,
    )
    # Silence decided: the council can no longer approve, refuse or adjust it.
    late = c.CloseExternalDeadline(
        command_id="late-1-0000000", deadline_id=line.deadline_id, outcome=DeadlineOutcome.REFUSED
    )
    assert await external.refused(late) == "deadline_closed"


@given(
    advised=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2035, 1, 1)),
    waited=st.integers(min_value=0, max_value=400),
)
async def test_silence_approves_a_plan_exactly_from_the_101st_day_after_the_advice(
    advised: dt.date, waited: int
) -> None:
    external = External(now=dt.datetime.combine(advised, dt.time(9), tzinfo=dt.UTC))
    await external.ok(_register())
    await external.ok(_plan(received_on=advised - dt.timedelta(days=20), advised_on=advised))
    day = advised + dt.timedelta(days=waited)
    await external.ok(_scan(day))
    assert bool(external.published(c.ExternalDeadlineLapsed)) is (waited > 100)


async def test_without_the_representative_organs_advice_the_term_runs_from_the_end_of_its_own() -> None:
    external = External()
    await external.ok(_register())
    received = dt.date(2026, 6, 1)
    filed = await external.ok(_plan(received_on=received))
    assert filed.data["due_on"] == (received + dt.timedelta(days=50 + 100)).isoformat()


async def test_the_council_decides_within_the_term_and_nothing_lapses() -> None:
    external = External()
    await external.ok(_register())
    filed = await external.ok(_plan(received_on=dt.date(2026, 9, 1), advised_on=dt.date(2026, 10, 1)))
    deadline_id = uuid.UUID(filed.ids["deadline_id"])
    decision = uuid.uuid4()
    noted = c.CloseExternalDeadline(
        command_id="close-0-0000000", deadline_id=deadline_id, outcome=DeadlineOutcome.NOTED
    )
    assert await external.refused(noted) == "outcome_not_allowed"
    await external.ok(
        c.CloseExternalDeadline(
            command_id="close-1-0000000",
            deadline_id=deadline_id,
            outcome=DeadlineOutcome.ADJUSTED,
            decision_id=decision,
        )
    )
    [met] = external.published(c.ExternalDeadlineMet)
    assert (met.outcome, met.closed_on, met.decision_id) == (DeadlineOutcome.ADJUSTED, TODAY, decision)
    await external.ok(_scan(dt.date(2027, 12, 31)))
    assert external.published(c.ExternalDeadlineLapsed) == []


async def test_a_decision_dated_after_the_last_day_is_refused() -> None:
    external = External(now=dt.datetime(2027, 6, 1, 9, tzinfo=dt.UTC))
    await external.ok(_register())
    filed = await external.ok(_plan(received_on=dt.date(2026, 9, 1), advised_on=dt.date(2026, 10, 1)))
    late = c.CloseExternalDeadline(
        command_id="close-2-0000000",
        deadline_id=uuid.UUID(filed.ids["deadline_id"]),
        outcome=DeadlineOutcome.APPROVED,
        on=dt.date(2027, 1, 10),
    )
    assert await external.refused(late) == "term_expired"


@pytest.mark.parametrize(
    ("kind", "days", "outcome"),
    [
        (DeadlineKind.BUDGET, 50, DeadlineOutcome.MISSED),
        (DeadlineKind.BUDGET_OUTSIDE_PLAN, 50, DeadlineOutcome.APPROVED_BY_SILENCE),
        (DeadlineKind.ACCOUNTS, 50, DeadlineOutcome.FAVOURABLE_BY_SILENCE),
    ],
)
async def test_each_church_document_has_its_term_and_what_silence_means(
    kind: DeadlineKind, days: int, outcome: DeadlineOutcome
) -> None:
    external = External()
    await external.ok(_register())
    received = dt.date(2026, 7, 1)
    filed = await external.ok(
        c.FileChurchDocument(
            command_id="doc-1-0000000", entity_code="kf-sint-martinus", kind=kind, title="2027", received_on=received
        )
    )
    assert filed.data["due_on"] == (received + dt.timedelta(days=days)).isoformat()
    await external.ok(_scan(received + dt.timedelta(days=days + 1)))
    [lapsed] = external.published(c.ExternalDeadlineLapsed)
    assert lapsed.outcome is outcome


async def test_the_terms_and_what_silence_means_are_configurable() -> None:
    terms = entity_terms(
        _settings(multi_year_plan_days=90, multi_year_plan_silence=SilenceMeans.NOTHING, follow_up_unit="FIN")
    )
    assert (terms.multi_year_plan_days, terms.budget_days, terms.follow_up_unit) == (90, 50, "FIN")
    external = External(terms)
    await external.ok(_register())
    advised = dt.date(2026, 9, 1)
    await external.ok(_plan(received_on=advised, advised_on=advised))
    await external.ok(_scan(advised + dt.timedelta(days=91)))
    [lapsed] = external.published(c.ExternalDeadlineLapsed)
    assert (lapsed.outcome, lapsed.follow_up.unit_code) == (DeadlineOutcome.MISSED, "FIN")
    with pytest.raises(ValueError, match="positive"):
        EntityTerms(budget_days=0)


async def test_only_a_church_council_files_church_documents_and_not_ahead_of_time() -> None:
    external = External()
    await external.ok(_register())
    await external.ok(_register("agb-sport", legal_form=LegalForm.AGB, kbo="0299.100.191", name="AGB Sport"))
    assert await external.refused(_plan(TODAY, code="agb-sport")) == "not_a_church_council"
    assert await external.refused(_plan(TODAY, code="onbekend")) == "unknown_external_entity"
    assert await external.refused(_plan(TODAY + dt.timedelta(days=1))) == "received_in_the_future"
    assert await external.refused(_plan(TODAY, advised_on=TODAY - dt.timedelta(days=1))) == "advice_before_receipt"


# -- management agreements --------------------------------------------------------------------------


async def test_a_management_agreements_reports_are_deadlines_received_or_missed() -> None:
    external = External()
    await external.ok(_register("agb-sport", legal_form=LegalForm.AGB, kbo="0299.100.191", name="AGB Sport"))
    decision = uuid.uuid4()
    agreement = c.RecordManagementAgreement(
        command_id="bo-1-0000000",
        entity_code="agb-sport",
        title="Beheersovereenkomst sportinfrastructuur",
        decision_id=decision,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2031, 12, 31),
        report_due_dates=(dt.date(2027, 6, 30), dt.date(2026, 12, 31)),
    )
    reply = await external.ok(agreement)
    deadlines = reply.data["report_deadlines"]
    assert isinstance(deadlines, list)
    first, second = deadlines
    assert await external.refused(agreement.model_copy(update={"command_id": "bo-2"})) == "agreement_exists"
    [recorded] = external.published(c.ManagementAgreementRecorded)
    assert recorded.report_due_dates == (dt.date(2026, 12, 31), dt.date(2027, 6, 30))
    assert [o.kind for o in external.published(c.ExternalDeadlineOpened)] == [DeadlineKind.MANAGEMENT_REPORT] * 2

    external.at(dt.date(2026, 12, 20))
    await external.ok(
        c.CloseExternalDeadline(
            command_id="rcv-1-0000000", deadline_id=uuid.UUID(first), outcome=DeadlineOutcome.RECEIVED
        )
    )
    await external.ok(_scan(dt.date(2027, 7, 1)))
    [lapsed] = external.published(c.ExternalDeadlineLapsed)
    assert (str(lapsed.deadline_id), lapsed.outcome) == (second, DeadlineOutcome.MISSED)
    outside = agreement.model_copy(
        update={"command_id": "bo-3", "decision_id": uuid.uuid4(), "report_due_dates": (dt.date(2032, 6, 30),)}
    )
    assert await external.refused(outside) == "report_outside_agreement"


# -- representatives from designation decisions ------------------------------------------------------


def _designation(
    person: str,
    *,
    body: BodyKind = BodyKind.GEMEENTERAAD,
    replaces: str | None = None,
    code: str = "agb-sport",
    start: dt.date | None = None,
) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        kind=DecisionKind.DESIGNATION,
        title=f"Aanduiding vertegenwoordiger {code}",
        confidentiality=Confidentiality.CLOSED,
        secret_ballot=True,
        votes=VoteTally(in_favour=30, against=10, abstentions=0),
        elected=Candidate(person_id=person, name=f"Raadslid {person}"),
        designation=DesignationDetails(
            entity_code=code, role="algemene vergadering", term_start=start, replaces_person_id=replaces
        ),
    )


async def test_a_council_designation_makes_the_elected_candidate_representative_and_a_later_one_replaces() -> None:
    external = External()
    await external.ok(_register("agb-sport", legal_form=LegalForm.AGB, kbo="0299.100.191", name="AGB Sport"))
    first = _designation("m-04")
    await external.designate(first)
    await external.designate(first)  # the same news twice changes nothing
    [designated] = external.published(c.RepresentativeDesignated)
    assert (designated.person_id, designated.entity_code, designated.term_start, designated.body) == (
        "m-04",
        "agb-sport",
        first.effective_date,
        BodyKind.GEMEENTERAAD,
    )
    [(_, envelope)] = [(e, env) for e, env in external.uow.emitted if isinstance(e, c.RepresentativeDesignated)]
    assert envelope.confidentiality is Confidentiality.CLOSED

    start = dt.date(2026, 6, 1)
    await external.designate(_designation("m-07", replaces="m-04", start=start))
    [ended] = external.published(c.RepresentationEnded)
    assert (ended.person_id, ended.ended_on, ended.replaced_by_person_id) == ("m-04", dt.date(2026, 5, 31), "m-07")
    [entity] = (await external.ask(c.ListExternalEntities(command_id="list-2-0000000", code="agb-sport"))).entities
    assert [(r.person_id, r.sitting) for r in entity.representatives] == [("m-04", False), ("m-07", True)]
    [before] = (
        await external.ask(
            c.ListExternalEntities(command_id="list-3-0000000", code="agb-sport", as_of=dt.date(2026, 5, 1))
        )
    ).entities
    assert [(r.person_id, r.sitting) for r in before.representatives] == [("m-04", True), ("m-07", False)]


async def test_designations_that_are_not_the_registrys_are_left_alone_or_dead_lettered() -> None:
    external = External()
    await external.ok(_register("agb-sport", legal_form=LegalForm.AGB, kbo="0299.100.191", name="AGB Sport"))
    committee = adopted_decision(
        body=BodyKind.GEMEENTERAAD,
        kind=DecisionKind.DESIGNATION,
        elected=Candidate(person_id="m-01", name="Hilde Vermeulen"),
    )
    await external.designate(committee)
    await external.designate(adopted_decision(body=BodyKind.GEMEENTERAAD))
    assert external.uow.representations.rows == {}
    with pytest.raises(RuleViolation) as unknown:
        await external.designate(_designation("m-04", code="onbekend"))
    assert unknown.value.code == "unknown_external_entity"
    with pytest.raises(RuleViolation) as rmw:
        await external.designate(_designation("m-04", body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN))
    assert rmw.value.code == "designation_of_other_entity"
