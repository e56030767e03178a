"""Visum policy, budget-holder delegations and payment orders (domain rules)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from services.finance.domain.control import (
    BudgetHolderDelegation,
    Visum,
    VisumStatus,
    find_delegation,
    order_payment,
)
from services.finance.domain.model import Commitment
from services.finance.domain.policy import FinancePolicy
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Flow, LegalEntity

NOW = dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC)
POLICY = FinancePolicy(financial_director="p-fd")
G = LegalEntity.GEMEENTE


R, E = Flow.RECEIPT, Flow.EXPENSE


@pytest.mark.parametrize(
    ("policy", "amount", "account", "kind", "flow", "required"),
    [
        (POLICY, "15000.00", "6140000", "decision", E, True),
        (POLICY, "14999.99", "6140000", "decision", E, False),
        (POLICY, "900000.00", "1710000", "decision", R, False),  # a loan taken up: no outgoing cash flow
        (POLICY, "900000.00", "1710000", "decision", E, True),  # its early repayment is one
        (POLICY, "900000.00", "7000000", "decision", R, False),  # a receipt
        (POLICY, "900000.00", "6300000", "decision", E, False),  # depreciation: no cash flow at all
        (POLICY, "20000.00", "6140000", "budget_holder", E, True),
        (FinancePolicy("p-fd", visum_exempt_below=Decimal(30000)), "29999.99", "2210000", "decision", E, False),
        (FinancePolicy("p-fd", visum_exempt_accounts=("62",)), "50000.00", "6200000", "decision", E, False),
        (FinancePolicy("p-fd", visum_exempt_accounts=("62",)), "50000.00", "6140000", "decision", E, True),
        (FinancePolicy("p-fd", visum_exempt_kinds=("appointment",)), "50000.00", "6200000", "appointment", E, False),
        (
            FinancePolicy("p-fd", visum_exempt_kinds=("budget_holder",)),
            "50000.00",
            "6140000",
            "budget_holder",
            E,
            False,
        ),
    ],
)
def test_the_councils_exemptions_decide_whether_a_visum_is_required(
    policy: FinancePolicy, amount: str, account: str, kind: str, flow: Flow, required: bool
) -> None:
    assert policy.visum_required(amount=Decimal(amount), economic_account=account, kind=kind, flow=flow) is required


def _visum(entity: LegalEntity = G) -> Visum:
    return Visum(uuid.uuid4(), uuid.uuid4(), entity, Decimal("20000.00"), "k", NOW)


def test_only_the_financial_director_grants_or_refuses() -> None:
    with pytest.raises(RuleViolation) as info:
        _visum().grant("p-schepen", (), POLICY, NOW)
    assert info.value.code == "not_financial_director"
    with pytest.raises(RuleViolation):
        _visum().refuse("p-schepen", ("nee",), POLICY, NOW)
    other = FinancePolicy(financial_director="p-other")
    assert _visum().grant("p-other", (), other, NOW).status is VisumStatus.GRANTED
    refusal = _visum().decision_refusal("p-fd", other)
    assert refusal is not None
    assert refusal.code == "not_financial_director"
    assert _visum().decision_refusal("p-other", other) is None


def test_a_visum_is_given_once_with_conditions_or_reasons() -> None:
    granted = _visum().grant("p-fd", ("Binnen het raamcontract",), POLICY, NOW)
    assert (granted.conditions, granted.decided_by, granted.decided_at) == (("Binnen het raamcontract",), "p-fd", NOW)
    with pytest.raises(RuleViolation) as again:
        granted.refuse("p-fd", ("toch niet",), POLICY, NOW)
    assert again.value.code == "visum_already_given"
    with pytest.raises(RuleViolation) as empty:
        _visum().refuse("p-fd", (" ",), POLICY, NOW)
    assert empty.value.code == "reasons_required"
    refused = _visum().refuse("p-fd", ("Geen wettelijke basis",), POLICY, NOW)
    blocked = refused.commitment_refusal()
    assert blocked is not None
    assert blocked.code == "visum_refused"
    assert granted.commitment_refusal() is None
    assert _visum().commitment_refusal() is None, "a visum still requested does not block"


def test_only_the_executive_of_the_entity_overrules_a_refusal() -> None:
    refused = _visum().refuse("p-fd", ("Onwettig",), POLICY, NOW)
    decision = uuid.uuid4()
    with pytest.raises(RuleViolation) as wrong_body:
        refused.overrule(decision, BodyKind.GEMEENTERAAD, G, NOW)
    assert wrong_body.value.code == "overruling_not_executive"
    with pytest.raises(RuleViolation):
        refused.overrule(decision, BodyKind.VAST_BUREAU, LegalEntity.OCMW, NOW)
    question = refused.overruling_refusal(BodyKind.GEMEENTERAAD, G)
    assert question is not None
    assert question.code == "overruling_not_executive"
    assert refused.overruling_refusal(BodyKind.COLLEGE, G) is None
    overruled = refused.overrule(decision, BodyKind.COLLEGE, G, NOW)
    assert overruled.status is VisumStatus.OVERRULED
    assert overruled.commitment_refusal() is None
    ocmw = _visum(LegalEntity.OCMW).refuse("p-fd", ("x",), POLICY, NOW)
    assert (
        ocmw.overrule(decision, BodyKind.VAST_BUREAU, LegalEntity.OCMW, NOW).overruled_by_body is BodyKind.VAST_BUREAU
    )
    with pytest.raises(RuleViolation) as not_refused:
        _visum().overrule(decision, BodyKind.COLLEGE, G, NOW)
    assert not_refused.value.code == "visum_not_refused"


def _delegation(**overrides: object) -> BudgetHolderDelegation:
    fields: dict[str, object] = {
        "delegation_id": uuid.UUID(int=1),
        "to_person_id": "p-dh",
        "entity": G,
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "policy_field": "0119",
        "economic_account": None,
        "action": None,
        "max_amount": Decimal("5000.00"),
    }
    fields.update(overrides)
    return BudgetHolderDelegation(**fields)  # type: ignore[arg-type]


def _find(*delegations: BudgetHolderDelegation, amount: str = "100.00", now: dt.datetime = NOW) -> uuid.UUID:
    return find_delegation(
        delegations,
        person_id="p-dh",
        entity=G,
        policy_field="0119",
        economic_account="6140000",
        action="AC-1.1.1",
        amount=Decimal(amount),
        now=now,
    ).delegation_id


@pytest.mark.parametrize(
    ("delegation", "amount", "why"),
    [
        (_delegation(valid_from=dt.date(2026, 7, 1)), "1.00", "valid only from 2026-07-01"),
        (_delegation(valid_until=dt.date(2026, 6, 14)), "1.00", "expired on 2026-06-14"),
        (_delegation(revoked_at=NOW - dt.timedelta(minutes=1)), "1.00", "was revoked"),
        (_delegation(entity=LegalEntity.OCMW), "1.00", "is for the ocmw"),
        (_delegation(policy_field="0900"), "1.00", "covers policy field 0900"),
        (_delegation(economic_account="6130000"), "1.00", "covers account 6130000"),
        (_delegation(action="AC-9"), "1.00", "covers action AC-9"),
        (_delegation(), "5000.01", "at most 5000.00"),
        (_delegation(entity=None, valid_from=None), "1.00", "is not granted"),
    ],
)
def test_a_delegation_that_does_not_cover_the_commitment_is_refused_with_its_reason(
    delegation: BudgetHolderDelegation, amount: str, why: str
) -> None:
    with pytest.raises(RuleViolation) as info:
        _find(delegation, amount=amount)
    assert info.value.code == "no_valid_delegation"
    assert why in str(info.value)
    assert info.value.message.startswith("p-dh: ")


def test_a_valid_delegation_is_found_among_others() -> None:
    good = _delegation(delegation_id=uuid.UUID(int=2), valid_until=None, max_amount=None)
    assert _find(_delegation(policy_field="0900"), good, amount="99999.00") == good.delegation_id
    assert _find(_delegation(revoked_at=NOW + dt.timedelta(days=1))) == uuid.UUID(int=1), "revoked later: still valid"
    with pytest.raises(RuleViolation, match="holds no budget-holder delegation"):
        _find()


def test_payment_orders_never_exceed_the_commitment() -> None:
    commitment = Commitment(
        commitment_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        entity=G,
        economic_account="6140000",
        policy_field="0119",
        action=None,
        financial_year=2026,
        amount=Decimal("100.00"),
        third_party="X",
        credit_key="k",
        created_at=NOW,
    )
    after, order = order_payment(commitment, Decimal("60.00"), ordered_by="p-fd", reference="F1", now=NOW)
    assert after.ordered == Decimal("60.00")
    assert order.amount == Decimal("60.00")
    with pytest.raises(RuleViolation) as info:
        order_payment(after, Decimal("40.01"), ordered_by="p-fd", reference="F2", now=NOW)
    assert info.value.code == "payment_exceeds_commitment"
    done, _ = order_payment(after, Decimal("40.00"), ordered_by="p-fd", reference="F2", now=NOW)
    assert done.orderable == 0
    paid = order.pay(NOW.date())
    with pytest.raises(RuleViolation) as twice:
        paid.pay(NOW.date())
    assert twice.value.code == "already_paid"
    with pytest.raises(RuleViolation) as zero:
        order_payment(after, Decimal(0), ordered_by="p-fd", reference="F3", now=NOW)
    assert zero.value.code == "invalid_amount"
