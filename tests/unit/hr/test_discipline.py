"""Discipline by its authority: the hearing first, a reasoned decision, a secret ballot in a body, and
sanctions that end the employment end that employment only."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from services.hr.domain.discipline import CaseState
from services.hr.domain.model import EffectStatus
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.hr import (
    DisciplineImposed,
    DisciplineRefused,
    ImposeSanction,
    OpenDisciplinaryCase,
    RecordHearing,
    StaffAppointed,
    StaffDismissed,
)
from shared.contracts.meetings import AppointmentDetails, DecisionAdopted, DecisionKind, DisciplineDetails
from shared.kernel import RuleViolation
from tests.factories import adopted_decision
from tests.unit.hr.stage import NOW, Hr

TODAY = NOW.date()
REASONS = "De feiten zijn bewezen; het verweer weerlegt ze niet."


def _decision(
    case_id: uuid.UUID,
    *,
    body: BodyKind = BodyKind.COLLEGE,
    person: str = "p-fin",
    entity: LegalEntity = LegalEntity.GEMEENTE,
    position: str = "diensthoofd",
    sanction: str = "schorsing",
    secret: bool = True,
    motivation: str = REASONS,
    adopted_at: dt.datetime = NOW,
    takes_effect_on: dt.date | None = None,
) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        entity=entity,
        kind=DecisionKind.DISCIPLINE,
        title="Tuchtstraf",
        confidentiality=Confidentiality.CLOSED,
        secret_ballot=secret,
        motivation=motivation,
        adopted_at=adopted_at,
        appointment=AppointmentDetails(
            person_id=person,
            person_name="Betrokkene",
            entity=entity,
            position=position,
            grade="A1a",
            statutory=True,
            start_date=takes_effect_on or adopted_at.date(),
        ),
        discipline=DisciplineDetails(case_id=case_id, sanction=sanction),
    )


async def _refused(hr: Hr, decision: DecisionAdopted) -> str:
    """The code a body's decision was refused with: recorded on its effect and announced, closed."""
    await hr.decide(decision)
    refused = [e for e in hr.events() if isinstance(e, DisciplineRefused) and e.decision_id == decision.decision_id]
    assert len(refused) == 1
    assert not [e for e in hr.events() if isinstance(e, DisciplineImposed)]
    status, reason = hr.effect(decision)
    assert (status, reason) == (EffectStatus.REFUSED, refused[0].reason)
    assert {env.confidentiality for env in hr.uow.envelopes()} == {Confidentiality.CLOSED}
    return refused[0].reason


async def _rejected(coro: Any, code: str) -> None:
    with pytest.raises(RuleViolation) as info:
        await coro
    assert info.value.code == code


# -- the authority ----------------------------------------------------------------------------------


async def test_the_college_disciplines_gemeente_staff_after_the_hearing_by_a_reasoned_secret_decision() -> None:
    hr = await Hr.demo()
    case_id = await hr.heard_case()
    decision = _decision(case_id)
    await hr.decide(decision)
    await hr.decide(decision)  # redelivered: handled once
    [imposed] = [e for e in hr.events() if isinstance(e, DisciplineImposed)]
    assert (imposed.case_id, imposed.decision_id, imposed.sanction, imposed.authority) == (
        case_id,
        decision.decision_id,
        "schorsing",
        "college",
    )
    assert (imposed.ends_employment, imposed.person_id, imposed.entity) == (False, "p-fin", LegalEntity.GEMEENTE)
    case = hr.uow.cases.rows[case_id]
    assert (case.state, case.authority, case.reasons, case.decided_on) == (
        CaseState.SANCTIONED,
        "college",
        REASONS,
        TODAY,
    )
    assert [s for s, _ in case.history] == ["opened", "hearing", "sanctioned"]
    assert hr.effect(decision) == (EffectStatus.APPLIED, None)
    assert [env.confidentiality for env in hr.uow.envelopes()] == [Confidentiality.CLOSED]
    [employment] = await hr.uow.employments.of_person("p-fin")
    assert employment.end_date is None, "a schorsing does not end the employment"


@pytest.mark.parametrize("body", [BodyKind.VAST_BUREAU, BodyKind.GEMEENTERAAD, BodyKind.BCSD])
async def test_no_other_body_disciplines_the_gemeentes_staff(body: BodyKind) -> None:
    hr = await Hr.demo()
    case_id = await hr.heard_case()
    code = await _refused(hr, _decision(case_id, body=body))
    assert code == "authority_not_competent"
    assert hr.uow.cases.rows[case_id].state is CaseState.HEARING, "the case waits for a competent decision"


