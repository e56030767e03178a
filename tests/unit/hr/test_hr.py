"""hr: appointments by the competent body, delegation decisions and commands, BOC, evaluations, discipline."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from services.hr.adapters.demo import demo_hr, load_demo_staff
from services.hr.bootstrap import HrSettings
from services.hr.domain.model import EffectStatus, Statute, staff_from_demo
from services.hr.domain.personnel import Employment, working_days_between
from services.hr.service_layer import handlers
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind, CommandReply
from shared.contracts.hr import (
    AdvanceDisciplinaryCase,
    AppointmentRefused,
    BudgetHolderScope,
    CheckDelegation,
    ConcludeConsultation,
    ConcludeEvaluation,
    ConsultationConcluded,
    ConsultationOpened,
    DecisionFlagged,
    DelegationGranted,
    DelegationPower,
    DelegationRevoked,
    GrantDelegation,
    ListStaff,
    OpenConsultation,
    OpenDisciplinaryCase,
    OpenEvaluation,
    RevokeDelegation,
    StaffAppointed,
    StaffDismissed,
)
from shared.contracts.meetings import AppointmentDetails, DecisionAdopted, DecisionKind, DelegationDetails
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected
from tests.factories import adopted_decision
from tests.unit.hr.fakes import FakeHrUnitOfWork

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
ENVELOPE = Envelope(
    id="e-1", type=DecisionAdopted.ce_type(), source="/raderwerk/meetings", time=NOW, correlation_id="c"
)
DEMO_FILE = HrSettings.model_fields["demo_file"].default


async def _demo_uow() -> FakeHrUnitOfWork:
    uow = FakeHrUnitOfWork()
    demo = demo_hr(DEMO_FILE)
    await uow.staff.upsert(demo.staff)
    for e in demo.employments:
        await uow.employments.add(e)
    for delegation_id, grant in demo.grants:
        await handlers.apply_grant(uow, grant, delegation_id)
    uow.pending.clear()
    return uow


def _appointment(
    *,
    body: BodyKind = BodyKind.COLLEGE,
    kind: DecisionKind = DecisionKind.APPOINTMENT,
    position: str = "deskundige",
    entity: LegalEntity = LegalEntity.GEMEENTE,
    person: str = "p-new",
    secret: bool = True,
    start: dt.date = dt.date(2026, 12, 1),
) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        kind=kind,
        title="Aanstelling",
        confidentiality=Confidentiality.CLOSED,
        secret_ballot=secret,
        adopted_at=NOW,
        appointment=AppointmentDetails(
            person_id=person,
            person_name="Nina Nieuw",
            entity=entity,
            position=position,
            unit_code="ICT",
            grade="B1",
            statutory=False,
            start_date=start,
        ),
    )


async def test_the_college_appoints_staff_of_the_gemeente() -> None:
    uow = await _demo_uow()
    decision = _appointment()
    await handlers.record_decision_effects(uow, decision, ENVELOPE)
    await handlers.record_decision_effects(uow, decision, ENVELOPE)
    appointed = [e for e in uow.events() if isinstance(e, StaffAppointed)]
    assert [(e.person_id, e.entity, e.position, e.statutory, e.decision_id) for e in appointed] == [
        ("p-new", LegalEntity.GEMEENTE, "deskundige", False, decision.decision_id)
    ]
    assert {env.confidentiality for env in uow.envelopes()} == {Confidentiality.CLOSED}
    assert uow.effects.by_decision[decision.decision_id].status is EffectStatus.APPLIED
    employment = (await uow.employments.of_person("p-new"))[0]
    assert (employment.entity, employment.unit_code, employment.grade) == (LegalEntity.GEMEENTE, "ICT", "B1")
    assert (await uow.staff.get("p-new")) is not None


@pytest.mark.parametrize(
    ("body", "position", "entity", "secret", "code"),
    [
        (BodyKind.COLLEGE, "algemeen_directeur", LegalEntity.GEMEENTE, True, "body_not_competent"),
        (BodyKind.VAST_BUREAU, "deskundige", LegalEntity.GEMEENTE, True, "body_not_competent"),
        (BodyKind.COLLEGE, "deskundige", LegalEntity.OCMW, True, "body_not_competent"),
        (BodyKind.GEMEENTERAAD, "deskundige", LegalEntity.GEMEENTE, True, "body_not_competent"),
        (BodyKind.COLLEGE, "deskundige", LegalEntity.GEMEENTE, False, "not_secret_ballot"),
    ],
)
async def test_an_appointment_by_a_body_that_is_not_competent_is_refused(
    body: BodyKind, position: str, entity: LegalEntity, secret: bool, code: str
) -> None:
    uow = await _demo_uow()
    decision = _appointment(body=body, position=position, entity=entity, secret=secret)
    await handlers.record_decision_effects(uow, decision, ENVELOPE)
    refused = [e for e in uow.events() if isinstance(e, AppointmentRefused)]
    assert [(e.reason, e.decision_id) for e in refused] == [(code, decision.decision_id)]
    assert not [e for e in uow.events() if isinstance(e, StaffAppointed)]
    effect = uow.effects.by_decision[decision.decision_id]
    assert (effect.status, effect.reason) == (EffectStatus.REFUSED, code)


async def test_the_councils_appoint_their_officers() -> None:
    uow = await _demo_uow()
    for body, entity in (
        (BodyKind.GEMEENTERAAD, LegalEntity.GEMEENTE),
        (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, LegalEntity.OCMW),
    ):
        await handlers.record_decision_effects(
            uow, _appointment(body=body, position="ombudsman", entity=entity, person=f"p-o-{entity.value}"), ENVELOPE
        )
    assert len([e for e in uow.events() if isinstance(e, StaffAppointed)]) == 2


async def test_a_dismissal_ends_the_employment() -> None:
    uow = await _demo_uow()
    decision = _appointment(kind=DecisionKind.DISMISSAL, person="p-ict", position="diensthoofd")
    await handlers.record_decision_effects(uow, decision, ENVELOPE)
    dismissed = [e for e in uow.events() if isinstance(e, StaffDismissed)]
    assert [(e.person_id, e.end_date) for e in dismissed] == [("p-ict", dt.date(2026, 12, 1))]
    assert (await uow.employments.of_person("p-ict"))[0].end_date == dt.date(2026, 12, 1)
    nobody = _appointment(kind=DecisionKind.DISMISSAL, person="p-ghost")
    await handlers.record_decision_effects(uow, nobody, ENVELOPE)
    assert uow.effects.by_decision[nobody.decision_id].reason == "no_employment"


async def test_other_decisions_ask_nothing_of_hr() -> None:
    uow = await _demo_uow()
    await handlers.record_decision_effects(uow, adopted_decision(kind=DecisionKind.REGULATION), ENVELOPE)
    assert uow.effects.by_decision == {}
    assert uow.events() == []


def _delegation_decision(body: BodyKind, to: str, power: str = "budget_holder", **scope: str) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        kind=DecisionKind.DELEGATION,
        adopted_at=NOW,
        delegation=DelegationDetails(delegate_person_id=to, power=power, scope=scope, valid_from=dt.date(2026, 12, 1)),
    )


async def test_a_delegation_decision_of_the_college_gives_the_algemeen_directeur_a_budget() -> None:
    uow = await _demo_uow()
    decision = _delegation_decision(BodyKind.COLLEGE, "p-ad", policy_field="0200", max_amount="75000.00")
    await handlers.record_decision_effects(uow, decision, ENVELOPE)
    granted = [e for e in uow.events() if isinstance(e, DelegationGranted)]
    assert len(granted) == 1
    g = granted[0]
    assert (g.from_body, g.to_person_id, g.decision_id) == (BodyKind.COLLEGE, "p-ad", decision.decision_id)
    assert g.budget_scope == BudgetHolderScope(
        entity=LegalEntity.GEMEENTE, policy_field="0200", max_amount=Decimal("75000.00")
    )


async def test_a_council_delegating_to_the_algemeen_directeur_is_flagged_not_applied() -> None:
    uow = await _demo_uow()
    decision = _delegation_decision(BodyKind.GEMEENTERAAD, "p-ad")
    await handlers.record_decision_effects(uow, decision, ENVELOPE)
    flagged = [e for e in uow.events() if isinstance(e, DecisionFlagged)]
    assert [e.reason for e in flagged] == ["council_to_person_forbidden"]
    assert not [e for e in uow.events() if isinstance(e, DelegationGranted)]
    to_college = _delegation_decision(BodyKind.GEMEENTERAAD, "college", max_amount="1000000")
    await handlers.record_decision_effects(uow, to_college, ENVELOPE)
    assert [e.to_body for e in uow.events() if isinstance(e, DelegationGranted)] == [BodyKind.COLLEGE]
    unknown = _delegation_decision(BodyKind.COLLEGE, "p-ad", power="everything")
    await handlers.record_decision_effects(uow, unknown, ENVELOPE)
    assert uow.effects.by_decision[unknown.decision_id].reason == "invalid_delegation"


async def _reject(coro: object, code: str) -> None:
    with pytest.raises(CommandRejected) as info:
        await coro  # type: ignore[misc]
    assert info.value.code == code


async def test_grant_check_and_revoke_by_command_cascade_to_subdelegations() -> None:
    uow = await _demo_uow()
    grant = GrantDelegation(
        command_id="g" * 8,
        from_body=BodyKind.VAST_BUREAU,
        to_person_id="p-ad",
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.OCMW,
        budget_scope=BudgetHolderScope(entity=LegalEntity.OCMW, max_amount=Decimal("20000.00")),
        valid_from=dt.date(2026, 1, 1),
    )
    reply = await handlers.grant_delegation(uow, grant, ENVELOPE)
    parent_id = uuid.UUID(reply.ids["delegation_id"])
    sub = GrantDelegation(
        command_id="h" * 8,
        from_person_id="p-ad",
        to_person_id="p-welzijn",
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.OCMW,
        budget_scope=BudgetHolderScope(entity=LegalEntity.OCMW, max_amount=Decimal("5000.00")),
        valid_from=dt.date(2026, 2, 1),
        parent_delegation_id=parent_id,
    )
    child_id = (await handlers.grant_delegation(uow, sub, ENVELOPE)).ids["delegation_id"]
    check = CheckDelegation(
        command_id="c" * 8,
        person_id="p-welzijn",
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.OCMW,
        amount=Decimal("4000"),
        on=dt.date(2026, 3, 1),
    )
    answer = await handlers.check_delegation_query(uow, check, ENVELOPE)
    assert answer.data == {"valid": True, "delegation_id": child_id, "reason": "ok"}
    over = check.model_copy(update={"amount": Decimal("5000.01")})
    assert (await handlers.check_delegation_query(uow, over, ENVELOPE)).data["reason"] == "amount_exceeds_scope"
    await _reject(
        handlers.revoke_delegation(
            uow, RevokeDelegation(command_id="r" * 8, delegation_id=parent_id, reason=""), ENVELOPE
        ),
        "reason_required",
    )
    revoke = RevokeDelegation(
        command_id="r" * 8,
        delegation_id=parent_id,
        reason="herziening",
        revoked_at=dt.datetime(2026, 2, 15, tzinfo=dt.UTC),
    )
    await handlers.revoke_delegation(uow, revoke, ENVELOPE)
    revoked = [e for e in uow.events() if isinstance(e, DelegationRevoked)]
    assert {str(e.delegation_id) for e in revoked} == {str(parent_id), child_id}
    assert (await handlers.check_delegation_query(uow, check, ENVELOPE)).data["reason"] == "revoked"
    await _reject(handlers.revoke_delegation(uow, revoke, ENVELOPE), "already_revoked")
    await _reject(
        handlers.grant_delegation(uow, grant.model_copy(update={"from_body": BodyKind.GEMEENTERAAD}), ENVELOPE),
        "wrong_entity",
    )


async def test_list_staff_shows_employments_and_delegations() -> None:
    uow = await _demo_uow()
    reply = await handlers.list_staff(uow, ListStaff(command_id="l" * 8, on=dt.date(2026, 1, 1)), ENVELOPE)
    rows = _rows(reply, "staff")
    by_id = {r["person_id"]: r for r in rows}
    assert len(rows) == 7
    ad_powers = by_id["p-ad"]["delegations"]
    assert isinstance(ad_powers, list)
    assert {d["entity"] for d in ad_powers} == {"gemeente", "ocmw"}
    granted = by_id["p-ad"]["granted"]
    assert isinstance(granted, list)
    assert [d["to"] for d in granted] == ["p-fin"]
    employments = by_id["p-secr"]["employments"]
    assert isinstance(employments, list)
    assert employments[0]["works_for"] == ["ocmw", "gemeente"]


def _rows(reply: CommandReply, key: str) -> list[dict[str, object]]:
    rows = reply.data[key]
    assert isinstance(rows, list)
    return rows


# -- union consultation ---------------------------------------------------------------------------


def test_working_days_skip_weekends() -> None:
    monday = dt.date(2026, 3, 2)
    assert working_days_between(monday, dt.date(2026, 3, 16)) == 10
    assert working_days_between(monday, dt.date(2026, 3, 13)) == 9
    assert working_days_between(monday, dt.date(2026, 3, 16), frozenset({dt.date(2026, 3, 9)})) == 9


async def test_the_boc_invitation_leaves_ten_working_days_and_staff_rules_need_its_protocol() -> None:
    uow = await _demo_uow()
    late = OpenConsultation(
        command_id="o" * 8,
        topic="Wijziging rechtspositieregeling",
        entity=LegalEntity.GEMEENTE,
        invitation_sent_on=dt.date(2026, 3, 2),
        meeting_on=dt.date(2026, 3, 13),
    )
    await _reject(handlers.open_consultation_cmd(uow, late, ENVELOPE), "invitation_too_late")
    reply = await handlers.open_consultation_cmd(
        uow, late.model_copy(update={"meeting_on": dt.date(2026, 3, 16)}), ENVELOPE
    )
    consultation_id = uuid.UUID(reply.ids["consultation_id"])
    decision = adopted_decision(
        kind=DecisionKind.STAFF_RULES, body=BodyKind.GEMEENTERAAD, consultation_id=consultation_id
    )
    await handlers.record_decision_effects(uow, decision, ENVELOPE)
    assert [e.reason for e in uow.events() if isinstance(e, DecisionFlagged)] == ["consultation_not_concluded"]
    conclude = ConcludeConsultation(
        command_id="p" * 8,
        consultation_id=consultation_id,
        protocol_reference="BOC-2026-03",
        concluded_on=dt.date(2026, 3, 10),
    )
    await _reject(handlers.conclude_consultation_cmd(uow, conclude, ENVELOPE), "concluded_before_meeting")
    await handlers.conclude_consultation_cmd(
        uow, conclude.model_copy(update={"concluded_on": dt.date(2026, 3, 16)}), ENVELOPE
    )
    await _reject(
        handlers.conclude_consultation_cmd(
            uow, conclude.model_copy(update={"concluded_on": dt.date(2026, 3, 16)}), ENVELOPE
        ),
        "already_concluded",
    )
    assert [type(e) for e in uow.events() if isinstance(e, ConsultationOpened | ConsultationConcluded)] == [
        ConsultationOpened,
        ConsultationConcluded,
    ]
    later = adopted_decision(kind=DecisionKind.STAFF_RULES, body=BodyKind.GEMEENTERAAD, consultation_id=consultation_id)
    await handlers.record_decision_effects(uow, later, ENVELOPE)
    assert uow.effects.by_decision[later.decision_id].status is EffectStatus.APPLIED
    missing = adopted_decision(kind=DecisionKind.STAFF_RULES, body=BodyKind.GEMEENTERAAD)
    await handlers.record_decision_effects(uow, missing, ENVELOPE)
    assert uow.effects.by_decision[missing.decision_id].reason == "consultation_missing"


# -- evaluations and discipline ----------------------------------------------------------------


async def test_discipline_only_for_statutory_staff_and_along_the_procedure() -> None:
    uow = await _demo_uow()
    contractual = OpenDisciplinaryCase(
        command_id="d" * 8,
        person_id="p-ict",
        entity=LegalEntity.GEMEENTE,
        facts="Herhaalde afwezigheid",
        opened_by="p-ad",
    )
    await _reject(handlers.open_disciplinary_case(uow, contractual, ENVELOPE), "discipline_statutory_only")
    await _reject(
        handlers.open_disciplinary_case(uow, contractual.model_copy(update={"entity": LegalEntity.OCMW}), ENVELOPE),
        "not_in_service",
    )
    reply = await handlers.open_disciplinary_case(uow, contractual.model_copy(update={"person_id": "p-fin"}), ENVELOPE)
    case_id = uuid.UUID(reply.ids["case_id"])

    def step(to: str, sanction: str | None = None) -> AdvanceDisciplinaryCase:
        return AdvanceDisciplinaryCase(command_id="s" * 8, case_id=case_id, to_state=to, sanction=sanction)

    await _reject(handlers.advance_disciplinary_case(uow, step("sanctioned", "blaam"), ENVELOPE), "invalid_transition")
    await handlers.advance_disciplinary_case(uow, step("investigation"), ENVELOPE)
    await handlers.advance_disciplinary_case(uow, step("hearing"), ENVELOPE)
    await _reject(handlers.advance_disciplinary_case(uow, step("sanctioned"), ENVELOPE), "sanction_required")
    await _reject(handlers.advance_disciplinary_case(uow, step("sanctioned", "boete"), ENVELOPE), "unknown_sanction")
    done = await handlers.advance_disciplinary_case(uow, step("sanctioned", "blaam"), ENVELOPE)
    assert done.data == {"state": "sanctioned"}
    assert [s for s, _ in uow.cases.rows[case_id].history] == ["opened", "investigation", "hearing", "sanctioned"]
    assert uow.events() == []  # personal records: no events


async def test_evaluations_are_records_with_a_result() -> None:
    uow = await _demo_uow()
    cmd = OpenEvaluation(
        command_id="v" * 8, person_id="p-secr", entity=LegalEntity.OCMW, evaluator_person_id="p-secr", period="2026"
    )
    await _reject(handlers.open_evaluation(uow, cmd, ENVELOPE), "self_evaluation")
    reply = await handlers.open_evaluation(uow, cmd.model_copy(update={"evaluator_person_id": "p-ad"}), ENVELOPE)
    evaluation_id = uuid.UUID(reply.ids["evaluation_id"])
    conclude = ConcludeEvaluation(command_id="w" * 8, evaluation_id=evaluation_id, result="great")
    await _reject(handlers.conclude_evaluation_cmd(uow, conclude, ENVELOPE), "unknown_result")
    await handlers.conclude_evaluation_cmd(uow, conclude.model_copy(update={"result": "positive"}), ENVELOPE)
    await _reject(
        handlers.conclude_evaluation_cmd(uow, conclude.model_copy(update={"result": "positive"}), ENVELOPE),
        "evaluation_closed",
    )


# -- the demo municipality ---------------------------------------------------------------------


def test_the_demo_staff_loads_from_the_municipality_file() -> None:
    assert isinstance(DEMO_FILE, Path)
    staff = load_demo_staff(DEMO_FILE)
    assert len(staff) == 7
    by_id = {s.person_id: s for s in staff}
    welzijn = by_id["p-welzijn"]
    assert (welzijn.name, welzijn.grade, welzijn.entity, welzijn.statute, welzijn.role) == (
        "Dries Maes",
        "A1a",
        LegalEntity.OCMW,
        Statute.CONTRACTUAL,
        "diensthoofd",
    )
    demo = demo_hr(DEMO_FILE)
    employment: Employment = next(e for e in demo.employments if e.person_id == "p-welzijn")
    assert (employment.unit_code, employment.works_for) == ("WELZIJN", (LegalEntity.OCMW, LegalEntity.GEMEENTE))
    assert len(demo.grants) == 3


async def test_every_demo_delegation_passes_the_rules() -> None:
    uow = await _demo_uow()
    assert len(uow.delegations.rows) == 3


def test_a_bad_person_is_named() -> None:
    data = {"persons": [{"id": "p-x", "name": "X", "role": "r", "grade": "B1", "entity": "gemeente", "statute": "x"}]}
    with pytest.raises(ValueError, match=r"persons\[0\] \(p-x\)"):
        staff_from_demo(data)
    with pytest.raises(ValueError, match="`grade` is missing"):
        staff_from_demo(
            {"persons": [{"id": "p-y", "name": "Y", "role": "r", "entity": "ocmw", "statute": "statutory"}]}
        )
    with pytest.raises(ValueError, match="no `persons`"):
        staff_from_demo({})


def test_duplicate_person_ids_are_refused() -> None:
    person = {"id": "p-1", "name": "A", "role": "r", "grade": "B1", "entity": "gemeente", "statute": "statutory"}
    with pytest.raises(ValueError, match="unique"):
        staff_from_demo({"persons": [person, person]})
