"""hr: appointments by the competent body, delegation decisions and commands, BOC, evaluations, discipline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from services.hr.adapters import translation
from services.hr.adapters.demo import demo_hr
from services.hr.bootstrap import HrSettings, handlers_of, load_demo
from services.hr.domain.commands import ImposeSanction, RecordHearing
from services.hr.domain.model import EffectStatus, Statute, staff_from_demo
from services.hr.domain.personnel import Employment, working_days_between
from services.hr.entrypoints.subscriptions import registry
from shared.clock import FixedClock
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import BodyKind
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
    ListStaffReply,
    OpenConsultation,
    OpenDisciplinaryCase,
    OpenEvaluation,
    RevokeDelegation,
    StaffAppointed,
    StaffDismissed,
)
from shared.contracts.meetings import AppointmentDetails, DecisionAdopted, DecisionKind, DelegationDetails
from shared.kernel import Accepted, RuleViolation
from shared.messaging.envelope import Envelope
from shared.settings import load_settings
from tests.actors import proven, proven_route
from tests.factories import adopted_decision
from tests.unit.hr.fakes import FakeHrUnitOfWork

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
ENVELOPE = Envelope(
    id="e-1", type=DecisionAdopted.ce_type(), source="/raderwerk/meetings", time=NOW, correlation_id="c"
)
DEMO_FILE = HrSettings.model_fields["demo_file"].default


def _settings(**policy: object) -> HrSettings:
    """Settings as a deployment gives them; only the policy fields matter here."""
    connection = {"database_url": "postgresql://unused", "nats_url": "nats://unused", "nats_password": "dev-unused"}
    directors = {"algemeen_directeur_person_id": "p-ad"}
    return HrSettings.model_validate({"service_name": "hr", **connection, **directors, **policy})


# Built as bootstrap builds them, reached through the registry the broker binds.
HR = handlers_of(_settings(), FixedClock(NOW))
REGISTRY = registry(HR)
record_decision_effects = REGISTRY.consumers["hr_decisions"][DecisionAdopted]
grant_delegation = proven_route(REGISTRY.commands[GrantDelegation])
revoke_delegation = proven_route(REGISTRY.commands[RevokeDelegation])
open_consultation = proven_route(REGISTRY.commands[OpenConsultation])
conclude_consultation = proven_route(REGISTRY.commands[ConcludeConsultation])
open_evaluation = proven_route(REGISTRY.commands[OpenEvaluation])
conclude_evaluation = proven_route(REGISTRY.commands[ConcludeEvaluation])
open_disciplinary_case = proven_route(REGISTRY.commands[OpenDisciplinaryCase])
advance_disciplinary_case = proven_route(REGISTRY.commands[AdvanceDisciplinaryCase])


async def _demo_uow() -> FakeHrUnitOfWork:
    """The demo staff and delegations, granted as `bootstrap.seed` grants them."""
    uow = FakeHrUnitOfWork()
    await load_demo(uow, demo_hr(DEMO_FILE), HR.delegations)
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
    await record_decision_effects(uow, decision, ENVELOPE)
    await record_decision_effects(uow, decision, ENVELOPE)
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
    await record_decision_effects(uow, decision, ENVELOPE)
    refused = [e for e in uow.events() if isinstance(e, AppointmentRefused)]
    assert [(e.reason, e.decision_id) for e in refused] == [(code, decision.decision_id)]
    assert not [e for e in uow.events() if isinstance(e, StaffAppointed)]
    effect = uow.effects.by_decision[decision.decision_id]
    assert (effect.status, effect.reason) == (EffectStatus.REFUSED, code)


async def test_an_appointment_without_details_is_refused_and_announced_as_closed() -> None:
    uow = await _demo_uow()
    decision = adopted_decision(
        kind=DecisionKind.APPOINTMENT, confidentiality=Confidentiality.PUBLIC, secret_ballot=True
    )
    await record_decision_effects(uow, decision, ENVELOPE)
    [refused] = uow.events()
    assert isinstance(refused, AppointmentRefused)
    assert (refused.reason, refused.person_id, refused.position, refused.kind) == (
        "missing_details",
        None,
        None,
        "appointment",
    )
    [envelope] = uow.envelopes()
    assert (envelope.confidentiality, envelope.subject) == (Confidentiality.CLOSED, str(decision.decision_id))
    assert uow.effects.by_decision[decision.decision_id].status is EffectStatus.REFUSED


async def test_a_social_decision_about_a_person_stays_social() -> None:
    uow = await _demo_uow()
    decision = _appointment(body=BodyKind.VAST_BUREAU, entity=LegalEntity.OCMW).model_copy(
        update={"confidentiality": Confidentiality.SOCIAL}
    )
    await record_decision_effects(uow, decision, ENVELOPE)
    assert [(type(e), env.confidentiality) for e, env in uow.emitted] == [(StaffAppointed, Confidentiality.SOCIAL)]


async def test_a_deployment_may_accept_appointments_by_open_vote() -> None:
    open_vote = handlers_of(_settings(require_secret_ballot=False), FixedClock(NOW))
    record = registry(open_vote).consumers["hr_decisions"][DecisionAdopted]
    uow = await _demo_uow()
    decision = _appointment(secret=False)
    await record(uow, decision, ENVELOPE)
    assert [type(e) for e in uow.events()] == [StaffAppointed]
    assert uow.effects.by_decision[decision.decision_id].recorded_at == NOW


async def test_the_councils_appoint_their_officers() -> None:
    uow = await _demo_uow()
    for body, entity in (
        (BodyKind.GEMEENTERAAD, LegalEntity.GEMEENTE),
        (BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, LegalEntity.OCMW),
    ):
        await record_decision_effects(
            uow, _appointment(body=body, position="ombudsman", entity=entity, person=f"p-o-{entity.value}"), ENVELOPE
        )
    assert len([e for e in uow.events() if isinstance(e, StaffAppointed)]) == 2
    assert [(env.entity, env.subject) for env in uow.envelopes()] == [
        (Entity.GEMEENTE, "p-o-gemeente"),
        (Entity.OCMW, "p-o-ocmw"),
    ]


async def test_a_dismissal_ends_the_employment() -> None:
    uow = await _demo_uow()
    decision = _appointment(kind=DecisionKind.DISMISSAL, person="p-ict", position="diensthoofd")
    await record_decision_effects(uow, decision, ENVELOPE)
    dismissed = [e for e in uow.events() if isinstance(e, StaffDismissed)]
    assert [(e.person_id, e.end_date) for e in dismissed] == [("p-ict", dt.date(2026, 12, 1))]
    assert (await uow.employments.of_person("p-ict"))[0].end_date == dt.date(2026, 12, 1)
    nobody = _appointment(kind=DecisionKind.DISMISSAL, person="p-ghost")
    await record_decision_effects(uow, nobody, ENVELOPE)
    assert uow.effects.by_decision[nobody.decision_id].reason == "no_employment"


async def test_other_decisions_ask_nothing_of_hr() -> None:
    uow = await _demo_uow()
    await record_decision_effects(uow, adopted_decision(kind=DecisionKind.REGULATION), ENVELOPE)
    assert uow.effects.by_decision == {}
    assert uow.events() == []


def _delegation_decision(
    body: BodyKind, to: str, power: str = "budget_holder", valid_from: dt.date = dt.date(2026, 12, 1), **scope: str
) -> DecisionAdopted:
    return adopted_decision(
        body=body,
        kind=DecisionKind.DELEGATION,
        adopted_at=NOW,
        delegation=DelegationDetails(delegate_person_id=to, power=power, scope=scope, valid_from=valid_from),
    )


async def test_a_delegation_decision_of_the_college_gives_the_algemeen_directeur_a_budget() -> None:
    uow = await _demo_uow()
    decision = _delegation_decision(BodyKind.COLLEGE, "p-ad", policy_field="0200", max_amount="75000.00")
    await record_decision_effects(uow, decision, ENVELOPE)
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
    await record_decision_effects(uow, decision, ENVELOPE)
    flagged = [e for e in uow.events() if isinstance(e, DecisionFlagged)]
    assert [e.reason for e in flagged] == ["council_to_person_forbidden"]
    assert not [e for e in uow.events() if isinstance(e, DelegationGranted)]
    to_college = _delegation_decision(BodyKind.GEMEENTERAAD, "college", max_amount="1000000")
    await record_decision_effects(uow, to_college, ENVELOPE)
    assert [e.to_body for e in uow.events() if isinstance(e, DelegationGranted)] == [BodyKind.COLLEGE]
    unknown = _delegation_decision(BodyKind.COLLEGE, "p-ad", power="everything")
    await record_decision_effects(uow, unknown, ENVELOPE)
    assert uow.effects.by_decision[unknown.decision_id].reason == "invalid_delegation"


async def test_a_delegation_decision_without_details_is_flagged_with_the_decisions_confidentiality() -> None:
    uow = await _demo_uow()
    decision = adopted_decision(kind=DecisionKind.DELEGATION, confidentiality=Confidentiality.CLOSED)
    await record_decision_effects(uow, decision, ENVELOPE)
    [flagged] = uow.events()
    assert isinstance(flagged, DecisionFlagged)
    assert (flagged.reason, flagged.kind, flagged.body, flagged.entity) == (
        "missing_details",
        "delegation",
        BodyKind.COLLEGE,
        LegalEntity.GEMEENTE,
    )
    [envelope] = uow.envelopes()
    assert (envelope.confidentiality, envelope.entity) == (Confidentiality.CLOSED, Entity.GEMEENTE)
    effect = uow.effects.by_decision[decision.decision_id]
    assert (effect.status, effect.reason) == (EffectStatus.FLAGGED, "missing_details")


async def test_a_bad_amount_in_a_delegation_decision_is_an_invalid_delegation() -> None:
    uow = await _demo_uow()
    decision = _delegation_decision(BodyKind.COLLEGE, "p-ad", max_amount="veel")
    await record_decision_effects(uow, decision, ENVELOPE)
    assert [(type(e), getattr(e, "reason", None)) for e in uow.events()] == [(DecisionFlagged, "invalid_delegation")]


async def _reject(coro: object, code: str) -> None:
    with pytest.raises(RuleViolation) as info:
        await coro  # type: ignore[misc]
    assert info.value.code == code


async def test_a_body_delegates_by_decision_never_by_a_bare_command() -> None:
    uow = await _demo_uow()
    for body, entity in ((BodyKind.VAST_BUREAU, LegalEntity.OCMW), (BodyKind.GEMEENTERAAD, LegalEntity.GEMEENTE)):
        bare = GrantDelegation(
            command_id="g" * 8,
            from_body=body,
            to_person_id="p-ad" if body is BodyKind.VAST_BUREAU else "college",
            power=DelegationPower.BUDGET_HOLDER,
            entity=entity,
            budget_scope=BudgetHolderScope(entity=entity, max_amount=Decimal("20000.00")),
            valid_from=dt.date(2026, 1, 1),
            decision_id=uuid.uuid4(),
        )
        await _reject(grant_delegation(uow, bare), "delegation_by_decision")
    assert uow.events() == []
    decision = _delegation_decision(BodyKind.VAST_BUREAU, "p-ad", valid_from=dt.date(2026, 1, 1), max_amount="20000")
    await record_decision_effects(uow, decision, ENVELOPE)
    [granted] = [e for e in uow.events() if isinstance(e, DelegationGranted)]
    assert (granted.from_body, granted.decision_id, granted.entity) == (
        BodyKind.VAST_BUREAU,
        decision.decision_id,
        LegalEntity.OCMW,
    )


async def test_grant_check_and_revoke_by_command_cascade_to_subdelegations() -> None:
    uow = await _demo_uow()
    decision = _delegation_decision(BodyKind.VAST_BUREAU, "p-ad", valid_from=dt.date(2026, 1, 1), max_amount="20000")
    await record_decision_effects(uow, decision, ENVELOPE)
    [parent] = [d for d in uow.delegations.rows.values() if d.decision_id == decision.decision_id]
    parent_id = parent.delegation_id
    assert uow.delegations.rows[parent_id].granted_at == NOW
    [announced] = uow.envelopes()
    assert (announced.subject, announced.entity) == (str(parent_id), Entity.OCMW)
    sub = GrantDelegation(
        command_id="h" * 8,
        to_person_id="p-welzijn",
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.OCMW,
        budget_scope=BudgetHolderScope(entity=LegalEntity.OCMW, max_amount=Decimal("5000.00")),
        valid_from=dt.date(2026, 2, 1),
        parent_delegation_id=parent_id,
    )
    child_id = (await grant_delegation(uow, sub)).ids["delegation_id"]
    check = CheckDelegation(
        command_id="c" * 8,
        person_id="p-welzijn",
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.OCMW,
        amount=Decimal("4000"),
        on=dt.date(2026, 3, 1),
    )
    answer = await HR.views.check_delegation(uow, check)
    assert (answer.valid, str(answer.delegation_id), answer.reason) == (True, child_id, "ok")
    assert answer.model_dump(mode="json")["delegation_id"] == child_id
    over = check.model_copy(update={"amount": Decimal("5000.01")})
    refused = await HR.views.check_delegation(uow, over)
    assert (refused.valid, refused.delegation_id, refused.reason) == (False, None, "amount_exceeds_scope")
    await _reject(
        revoke_delegation(uow, RevokeDelegation(command_id="r" * 8, delegation_id=parent_id, reason="")),
        "reason_required",
    )
    revoke = RevokeDelegation(
        command_id="r" * 8,
        delegation_id=parent_id,
        reason="herziening",
        revoked_at=dt.datetime(2026, 2, 15, tzinfo=dt.UTC),
    )
    done = await revoke_delegation(uow, revoke)
    assert done == Accepted(ids={"delegation_id": str(parent_id)}, data={"revoked": [str(parent_id), child_id]})
    revoked = [e for e in uow.events() if isinstance(e, DelegationRevoked)]
    assert {str(e.delegation_id) for e in revoked} == {str(parent_id), child_id}
    assert {e.revoked_at for e in revoked} == {revoke.revoked_at}
    assert (await HR.views.check_delegation(uow, check)).reason == "revoked"
    await _reject(revoke_delegation(uow, revoke), "already_revoked")


async def test_a_revocation_is_dated_by_the_clock_and_unknown_ids_are_refused() -> None:
    uow = await _demo_uow()
    some = next(iter(uow.delegations.rows))
    await revoke_delegation(uow, RevokeDelegation(command_id="r" * 8, delegation_id=some, reason="herziening"))
    assert {e.revoked_at for e in uow.events() if isinstance(e, DelegationRevoked)} == {NOW}
    unknown = uuid.uuid4()
    await _reject(
        revoke_delegation(uow, RevokeDelegation(command_id="r" * 8, delegation_id=unknown, reason="x")),
        "unknown_delegation",
    )
    await _reject(
        conclude_consultation(
            uow,
            ConcludeConsultation(
                command_id="p" * 8,
                consultation_id=unknown,
                protocol_reference="BOC-1",
                concluded_on=dt.date(2026, 1, 1),
            ),
        ),
        "unknown_consultation",
    )
    await _reject(
        conclude_evaluation(uow, ConcludeEvaluation(command_id="w" * 8, evaluation_id=unknown, result="positive")),
        "unknown_evaluation",
    )
    await _reject(
        advance_disciplinary_case(
            uow, AdvanceDisciplinaryCase(command_id="s" * 8, case_id=unknown, to_state="investigation")
        ),
        "unknown_case",
    )


async def test_list_staff_shows_employments_and_delegations() -> None:
    uow = await _demo_uow()
    reply = await HR.views.list_staff(uow, ListStaff(command_id="l" * 8, on=dt.date(2026, 1, 1)))
    assert isinstance(reply, ListStaffReply)
    rows = reply.staff
    by_id = {r.person_id: r for r in rows}
    assert len(rows) == 7
    ad_powers = by_id["p-ad"].delegations
    assert {d.entity for d in ad_powers} == {LegalEntity.GEMEENTE, LegalEntity.OCMW}
    assert {d.state for d in ad_powers} == {"valid"}
    granted = by_id["p-ad"].granted
    assert [d.to_person_id for d in granted] == ["p-fin"]
    assert granted[0].budget_scope is not None
    assert granted[0].budget_scope.max_amount == Decimal("10000.00")
    employments = by_id["p-secr"].employments
    assert employments[0].works_for == (LegalEntity.OCMW, LegalEntity.GEMEENTE)
    assert reply.on == dt.date(2026, 1, 1)
    assert reply.model_dump(mode="json")["staff"][0]["employments"][0]["start_date"] == "2019-01-01"


async def test_list_staff_shows_the_delegation_states_of_today_by_default() -> None:
    uow = await _demo_uow()
    reply = await HR.views.list_staff(uow, ListStaff(command_id="l" * 8, person_id="p-fin"))
    assert reply.on == NOW.date()
    [fin] = reply.staff
    assert fin.person_id == "p-fin"
    assert [d.from_person_id for d in fin.delegations] == ["p-ad"]
    assert reply.body_delegations == ()


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
    await _reject(open_consultation(uow, late), "invitation_too_late")
    reply = await open_consultation(uow, late.model_copy(update={"meeting_on": dt.date(2026, 3, 16)}))
    consultation_id = uuid.UUID(reply.ids["consultation_id"])
    decision = adopted_decision(
        kind=DecisionKind.STAFF_RULES, body=BodyKind.GEMEENTERAAD, consultation_id=consultation_id
    )
    await record_decision_effects(uow, decision, ENVELOPE)
    assert [e.reason for e in uow.events() if isinstance(e, DecisionFlagged)] == ["consultation_not_concluded"]
    conclude = ConcludeConsultation(
        command_id="p" * 8,
        consultation_id=consultation_id,
        protocol_reference="BOC-2026-03",
        concluded_on=dt.date(2026, 3, 10),
    )
    await _reject(conclude_consultation(uow, conclude), "concluded_before_meeting")
    await conclude_consultation(uow, conclude.model_copy(update={"concluded_on": dt.date(2026, 3, 16)}))
    await _reject(
        conclude_consultation(uow, conclude.model_copy(update={"concluded_on": dt.date(2026, 3, 16)})),
        "already_concluded",
    )
    assert [type(e) for e in uow.events() if isinstance(e, ConsultationOpened | ConsultationConcluded)] == [
        ConsultationOpened,
        ConsultationConcluded,
    ]
    later = adopted_decision(kind=DecisionKind.STAFF_RULES, body=BodyKind.GEMEENTERAAD, consultation_id=consultation_id)
    await record_decision_effects(uow, later, ENVELOPE)
    assert uow.effects.by_decision[later.decision_id].status is EffectStatus.APPLIED
    missing = adopted_decision(kind=DecisionKind.STAFF_RULES, body=BodyKind.GEMEENTERAAD)
    await record_decision_effects(uow, missing, ENVELOPE)
    assert uow.effects.by_decision[missing.decision_id].reason == "consultation_missing"


def test_the_policies_follow_the_deployments_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "DATABASE_URL": "postgresql://unused",
        "NATS_URL": "nats://unused",
        "NATS_PASSWORD": "dev-unused",
        "ALGEMEEN_DIRECTEUR_PERSON_ID": "p-ad",
        "MIN_WORKING_DAYS": "5",
        "HOLIDAYS": '["2026-03-09"]',
        "SANCTIONS": '["blaam"]',
    }.items():
        monkeypatch.setenv(f"RW_HR_{name}", value)
    settings = load_settings(HrSettings, "hr")
    assert (settings.min_working_days, settings.holidays, settings.sanctions) == (
        5,
        frozenset({dt.date(2026, 3, 9)}),
        ("blaam",),
    )
    assert settings.require_secret_ballot is None  # unset: the law's default


async def test_a_deployment_sets_the_boc_term_its_holidays_and_the_sanctions() -> None:
    local = handlers_of(_settings(min_working_days=5, holidays=["2026-03-09"], sanctions=["blaam"]), FixedClock(NOW))
    uow = await _demo_uow()
    boc = OpenConsultation(
        command_id="o" * 8,
        topic="Wijziging rechtspositieregeling",
        entity=LegalEntity.GEMEENTE,
        invitation_sent_on=dt.date(2026, 3, 2),
        meeting_on=dt.date(2026, 3, 9),
    )
    open_boc = proven_route(registry(local).commands[OpenConsultation])
    await _reject(open_boc(uow, boc), "invitation_too_late")  # 4 working days: the 9th is a holiday
    await open_boc(uow, boc.model_copy(update={"meeting_on": dt.date(2026, 3, 10)}))
    with proven("p-ad"):
        opened = await local.discipline.open_case(uow, translation.open_disciplinary_case(_case("p-fin")))
    case_id = uuid.UUID(opened.ids["case_id"])
    await local.discipline.record_hearing(
        uow, RecordHearing(case_id=case_id, heard_on=NOW.date(), defence="Ik was ziek.", by="p-ad")
    )
    impose = ImposeSanction(case_id=case_id, sanction="inhouding_van_salaris", reasons="Bewezen.", decided_by="p-ad")
    await _reject(local.discipline.impose_sanction(uow, impose), "unknown_sanction")
    await local.discipline.impose_sanction(uow, dataclasses.replace(impose, sanction="blaam"))


def _case(person_id: str) -> OpenDisciplinaryCase:
    return OpenDisciplinaryCase(
        command_id="d" * 8,
        person_id=person_id,
        entity=LegalEntity.GEMEENTE,
        facts="Herhaalde afwezigheid",
    )


# -- evaluations and discipline ----------------------------------------------------------------


async def test_discipline_only_for_statutory_staff_and_no_step_imposes_a_sanction() -> None:
    uow = await _demo_uow()
    contractual = OpenDisciplinaryCase(
        command_id="d" * 8,
        person_id="p-ict",
        entity=LegalEntity.GEMEENTE,
        facts="Herhaalde afwezigheid",
    )
    await _reject(open_disciplinary_case(uow, contractual), "discipline_statutory_only")
    await _reject(
        open_disciplinary_case(uow, contractual.model_copy(update={"entity": LegalEntity.OCMW})),
        "not_in_service",
    )
    reply = await open_disciplinary_case(uow, contractual.model_copy(update={"person_id": "p-fin"}))
    case_id = uuid.UUID(reply.ids["case_id"])

    def step(to: str, sanction: str | None = None) -> AdvanceDisciplinaryCase:
        return AdvanceDisciplinaryCase(command_id="s" * 8, case_id=case_id, to_state=to, sanction=sanction)

    await _reject(advance_disciplinary_case(uow, step("sanctioned", "blaam")), "sanction_by_decision")
    await advance_disciplinary_case(uow, step("investigation"))
    await _reject(advance_disciplinary_case(uow, step("investigation", "blaam")), "sanction_by_decision")
    await _reject(advance_disciplinary_case(uow, step("hearing")), "defence_required")
    await _reject(advance_disciplinary_case(uow, step("opened")), "invalid_transition")
    await _reject(advance_disciplinary_case(uow, step("verhoor")), "unknown_state")
    done = await advance_disciplinary_case(uow, step("closed_without_sanction"))
    assert done.data == {"state": "closed_without_sanction"}
    assert [s for s, _ in uow.cases.rows[case_id].history] == ["opened", "investigation", "closed_without_sanction"]
    assert uow.events() == []  # personal records: no events


async def test_evaluations_are_records_with_a_result() -> None:
    uow = await _demo_uow()
    cmd = OpenEvaluation(
        command_id="v" * 8, person_id="p-secr", entity=LegalEntity.OCMW, evaluator_person_id="p-secr", period="2026"
    )
    await _reject(open_evaluation(uow, cmd), "self_evaluation")
    reply = await open_evaluation(uow, cmd.model_copy(update={"evaluator_person_id": "p-ad"}))
    evaluation_id = uuid.UUID(reply.ids["evaluation_id"])
    conclude = ConcludeEvaluation(command_id="w" * 8, evaluation_id=evaluation_id, result="great")
    await _reject(conclude_evaluation(uow, conclude), "unknown_result")
    await conclude_evaluation(uow, conclude.model_copy(update={"result": "positive"}))
    await _reject(
        conclude_evaluation(uow, conclude.model_copy(update={"result": "positive"})),
        "evaluation_closed",
    )


# -- the demo municipality ---------------------------------------------------------------------


def test_the_demo_staff_loads_from_the_municipality_file() -> None:
    assert isinstance(DEMO_FILE, Path)
    staff = demo_hr(DEMO_FILE).staff
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