async def test_the_council_disciplines_its_officers_and_the_college_does_not() -> None:
    hr = await Hr.demo()
    case_id = await hr.heard_case("p-fd")
    by_college = _decision(case_id, person="p-fd", position="financieel_directeur")
    assert await _refused(hr, by_college) == "authority_not_competent"
    by_ad = ImposeSanction(command_id="i" * 8, case_id=case_id, sanction="blaam", reasons=REASONS)
    await _rejected(hr.send(by_ad), "authority_not_competent")
    by_council = _decision(case_id, body=BodyKind.GEMEENTERAAD, person="p-fd", position="financieel_directeur")
    await hr.decide(by_council)
    assert hr.effect(by_council) == (EffectStatus.APPLIED, None)
    assert hr.uow.cases.rows[case_id].authority == "gemeenteraad"


async def test_the_vast_bureau_disciplines_the_ocmws_statutory_staff() -> None:
    hr = await Hr.demo()
    appointment = adopted_decision(
        body=BodyKind.VAST_BUREAU,
        kind=DecisionKind.APPOINTMENT,
        secret_ballot=True,
        adopted_at=NOW - dt.timedelta(days=400),
        appointment=AppointmentDetails(
            person_id="p-mw",
            person_name="Mira Werker",
            entity=LegalEntity.OCMW,
            position="maatschappelijk_werker",
            grade="B1",
            statutory=True,
            start_date=TODAY - dt.timedelta(days=365),
        ),
    )
    await hr.decide(appointment)
    case_id = await hr.heard_case("p-mw", LegalEntity.OCMW)
    kwargs: dict[str, Any] = {"person": "p-mw", "entity": LegalEntity.OCMW, "position": "maatschappelijk_werker"}
    assert await _refused(hr, _decision(case_id, **kwargs)) == "authority_not_competent"  # the college
    by_vb = _decision(case_id, body=BodyKind.VAST_BUREAU, **kwargs)
    await hr.decide(by_vb)
    assert hr.effect(by_vb) == (EffectStatus.APPLIED, None)


async def test_the_algemeen_directeur_imposes_only_what_the_staff_regulations_give_them() -> None:
    hr = await Hr.demo()
    case_id = await hr.heard_case()
    impose = ImposeSanction(command_id="i" * 8, case_id=case_id, sanction="schorsing", reasons=REASONS)
    await _rejected(hr.send(impose), "authority_not_competent")
    await _rejected(hr.send(impose.model_copy(update={"sanction": "blaam"}), by="p-fin"), "not_algemeen_directeur")
    await _rejected(hr.send(impose.model_copy(update={"sanction": "blaam", "reasons": "  "})), "not_reasoned")
    done = await hr.send(impose.model_copy(update={"sanction": "blaam"}))
    assert done.data == {"state": "sanctioned", "sanction": "blaam"}
    [imposed] = [e for e in hr.events() if isinstance(e, DisciplineImposed)]
    assert (imposed.authority, str(imposed.decision_id)) == ("algemeen_directeur", done.ids["decision_id"])
    await _rejected(hr.send(impose.model_copy(update={"sanction": "blaam"})), "case_closed")


async def test_a_deployment_takes_discipline_away_from_the_algemeen_directeur() -> None:
    hr = await Hr.demo(algemeen_directeur_sanctions=[])
    case_id = await hr.heard_case()
    impose = ImposeSanction(command_id="i" * 8, case_id=case_id, sanction="blaam", reasons=REASONS)
    await _rejected(hr.send(impose), "authority_not_competent")


# -- the hearing, the reasons and the ballot --------------------------------------------------------


async def test_no_decision_before_the_staff_member_was_heard_with_their_defence() -> None:
    hr = await Hr.demo()
    opened = await hr.send(
        OpenDisciplinaryCase(command_id="o" * 8, person_id="p-fin", entity=LegalEntity.GEMEENTE, facts="Feiten")
    )
    case_id = uuid.UUID(opened.ids["case_id"])
    assert await _refused(hr, _decision(case_id)) == "not_heard"
    hearing = RecordHearing(command_id="h" * 8, case_id=case_id, heard_on=TODAY, defence=" ")
    await _rejected(hr.send(hearing), "defence_required")
    await _rejected(hr.send(hearing.model_copy(update={"heard_on": TODAY + dt.timedelta(days=1)})), "hearing_in_future")
    await hr.send(hearing.model_copy(update={"defence": "Ik betwist de feiten."}))
    earlier = _decision(case_id, adopted_at=NOW - dt.timedelta(days=3))
    assert await _refused(hr, earlier) == "not_heard", "a hearing after the decision does not count"
    await hr.decide(_decision(case_id))
    assert hr.uow.cases.rows[case_id].defence == "Ik betwist de feiten."


