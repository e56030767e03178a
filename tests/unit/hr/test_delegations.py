"""Delegation rules: valid, expired, revoked, forbidden chains; a property that no forbidden chain passes."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.hr.domain.commands import GrantDelegation
from services.hr.domain.delegations import Delegate, Delegation, check_delegation, grade_rank
from services.hr.domain.grants import COUNCIL_EXECUTIVE, DelegationPolicy, check_grant, grant_refusal
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, BudgetHolderScope, DelegationPower, LegalEntity

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
START = dt.date(2026, 3, 1)
POLICY = DelegationPolicy()
PEOPLE = {
    "p-ad": Delegate("p-ad", "A4a", algemeen_directeur=True),
    "p-fin": Delegate("p-fin", "A1a"),
    "p-secr": Delegate("p-secr", "B1"),
    "p-left": Delegate("p-left", "C1", in_service=False),
}
GEMEENTE = LegalEntity.GEMEENTE


def _budget(max_amount: str | None = "50000.00", entity: LegalEntity = GEMEENTE) -> BudgetHolderScope:
    return BudgetHolderScope(entity=entity, max_amount=Decimal(max_amount) if max_amount else None)


def _grant(**overrides: object) -> GrantDelegation:
    fields: dict[str, object] = {
        "from_body": BodyKind.COLLEGE,
        "from_person_id": None,
        "to": "p-ad",
        "power": DelegationPower.BUDGET_HOLDER,
        "entity": GEMEENTE,
        "valid_from": START,
        "valid_until": None,
        "budget_scope": _budget(),
    }
    fields.update(overrides)
    return GrantDelegation(**fields)  # type: ignore[arg-type]


def _check(grant: GrantDelegation, parent: Delegation | None = None) -> Delegation:
    return check_grant(grant, delegates=PEOPLE, parent=parent, policy=POLICY, new_id=uuid.uuid4(), now=NOW)


def _refused(grant: GrantDelegation, parent: Delegation | None = None) -> str:
    """The code `check_grant` raises, which is the refusal `grant_refusal` answers (one rule, two forms)."""
    refusal = grant_refusal(grant, delegates=PEOPLE, parent=parent, policy=POLICY)
    with pytest.raises(RuleViolation) as info:
        _check(grant, parent)
    assert refusal is not None
    assert (info.value.code, info.value.message) == (refusal.code, refusal.message)
    return info.value.code


def test_college_to_algemeen_directeur_to_staff_is_the_allowed_chain() -> None:
    to_ad = _check(_grant())
    to_fin = _check(
        _grant(from_body=None, from_person_id="p-ad", to="p-fin", budget_scope=_budget("10000.00")), parent=to_ad
    )
    assert to_fin.parent_delegation_id == to_ad.delegation_id
    found, reason = check_delegation(
        [to_ad, to_fin],
        person_id="p-fin",
        power=DelegationPower.BUDGET_HOLDER,
        entity=GEMEENTE,
        on=START,
        amount=Decimal("9999.99"),
    )
    assert (found, reason) == (to_fin, "ok")


def test_a_council_delegates_to_its_own_executive_body() -> None:
    d = _check(_grant(from_body=BodyKind.GEMEENTERAAD, to="college"))
    assert (d.to_body, d.to_person_id) == (BodyKind.COLLEGE, "college")


@pytest.mark.parametrize(
    ("grant", "code"),
    [
        (_grant(from_body=BodyKind.GEMEENTERAAD, to="p-ad"), "council_to_person_forbidden"),
        (_grant(from_body=BodyKind.GEMEENTERAAD, to="vast_bureau"), "wrong_body"),
        (_grant(from_body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, to="vast_bureau"), "wrong_entity"),
        (
            _grant(
                from_body=BodyKind.GEMEENTERAAD,
                to="college",
                power=DelegationPower.DECIDE,
                budget_scope=None,
                scope={"subject": "organogram"},
            ),
            "power_not_delegable",
        ),
        (
            _grant(
                from_body=BodyKind.GEMEENTERAAD,
                to="college",
                power=DelegationPower.HIRING,
                budget_scope=None,
                scope={"grade": "B1"},
            ),
            "power_not_delegable",
        ),
        (_grant(to="p-fin"), "executive_to_algemeen_directeur_only"),
        (_grant(to="college"), "executive_to_algemeen_directeur_only"),
        (_grant(from_body=BodyKind.VAST_BUREAU), "wrong_entity"),
        (
            _grant(from_body=BodyKind.BCSD, entity=LegalEntity.OCMW, budget_scope=_budget(entity=LegalEntity.OCMW)),
            "body_cannot_delegate",
        ),
        (_grant(from_body=None, from_person_id="p-fin", to="p-secr"), "subdelegation_not_allowed"),
        (_grant(from_body=None, from_person_id="p-ad", to="p-fin"), "parent_delegation_required"),
        (
            _grant(
                from_body=None,
                from_person_id="p-ad",
                to="p-ad",
                power=DelegationPower.DAILY_STAFF_MANAGEMENT,
                budget_scope=None,
            ),
            "self_delegation",
        ),
        (
            _grant(power=DelegationPower.SIGN, budget_scope=None, scope={"subject": "minutes"}),
            "minutes_signature_not_delegable",
        ),
        (
            _grant(
                from_body=None,
                from_person_id="p-ad",
                to="p-secr",
                power=DelegationPower.SIGN,
                budget_scope=None,
                scope={"subject": "notulen"},
            ),
            "minutes_signature_not_delegable",
        ),
        (_grant(from_body=None, from_person_id=None), "one_grantor_required"),
        (_grant(from_person_id="p-ad"), "one_grantor_required"),
        (_grant(valid_until=START - dt.timedelta(days=1)), "invalid_period"),
        (_grant(budget_scope=None), "budget_scope_required"),
        (_grant(budget_scope=_budget(entity=LegalEntity.OCMW)), "wrong_entity"),
        (_grant(power=DelegationPower.DECIDE), "budget_scope_not_allowed"),
        (
            _grant(
                from_body=None,
                from_person_id="p-ad",
                to="p-left",
                power=DelegationPower.DAILY_STAFF_MANAGEMENT,
                budget_scope=None,
            ),
            "not_in_service",
        ),
        (
            _grant(
                from_body=None,
                from_person_id="p-ad",
                to="nobody",
                power=DelegationPower.DAILY_STAFF_MANAGEMENT,
                budget_scope=None,
            ),
            "unknown_person",
        ),
    ],
)
def test_forbidden_delegations_are_refused(grant: GrantDelegation, code: str) -> None:
    assert _refused(grant) == code


def test_hiring_and_discipline_only_to_someone_of_at_least_the_grade_concerned() -> None:
    college_hiring = _check(_grant(power=DelegationPower.HIRING, budget_scope=None, scope={"grade": "A2a"}))
    sub = {"from_body": None, "from_person_id": "p-ad", "power": DelegationPower.HIRING, "budget_scope": None}
    assert _refused(_grant(**sub, to="p-secr", scope={"grade": "A1a"}), parent=college_hiring) == "grade_too_low"
    assert _refused(_grant(**sub, to="p-fin"), parent=college_hiring) == "grade_scope_required"
    assert _check(_grant(**sub, to="p-fin", scope={"grade": "A1a"}), parent=college_hiring).to_person_id == "p-fin"
    assert _check(_grant(**sub, to="p-secr", scope={"grade": "C3"}), parent=college_hiring).to_person_id == "p-secr"


def test_grades_are_ordered_by_level_then_scale() -> None:
    ordered = ["E1", "D4", "C1", "B1", "B2", "A1a", "A1b", "A2a", "A4a"]
    assert sorted(ordered, key=grade_rank) == ordered
    with pytest.raises(ValueError, match="unknown grade"):
        grade_rank("Z9")


def test_a_subdelegation_stays_within_what_is_held() -> None:
    held = _check(_grant(valid_until=dt.date(2026, 12, 31)))
    sub = {"from_body": None, "from_person_id": "p-ad", "to": "p-fin"}
    assert _refused(_grant(**sub, budget_scope=_budget("60000.00")), parent=held) == "exceeds_parent_period"
    bounded = {**sub, "valid_until": dt.date(2026, 6, 30)}
    assert _refused(_grant(**bounded, budget_scope=_budget("60000.00")), parent=held) == "exceeds_parent_scope"
    assert _refused(_grant(**bounded, budget_scope=_budget(None)), parent=held) == "exceeds_parent_scope"
    assert (
        _refused(_grant(**bounded, power=DelegationPower.DECIDE, budget_scope=None), parent=held)
        == "parent_delegation_invalid"
    )
    assert _refused(_grant(**sub, valid_from=dt.date(2027, 1, 1), valid_until=dt.date(2027, 2, 1)), parent=held) == (
        "parent_delegation_invalid"
    )


def _use(delegations: list[Delegation], on: dt.date, amount: str | None = None) -> tuple[Delegation | None, str]:
    return check_delegation(
        delegations,
        person_id="p-ad",
        power=DelegationPower.BUDGET_HOLDER,
        entity=GEMEENTE,
        on=on,
        amount=Decimal(amount) if amount else None,
    )


def test_check_delegation_says_why_a_use_is_not_covered() -> None:
    d = _check(_grant(valid_until=dt.date(2026, 6, 30)))
    assert _use([d], START) == (d, "ok")
    assert _use([d], START - dt.timedelta(days=1)) == (None, "not_yet_valid")
    assert _use([d], dt.date(2026, 7, 1)) == (None, "expired")
    assert _use([d], START, "50000.01") == (None, "amount_exceeds_scope")
    revoked = Delegation(**{**d.__dict__, "revoked_at": dt.datetime(2026, 4, 1, tzinfo=dt.UTC)})
    assert _use([revoked], dt.date(2026, 3, 31)) == (revoked, "ok")
    assert _use([revoked], dt.date(2026, 4, 1)) == (None, "revoked")
    assert _use([], START) == (None, "no_delegation")
    assert check_delegation(
        [d], person_id="p-ad", power=DelegationPower.BUDGET_HOLDER, entity=LegalEntity.OCMW, on=START
    ) == (
        None,
        "no_delegation",
    )


def test_a_subdelegation_falls_with_its_parent() -> None:
    parent = _check(_grant())
    child = _check(
        _grant(from_body=None, from_person_id="p-ad", to="p-fin", budget_scope=_budget("100.00")), parent=parent
    )
    revoked_parent = Delegation(**{**parent.__dict__, "revoked_at": NOW})
    found, reason = check_delegation(
        [revoked_parent, child], person_id="p-fin", power=DelegationPower.BUDGET_HOLDER, entity=GEMEENTE, on=START
    )
    assert (found, reason) == (None, "parent_invalid")


# -- the property: whatever is asked, a forbidden chain is never accepted ------------------------

PERSONS = [*PEOPLE, "nobody"]
TARGETS = [*PERSONS, *(b.value for b in BodyKind)]
SUBJECTS = ["", "minutes", "notulen", "organogram", "regulation", "procurement", "visum_overruling", "staff_rules"]
GRADES = ["E1", "C1", "B1", "A1a", "A4a"]


def _forbidden(grant: GrantDelegation, parent: Delegation | None) -> str | None:
    """An independent statement of the chains the law forbids."""
    to_person = grant.to in PEOPLE
    subject = grant.scope.get("subject", "")
    if grant.power is DelegationPower.SIGN and subject in {"minutes", "notulen"}:
        return "minutes signature"
    if grant.from_body is not None and grant.from_body in COUNCIL_EXECUTIVE:
        if to_person or grant.to == "nobody":
            return "council to a person"
        if grant.to != COUNCIL_EXECUTIVE[grant.from_body].value:
            return "council to another body"
        if grant.power not in POLICY.council_delegable_powers or subject in POLICY.council_non_delegable_subjects:
            return "non-delegable council power"
    elif grant.from_body in {BodyKind.COLLEGE, BodyKind.VAST_BUREAU}:
        if grant.to != "p-ad":
            return "executive to someone other than the algemeen directeur"
    elif grant.from_body is not None:
        return "body without delegation power"
    else:
        if grant.from_person_id != "p-ad":
            return "subdelegation by staff"
        if not to_person:
            return "algemeen directeur to a body"
        if grant.power is not DelegationPower.DAILY_STAFF_MANAGEMENT and (
            parent is None or parent.to_person_id != "p-ad" or parent.power is not grant.power
        ):
            return "passing on a power not held"
    if grant.power in {DelegationPower.HIRING, DelegationPower.DISCIPLINE} and to_person:
        concerned = grant.scope.get("grade")
        if concerned is None or grade_rank(PEOPLE[grant.to].grade) < grade_rank(concerned):
            return "hiring or discipline below the grade concerned"
    if to_person and not PEOPLE[grant.to].in_service:
        return "delegate not in service"
    return None


@st.composite
def grants(draw: st.DrawFn) -> tuple[GrantDelegation, Delegation | None]:
    by_body = draw(st.booleans())
    power = draw(st.sampled_from(list(DelegationPower)))
    entity = draw(st.sampled_from(list(LegalEntity)))
    scope: dict[str, str] = {}
    subject = draw(st.sampled_from(SUBJECTS))
    if subject:
        scope["subject"] = subject
    grade = draw(st.none() | st.sampled_from(GRADES))
    if grade:
        scope["grade"] = grade
    budget = (
        BudgetHolderScope(entity=entity, max_amount=Decimal(draw(st.integers(1, 100_000))))
        if power is DelegationPower.BUDGET_HOLDER
        else None
    )
    grant = GrantDelegation(
        from_body=draw(st.sampled_from(list(BodyKind))) if by_body else None,
        from_person_id=None if by_body else draw(st.sampled_from(PERSONS)),
        to=draw(st.sampled_from(TARGETS)),
        power=power,
        entity=entity,
        valid_from=START,
        valid_until=draw(st.none() | st.just(dt.date(2026, 12, 31))),
        budget_scope=budget,
        scope=scope,
    )
    parent = None
    if draw(st.booleans()):
        parent = Delegation(
            delegation_id=uuid.uuid4(),
            from_body=BodyKind.COLLEGE,
            from_person_id=None,
            to_person_id=draw(st.sampled_from(PERSONS)),
            to_body=None,
            power=draw(st.sampled_from(list(DelegationPower))),
            entity=entity,
            valid_from=dt.date(2026, 1, 1),
            valid_until=None,
            budget_scope=BudgetHolderScope(entity=entity) if power is DelegationPower.BUDGET_HOLDER else None,
            scope={},
            revoked_at=draw(st.none() | st.just(NOW)),
        )
    return grant, parent


@given(grants())
def test_no_forbidden_chain_is_ever_accepted(case: tuple[GrantDelegation, Delegation | None]) -> None:
    grant, parent = case
    refusal = grant_refusal(grant, delegates=PEOPLE, parent=parent, policy=POLICY)
    if refusal is not None:
        with pytest.raises(RuleViolation, match=re.escape(refusal.message)):
            _check(grant, parent)
        return
    _check(grant, parent)
    assert _forbidden(grant, parent) is None, f"accepted a forbidden delegation: {_forbidden(grant, parent)}"
    if (
        parent is not None
        and grant.from_person_id is not None
        and grant.power is not DelegationPower.DAILY_STAFF_MANAGEMENT
    ):
        assert parent.state_on(grant.valid_from) == "valid"
