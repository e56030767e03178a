"""The contract of hr's repositories."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from services.hr.domain.delegations import Delegation
from services.hr.domain.discipline import CaseState, DisciplinaryCase
from services.hr.domain.model import EffectStatus, HrEffect, StaffMember, Statute
from services.hr.domain.personnel import ConsultationFile, Employment, Evaluation
from services.hr.service_layer.ports import StaffLoad
from shared.vocabulary import BodyKind, BudgetHolderScope, DecisionKind, DelegationPower, LegalEntity

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
GEMEENTE, OCMW = LegalEntity.GEMEENTE, LegalEntity.OCMW


def _person(tag: str = "") -> str:
    return f"p-{tag}{uuid.uuid4().hex[:8]}"


def _effect(decision_id: uuid.UUID, status: EffectStatus = EffectStatus.APPLIED) -> HrEffect:
    return HrEffect(
        effect_id=uuid.uuid4(),
        decision_id=decision_id,
        kind=DecisionKind.APPOINTMENT,
        entity=GEMEENTE,
        title="Aanstelling",
        recorded_at=T0,
        status=status,
        reason=None if status is EffectStatus.APPLIED else "body_not_competent",
        detail="employment x",
    )


def _member(person_id: str, name: str, entity: LegalEntity = GEMEENTE) -> StaffMember:
    return StaffMember(person_id, name, "B1", entity, Statute.CONTRACTUAL, "deskundige")


def _employment(person_id: str, start: dt.date, **fields: Any) -> Employment:
    values: dict[str, Any] = {
        "employment_id": uuid.uuid4(),
        "person_id": person_id,
        "person_name": "Nina Nieuw",
        "entity": GEMEENTE,
        "position": "deskundige",
        "unit_code": "ICT",
        "grade": "B1",
        "statutory": True,
        "start_date": start,
        "decision_id": uuid.uuid4(),
        "works_for": (GEMEENTE, OCMW),
        **fields,
    }
    return Employment(**values)


def _delegation(**fields: Any) -> Delegation:
    values: dict[str, Any] = {
        "delegation_id": uuid.uuid4(),
        "from_body": BodyKind.COLLEGE,
        "from_person_id": None,
        "to_person_id": _person(),
        "to_body": None,
        "power": DelegationPower.BUDGET_HOLDER,
        "entity": GEMEENTE,
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "budget_scope": BudgetHolderScope(entity=GEMEENTE, policy_field="0200", max_amount=Decimal("50000.00")),
        "scope": {"subject": "procurement"},
        "decision_id": uuid.uuid4(),
        "parent_delegation_id": None,
        "granted_at": T0,
        **fields,
    }
    return Delegation(**values)


class HrEffectsContract:
    """One effect per decision: a second one for the same decision is not stored."""

    async def test_an_effect_is_recorded_once_per_decision(self, uow: Any) -> None:
        decision_id = uuid.uuid4()
        assert not await uow.effects.exists(decision_id)
        assert await uow.effects.add(_effect(decision_id))
        assert await uow.effects.exists(decision_id)
        assert not await uow.effects.add(_effect(decision_id, EffectStatus.REFUSED))
        assert not await uow.effects.exists(uuid.uuid4())


class StaffContract:
    """Staff members by person id; saved again, they change; listed by name, per employer."""

    async def test_a_member_round_trips_and_is_replaced_when_saved_again(self, uow: Any) -> None:
        member = StaffMember(_person(), "Nina Nieuw", "A1a", OCMW, Statute.STATUTORY, "diensthoofd")
        assert await uow.staff.get(member.person_id) is None
        await uow.staff.save(member)
        assert await uow.staff.get(member.person_id) == member
        promoted = dataclasses.replace(member, grade="A2a", role="directeur", statute=Statute.CONTRACTUAL)
        await uow.staff.save(promoted)
        assert await uow.staff.get(member.person_id) == promoted

    async def test_a_load_inserts_new_members_updates_changed_ones_and_leaves_the_rest(self, uow: Any) -> None:
        kept, changed = _member(_person(), "Kees Kalm"), _member(_person(), "Cis Wissel")
        assert await uow.staff.upsert([kept, changed]) == StaffLoad(inserted=2, updated=0, unchanged=0)
        new = _member(_person(), "Nel Nieuw")
        again = [kept, dataclasses.replace(changed, grade="A1a"), new]
        assert await uow.staff.upsert(again) == StaffLoad(inserted=1, updated=1, unchanged=1)
        assert (await uow.staff.get(changed.person_id)) == again[1]
        assert await uow.staff.upsert([]) == StaffLoad(0, 0, 0)

    async def test_all_lists_by_name_and_filters_by_employer(self, uow: Any) -> None:
        zoe, an, bram = (
            _member(_person(), "Zoë Zegers"),
            _member(_person(), "An Aerts"),
            _member(_person(), "Bram Bos", OCMW),
        )
        for m in (zoe, an, bram):
            await uow.staff.save(m)
        everyone = [m for m in await uow.staff.all() if m in {zoe, an, bram}]
        assert everyone == [an, bram, zoe]
        assert [m for m in await uow.staff.all(GEMEENTE) if m in {zoe, an, bram}] == [an, zoe]
        assert [m for m in await uow.staff.all(OCMW) if m in {zoe, an, bram}] == [bram]


class EmploymentsContract:
    """Employments per person, oldest first; added once by id; saved, only their end changes."""

    async def test_employments_round_trip_per_person_oldest_first(self, uow: Any) -> None:
        person = _person()
        later = _employment(person, dt.date(2024, 5, 1), entity=OCMW, unit_code=None, statutory=False, works_for=())
        earlier = _employment(person, dt.date(2019, 1, 1), end_date=dt.date(2023, 12, 31), decision_id=None)
        await uow.employments.add(later)
        await uow.employments.add(earlier)
        await uow.employments.add(_employment(_person(), dt.date(2020, 1, 1)))
        assert await uow.employments.of_person(person) == [earlier, later]
        assert await uow.employments.of_person(_person()) == []

    async def test_adding_the_same_employment_again_keeps_the_first(self, uow: Any) -> None:
        first = _employment(_person(), dt.date(2020, 1, 1))
        await uow.employments.add(first)
        await uow.employments.add(dataclasses.replace(first, grade="C1", decision_id=uuid.uuid4()))
        assert await uow.employments.of_person(first.person_id) == [first]

    async def test_saving_records_the_end_and_nothing_else(self, uow: Any) -> None:
        employment = _employment(_person(), dt.date(2020, 1, 1))
        await uow.employments.add(employment)
        ended = dataclasses.replace(employment, end_date=dt.date(2026, 12, 1))
        await uow.employments.save(dataclasses.replace(ended, grade="A4a", position="directeur"), uuid.uuid4())
        assert await uow.employments.of_person(employment.person_id) == [ended]


class DelegationsContract:
    """Delegations by id with every field; saved, only the revocation changes; chains by parent."""

    async def test_a_delegation_round_trips_every_field(self, uow: Any) -> None:
        parent = _delegation()
        to_body = _delegation(
            from_body=BodyKind.GEMEENTERAAD,
            to_person_id="college",
            to_body=BodyKind.COLLEGE,
            power=DelegationPower.DECIDE,
            valid_until=None,
            budget_scope=None,
            scope={},
            decision_id=None,
        )
        sub = _delegation(
            from_body=None,
            from_person_id=parent.to_person_id,
            budget_scope=BudgetHolderScope(
                entity=GEMEENTE, policy_field="0200", economic_account="6130000", action="AC-1", max_amount=None
            ),
            parent_delegation_id=parent.delegation_id,
            decision_id=None,
            revoked_at=T0 + dt.timedelta(days=3),
            revoke_reason="herziening",
        )
        for d in (parent, to_body, sub):
            await uow.delegations.add(d)
        for d in (parent, to_body, sub):
            assert await uow.delegations.get(d.delegation_id) == d
        assert await uow.delegations.get(uuid.uuid4()) is None

    async def test_saving_records_the_revocation_and_nothing_else(self, uow: Any) -> None:
        delegation = _delegation()
        await uow.delegations.add(delegation)
        revoked = dataclasses.replace(delegation, revoked_at=T0 + dt.timedelta(hours=2), revoke_reason="andere functie")
        await uow.delegations.save(dataclasses.replace(revoked, valid_until=None, scope={"subject": "anything"}))
        assert await uow.delegations.get(delegation.delegation_id) == revoked

    async def test_children_are_the_delegations_resting_on_one(self, uow: Any) -> None:
        parent, other = _delegation(), _delegation()
        kids = [
            _delegation(from_body=None, from_person_id=parent.to_person_id, parent_delegation_id=parent.delegation_id)
            for _ in range(2)
        ]
        for d in (parent, other, *kids):
            await uow.delegations.add(d)
        assert sorted(d.delegation_id for d in await uow.delegations.children(parent.delegation_id)) == sorted(
            d.delegation_id for d in kids
        )
        assert await uow.delegations.children(other.delegation_id) == []

    async def test_all_lists_every_delegation_by_start_then_id(self, uow: Any) -> None:
        mine = [
            _delegation(valid_from=dt.date(2026, 3, 1)),
            _delegation(valid_from=dt.date(2025, 1, 1)),
            _delegation(valid_from=dt.date(2026, 3, 1)),
        ]
        for d in mine:
            await uow.delegations.add(d)
        ids = {d.delegation_id for d in mine}
        listed = [d for d in await uow.delegations.all() if d.delegation_id in ids]
        assert listed == sorted(mine, key=lambda d: (d.valid_from, d.delegation_id))


class ConsultationsContract:
    """BOC files round trip, before and after their protocol."""

    async def test_a_file_round_trips_and_is_concluded_by_saving(self, uow: Any) -> None:
        file = ConsultationFile(uuid.uuid4(), "Wijziging RPR", OCMW, dt.date(2026, 3, 2), dt.date(2026, 3, 16))
        await uow.consultations.add(file)
        assert await uow.consultations.get(file.consultation_id) == file
        concluded = dataclasses.replace(file, protocol_reference="BOC-2026-03", concluded_on=dt.date(2026, 3, 16))
        await uow.consultations.save(concluded)
        assert await uow.consultations.get(file.consultation_id) == concluded
        assert await uow.consultations.get(uuid.uuid4()) is None


class EvaluationsContract:
    """Evaluations round trip, open and concluded."""

    async def test_an_evaluation_round_trips_and_is_concluded_by_saving(self, uow: Any) -> None:
        evaluation = Evaluation(uuid.uuid4(), _person(), GEMEENTE, _person("eval-"), "2026")
        await uow.evaluations.add(evaluation)
        assert await uow.evaluations.get(evaluation.evaluation_id) == evaluation
        concluded = dataclasses.replace(evaluation, state="concluded", result="positive", note="Goed gedaan")
        await uow.evaluations.save(concluded)
        assert await uow.evaluations.get(evaluation.evaluation_id) == concluded
        assert await uow.evaluations.get(uuid.uuid4()) is None


class DisciplinaryCasesContract:
    """Cases round trip with their history in order."""

    async def test_a_case_round_trips_with_its_history(self, uow: Any) -> None:
        person = _person()
        case = DisciplinaryCase(
            uuid.uuid4(), person, OCMW, "Herhaalde afwezigheid", _person("ad-"), history=(("opened", "Feiten"),)
        )
        await uow.cases.add(case)
        assert await uow.cases.get(case.case_id) == case
        sanctioned = dataclasses.replace(
            case,
            state=CaseState.SANCTIONED,
            sanction="blaam",
            history=(*case.history, ("investigation", ""), ("hearing", "gehoord"), ("sanctioned", "blaam")),
            employment_id=uuid.uuid4(),
            heard_on=dt.date(2026, 11, 20),
            defence="Ik betwist de feiten niet.",
            decision_id=uuid.uuid4(),
            authority="vast_bureau",
            reasons="De feiten zijn bewezen.",
            decided_on=dt.date(2026, 12, 1),
        )
        await uow.cases.save(sanctioned)
        assert await uow.cases.get(case.case_id) == sanctioned
        assert await uow.cases.get(uuid.uuid4()) is None