async def test_a_body_decides_by_secret_ballot_and_states_its_reasons() -> None:
    hr = await Hr.demo()
    case_id = await hr.heard_case()
    assert await _refused(hr, _decision(case_id, secret=False)) == "not_secret_ballot"
    assert await _refused(hr, _decision(case_id, motivation="")) == "not_reasoned"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"person": "p-ruimte"}, "case_mismatch"),
        ({"sanction": "boete"}, "unknown_sanction"),
        ({"takes_effect_on": TODAY - dt.timedelta(days=1)}, "retroactive_sanction"),
    ],
)
async def test_a_decision_that_does_not_fit_its_case_is_refused(change: dict[str, Any], code: str) -> None:
    hr = await Hr.demo()
    case_id = await hr.heard_case()
    assert await _refused(hr, _decision(case_id, **change)) == code


async def test_a_decision_without_its_case_is_refused() -> None:
    hr = await Hr.demo()
    assert await _refused(hr, _decision(uuid.uuid4())) == "unknown_case"
    bare = adopted_decision(kind=DecisionKind.DISCIPLINE, secret_ballot=True, motivation=REASONS)
    assert await _refused(hr, bare) == "missing_details"


# -- sanctions that end the employment ------------------------------------------------------------

SEPTEMBER_2023 = dt.datetime(2023, 9, 20, 19, 0, tzinfo=dt.UTC)


async def test_an_ontslag_of_2023_ended_that_employment_only_and_the_person_stays_in_service() -> None:
    hr = await Hr.demo(SEPTEMBER_2023)
    second = adopted_decision(
        body=BodyKind.VAST_BUREAU,
        kind=DecisionKind.APPOINTMENT,
        secret_ballot=True,
        adopted_at=SEPTEMBER_2023 - dt.timedelta(days=200),
        appointment=AppointmentDetails(
            person_id="p-fin",
            person_name="Eline Claes",
            entity=LegalEntity.OCMW,
            position="financieel_expert",
            grade="A1a",
            statutory=False,
            start_date=dt.date(2023, 3, 1),
        ),
    )
    await hr.decide(second)
    assert [type(e) for e in hr.events()] == [StaffAppointed]
    case_id = await hr.heard_case(heard_on=dt.date(2023, 9, 12))
    last_day = dt.date(2023, 9, 30)
    ontslag = _decision(case_id, sanction="ontslag", adopted_at=SEPTEMBER_2023, takes_effect_on=last_day)
    await hr.decide(ontslag)
    assert hr.effect(ontslag) == (EffectStatus.APPLIED, None)
    [dismissed] = [e for e in hr.events() if isinstance(e, StaffDismissed)]
    assert (dismissed.entity, dismissed.end_date, dismissed.cause, dismissed.decision_id) == (
        LegalEntity.GEMEENTE,
        last_day,
        "ontslag",
        ontslag.decision_id,
    )
    assert (dismissed.remains_employed, dismissed.in_service_until) == (True, None)
    [imposed] = [e for e in hr.events() if isinstance(e, DisciplineImposed)]
    assert imposed.ends_employment
    by_entity = {e.entity: e for e in await hr.uow.employments.of_person("p-fin")}
    assert by_entity[LegalEntity.GEMEENTE].end_date == last_day
    assert by_entity[LegalEntity.OCMW].end_date is None, "the other employment runs on"
    assert hr.uow.employments.dismissals[by_entity[LegalEntity.GEMEENTE].employment_id] == ontslag.decision_id


async def test_an_afzetting_of_the_only_employment_ends_the_service_on_its_last_day() -> None:
    hr = await Hr.demo(SEPTEMBER_2023)
    case_id = await hr.heard_case("p-ruimte", heard_on=dt.date(2023, 9, 1))
    afzetting = _decision(
        case_id,
        person="p-ruimte",
        sanction="afzetting",
        adopted_at=SEPTEMBER_2023,
        takes_effect_on=dt.date(2023, 10, 15),
    )
    await hr.decide(afzetting)
    [dismissed] = [e for e in hr.events() if isinstance(e, StaffDismissed)]
    assert (dismissed.remains_employed, dismissed.in_service_until, dismissed.cause) == (
        False,
        dt.date(2023, 10, 15),
        "afzetting",
    )


async def test_ontslag_and_afzetting_are_no_sanctions_since_october_2023() -> None:
    hr = await Hr.demo()
    case_id = await hr.heard_case()
    for sanction in ("ontslag", "afzetting"):
        assert await _refused(hr, _decision(case_id, sanction=sanction)) == "sanction_repealed"
    [employment] = await hr.uow.employments.of_person("p-fin")
    assert employment.end_date is None


async def test_a_deployment_that_still_counts_a_sanction_ending_employment_ends_it() -> None:
    hr = await Hr.demo(repealed_sanctions={})
    case_id = await hr.heard_case()
    await hr.decide(_decision(case_id, sanction="ontslag", takes_effect_on=TODAY + dt.timedelta(days=30)))
    [dismissed] = [e for e in hr.events() if isinstance(e, StaffDismissed)]
    assert (dismissed.end_date, dismissed.in_service_until) == (TODAY + dt.timedelta(days=30),) * 2
