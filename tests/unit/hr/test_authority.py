"""Who carries out hr's commands: the algemeen directeur, or a holder of daily staff management (hr's data)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from services.hr.domain.authority import staff_authority_refusal
from services.hr.domain.delegations import Delegate, Delegation
from shared.contracts.base import LegalEntity
from shared.contracts.hr import (
    AdvanceDisciplinaryCase,
    ConcludeConsultation,
    ConcludeEvaluation,
    GrantDelegation,
    OpenConsultation,
    OpenDisciplinaryCase,
    OpenEvaluation,
    RecordHearing,
    RevokeDelegation,
)
from shared.kernel import RuleViolation
from shared.vocabulary import DelegationPower
from tests.unit.hr.stage import NOW, Hr

TODAY = NOW.date()
G, OC = LegalEntity.GEMEENTE, LegalEntity.OCMW


async def _rejected(outcome: Any, code: str) -> None:
    with pytest.raises(RuleViolation) as info:
        await outcome
    assert info.value.code == code, info.value.message


async def _staff_manager(hr: Hr, person: str = "p-secr", entity: LegalEntity = G, **period: Any) -> uuid.UUID:
    """The algemeen directeur passes daily staff management for `entity` on to `person`."""
    granted = await hr.send(
        GrantDelegation(
            command_id=uuid.uuid4().hex,
            to_person_id=person,
            power=DelegationPower.DAILY_STAFF_MANAGEMENT,
            entity=entity,
            valid_from=period.get("valid_from", TODAY - dt.timedelta(days=30)),
            valid_until=period.get("valid_until"),
        ),
        by="p-ad",
    )
    return uuid.UUID(granted.ids["delegation_id"])


def _consultation(entity: LegalEntity = G) -> OpenConsultation:
    return OpenConsultation(
        command_id=uuid.uuid4().hex,
        topic="Arbeidsreglement: telewerk",
        entity=entity,
        invitation_sent_on=TODAY,
        meeting_on=TODAY + dt.timedelta(days=30),
    )


async def test_only_the_algemeen_directeur_or_a_holder_of_daily_staff_management_acts_on_staff() -> None:
    hr = await Hr.demo()
    # A head of service without the power: every staff command is refused, whatever the command says.
    await _rejected(hr.send(_consultation(), by="p-fin"), "not_staff_authority")
    case = OpenDisciplinaryCase(command_id="o" * 8, person_id="p-ruimte", entity=G, facts="Herhaaldelijk te laat")
    await _rejected(hr.send(case, by="p-fin"), "not_staff_authority")
    evaluation = OpenEvaluation(
        command_id="e" * 8, person_id="p-ruimte", entity=G, evaluator_person_id="p-fin", period="2026"
    )
    await _rejected(hr.send(evaluation, by="p-fin"), "not_staff_authority")
    # The algemeen directeur may; so may whom they gave daily staff management, for that entity only.
    opened = await hr.send(_consultation(), by="p-ad")
    await _staff_manager(hr, "p-secr", G)
    await hr.send(_consultation(), by="p-secr")
    await _rejected(hr.send(_consultation(OC), by="p-secr"), "not_staff_authority")
    conclude = ConcludeConsultation(
        command_id="c" * 8,
        consultation_id=uuid.UUID(opened.ids["consultation_id"]),
        protocol_reference="BOC-2026-1",
        concluded_on=TODAY + dt.timedelta(days=30),
    )
    await _rejected(hr.send(conclude, by="p-fin"), "not_staff_authority")
    case_id = uuid.UUID((await hr.send(case, by="p-secr")).ids["case_id"])
    advance = AdvanceDisciplinaryCase(command_id="a" * 8, case_id=case_id, to_state="investigation")
    await _rejected(hr.send(advance, by="p-fin"), "not_staff_authority")
    await hr.send(advance, by="p-secr")
    hearing = RecordHearing(command_id="h" * 8, case_id=case_id, heard_on=TODAY, defence="Files.")
    await _rejected(hr.send(hearing, by="p-ruimte"), "not_staff_authority")
    await hr.send(hearing, by="p-ad")


async def test_the_evaluator_named_concludes_an_evaluation_and_nobody_else_but_the_hr_authority() -> None:
    hr = await Hr.demo()
    opened = await hr.send(
        OpenEvaluation(command_id="e" * 8, person_id="p-ruimte", entity=G, evaluator_person_id="p-fin", period="2026")
    )
    conclude = ConcludeEvaluation(command_id="c" * 8, evaluation_id=uuid.UUID(opened.ids["evaluation_id"]), result="")
    await _rejected(hr.send(conclude.model_copy(update={"result": "positive"}), by="p-ict"), "not_staff_authority")
    await hr.send(conclude.model_copy(update={"result": "positive"}), by="p-fin")


async def test_a_delegation_is_revoked_by_its_grantor_or_the_algemeen_directeur() -> None:
    hr = await Hr.demo()
    delegation_id = await _staff_manager(hr, "p-secr", G)
    revoke = RevokeDelegation(command_id="r" * 8, delegation_id=delegation_id, reason="Andere functie")
    await _rejected(hr.send(revoke, by="p-fin"), "not_algemeen_directeur")
    await _rejected(hr.send(revoke, by="p-secr"), "not_algemeen_directeur")
    revoked = await hr.send(revoke, by="p-ad")
    assert revoked.data["revoked"] == [str(delegation_id)]
    # Once revoked, the former holder no longer acts on staff.
    await _rejected(hr.send(_consultation(), by="p-secr"), "not_staff_authority")


async def test_an_expired_staff_management_delegation_gives_no_power() -> None:
    hr = await Hr.demo()
    await _staff_manager(
        hr, "p-secr", G, valid_from=TODAY - dt.timedelta(days=60), valid_until=TODAY - dt.timedelta(days=1)
    )
    with pytest.raises(RuleViolation) as info:
        await hr.send(_consultation(), by="p-secr")
    assert (info.value.code, "expired" in info.value.message) == ("not_staff_authority", True)


def _delegation(to: str, power: DelegationPower, entity: LegalEntity, **dates: Any) -> Delegation:
    return Delegation(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id=to,
        to_body=None,
        power=power,
        entity=entity,
        valid_from=dates.get("valid_from", dt.date(2026, 1, 1)),
        valid_until=dates.get("valid_until"),
    )


def test_the_rule_reads_the_algemeen_directeur_from_the_setting_or_an_employment() -> None:
    rule: dict[str, Any] = {"entity": G, "on": TODAY, "algemeen_directeur": "p-ad", "delegations": ()}
    assert staff_authority_refusal("p-ad", delegate=None, **rule) is None
    acting_ad = Delegate(person_id="p-x", grade="A4a", algemeen_directeur=True)
    assert staff_authority_refusal("p-x", delegate=acting_ad, **rule) is None
    plain = Delegate(person_id="p-y", grade="A1a")
    refusal = staff_authority_refusal("p-y", delegate=plain, **rule)
    assert refusal is not None
    assert refusal.code == "not_staff_authority"
    other_power = [_delegation("p-y", DelegationPower.BUDGET_HOLDER, G)]
    assert staff_authority_refusal("p-y", delegate=plain, **{**rule, "delegations": other_power}) is not None
    held = [_delegation("p-y", DelegationPower.DAILY_STAFF_MANAGEMENT, G)]
    assert staff_authority_refusal("p-y", delegate=plain, **{**rule, "delegations": held}) is None
    assert staff_authority_refusal("p-y", delegate=plain, **{**rule, "entity": OC, "delegations": held}) is not None
