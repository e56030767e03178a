"""The limitative totals: commitments, budget changes, internal adjustments and carry-over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.finance.domain.accounts import total_of
from services.finance.domain.budget import Budget, ChangeLine
from services.finance.domain.changes import carry_over_deadline, carry_over_lines
from services.finance.domain.model import Credit, CreditTotal
from shared.kernel import Refusal, RuleViolation
from shared.vocabulary import LegalEntity
from tests.unit.finance.fakes import totals_of

G = LegalEntity.GEMEENTE


def credit(account: str, amount: str, *, action: str = "", year: int = 2026, committed: str = "0") -> Credit:
    total = total_of(account)
    assert total is not None
    return Credit(
        entity=G,
        financial_year=year,
        total=total,
        economic_account=account,
        policy_field="0119",
        action=action,
        investment_project=None,
        description=f"credit {account}",
        amount=Decimal(amount),
        committed=Decimal(committed),
    )


def line(account: str, change: str, *, action: str = "", year: int = 2026, entity: LegalEntity = G) -> ChangeLine:
    return ChangeLine(entity, year, account, "0119", action, Decimal(change))


def budget(*plan: Credit) -> Budget:
    return Budget(plan, totals_of(*plan))


@pytest.mark.parametrize(
    ("account", "total"),
    [
        ("6140000", CreditTotal.OPERATING),
        ("6500000", CreditTotal.OPERATING),
        ("2210000", CreditTotal.INVESTMENT),
        ("2900000", CreditTotal.FINANCING),
        ("1710000", None),
        ("7000000", None),
        ("4400000", None),
    ],
)
def test_the_total_of_an_expense_follows_from_the_economic_account(account: str, total: CreditTotal | None) -> None:
    assert total_of(account) is total


def test_a_commitment_must_fit_the_credit_and_its_total() -> None:
    a, b = credit("6140000", "100.00"), credit("6130000", "50.00")
    plan = budget(a, b)
    plan.commit(a.key, Decimal("100.00"))
    assert plan.available(a.key) == 0
    assert plan.totals[a.total_key].committed == Decimal("100.00")
    with pytest.raises(RuleViolation) as info:
        plan.commit(a.key, Decimal("0.01"))
    assert info.value.code == "insufficient_credit"
    with pytest.raises(RuleViolation) as unknown:
        plan.commit(line("6150000", "0").key, Decimal(1))
    assert unknown.value.code == "no_credit"
    with pytest.raises(RuleViolation):
        plan.commit(b.key, Decimal(0))


def test_the_total_limits_even_when_a_credit_would_allow_more() -> None:
    a = credit("6140000", "100.00")
    [total] = totals_of(a)  # made deliberately inconsistent below
    plan = Budget([a], [replace(total, committed=Decimal("95.00"))])
    assert plan.available(a.key) == Decimal("5.00")
    with pytest.raises(RuleViolation):
        plan.commit(a.key, Decimal("5.01"))


def test_a_budget_change_moves_credits_and_totals_and_may_create_a_credit() -> None:
    a = credit("6140000", "100.00", committed="60.00")
    plan = budget(a)
    plan.apply_budget_change([line("6140000", "-40.00"), line("6130000", "25.00", action="AC-9")])
    assert plan.credits[a.key].amount == Decimal("60.00")
    new = plan.credits[line("6130000", "0", action="AC-9").key]
    assert new.amount == Decimal("25.00")
    assert new.key in plan.new_credits
    assert plan.totals[a.total_key].amount == Decimal("85.00")


def test_a_budget_change_never_lowers_a_credit_below_its_commitments() -> None:
    a = credit("6140000", "100.00", committed="60.00")
    plan = budget(a)
    with pytest.raises(RuleViolation) as info:
        plan.apply_budget_change([line("6140000", "-40.01")])
    assert info.value.code == "below_committed"
    assert plan.credits[a.key].amount == Decimal("100.00"), "all or nothing"
    with pytest.raises(RuleViolation):
        plan.apply_budget_change([line("6130000", "-1.00")])


def test_an_internal_adjustment_moves_estimates_inside_one_total() -> None:
    a, b = credit("6140000", "100.00"), credit("6130000", "50.00")
    plan = budget(a, b)
    plan.adjust([line("6140000", "-30.00"), line("6130000", "30.00")])
    assert (plan.credits[a.key].amount, plan.credits[b.key].amount) == (Decimal("70.00"), Decimal("80.00"))
    assert plan.totals[a.total_key].amount == Decimal("150.00")


@pytest.mark.parametrize(
    "lines",
    [
        [line("6140000", "-30.00"), line("2210000", "30.00")],  # two totals
        [line("6140000", "-30.00"), line("6130000", "20.00")],  # does not net to zero
        [line("6140000", "-30.00"), line("6130000", "30.00", year=2027)],  # two years
        [line("6140000", "-30.00"), line("6130000", "30.00", entity=LegalEntity.OCMW)],  # two entities
    ],
)
def test_an_adjustment_that_changes_a_total_is_refused(lines: list[ChangeLine]) -> None:
    plan = budget(credit("6140000", "100.00"), credit("6130000", "50.00"), credit("2210000", "10.00"))
    with pytest.raises(RuleViolation) as info:
        plan.adjust(lines)
    assert info.value.code == "adjustment_changes_total"
    assert not plan.changed_credits


def test_an_adjustment_needs_existing_credits_and_respects_commitments() -> None:
    plan = budget(credit("6140000", "100.00", committed="90.00"), credit("6130000", "50.00"))
    with pytest.raises(RuleViolation) as unknown:
        plan.adjust([line("6140000", "-5.00"), line("6150000", "5.00")])
    assert unknown.value.code == "unknown_credit"
    with pytest.raises(RuleViolation) as below:
        plan.adjust([line("6140000", "-10.01"), line("6130000", "10.01")])
    assert below.value.code == "below_committed"


def test_carry_over_moves_only_unused_investment_and_financing_credit() -> None:
    inv = credit("2210000", "1000.00", action="AC-2", committed="400.00")
    loans = credit("2900000", "50.00")
    op = credit("6140000", "100.00")
    plan = budget(inv, loans, op)
    lines = carry_over_lines([inv, loans, op], G, 2026)
    assert [(x.credit_key, x.change) for x in lines] == [
        ("gemeente/2026/2210000/0119/AC-2", Decimal("-600.00")),
        ("gemeente/2027/2210000/0119/AC-2", Decimal("600.00")),
        ("gemeente/2026/2900000/0119/-", Decimal("-50.00")),
        ("gemeente/2027/2900000/0119/-", Decimal("50.00")),
    ]
    old, new, _, _ = plan.apply_budget_change(lines)
    assert old.amount == old.committed == Decimal("400.00")
    assert (new.financial_year, new.amount, new.committed) == (2027, Decimal("600.00"), Decimal(0))
    assert plan.totals[(G, 2026, CreditTotal.INVESTMENT)].amount == Decimal("400.00")
    assert plan.totals[(G, 2027, CreditTotal.INVESTMENT)].amount == Decimal("600.00")
    assert plan.totals[(G, 2027, CreditTotal.FINANCING)].amount == Decimal("50.00")
    assert plan.credits[op.key].amount == Decimal("100.00")


def test_a_chosen_carry_over_never_moves_more_than_is_unused_nor_an_operating_credit() -> None:
    inv = credit("2210000", "1000.00", action="AC-2", committed="400.00")
    op = credit("6140000", "100.00")
    [down, up] = carry_over_lines([inv, op], G, 2026, [(inv.key, Decimal("250.00"))])
    assert (down.change, up.change, up.financial_year) == (Decimal("-250.00"), Decimal("250.00"), 2027)
    with pytest.raises(RuleViolation) as too_much:
        carry_over_lines([inv], G, 2026, [(inv.key, Decimal("600.01"))])
    assert too_much.value.code == "carry_over_exceeds_unused"
    with pytest.raises(RuleViolation) as operating:
        carry_over_lines([op], G, 2026, [(op.key, None)])
    assert operating.value.code == "not_carried_over"
    with pytest.raises(RuleViolation) as nothing:
        carry_over_lines([credit("2210000", "10.00", committed="10.00")], G, 2026)
    assert nothing.value.code == "nothing_to_carry_over"


def test_the_carry_over_deadline_is_1_march_of_the_next_year() -> None:
    assert str(carry_over_deadline(2026)) == "2027-03-01"


# --- no interleaving makes a limitative total go negative -----------------------------------

_cents = st.integers(min_value=1, max_value=2_000_000).map(lambda c: Decimal(c).scaleb(-2))
_signed = st.integers(min_value=-2_000_000, max_value=2_000_000).map(lambda c: Decimal(c).scaleb(-2))
_ACCOUNTS = ("6140000", "6130000", "6150000", "2210000")
_op = st.one_of(
    st.tuples(st.just("commit"), st.sampled_from(_ACCOUNTS), _cents),
    st.tuples(st.just("change"), st.sampled_from(_ACCOUNTS), _signed),
    st.tuples(st.just("adjust"), st.tuples(st.sampled_from(_ACCOUNTS), st.sampled_from(_ACCOUNTS)), _cents),
)


@settings(max_examples=300)
@given(ops=st.lists(_op, max_size=60), amounts=st.tuples(_cents, _cents, _cents, _cents))
def test_no_interleaving_of_commitments_changes_and_adjustments_overspends(
    ops: list[tuple[str, object, Decimal]], amounts: tuple[Decimal, ...]
) -> None:
    plan = budget(*(credit(account, str(a)) for account, a in zip(_ACCOUNTS, amounts, strict=True)))
    committed = dict.fromkeys(_ACCOUNTS, Decimal(0))
    for kind, target, amount in ops:
        before = ({k: (c.amount, c.committed) for k, c in plan.credits.items()}, dict(plan.totals))
        question: Refusal | None
        operation: Callable[[], object]
        if kind == "commit":
            assert isinstance(target, str)
            key = line(target, "0").key
            question, operation = plan.commitment_refusal(key, amount), partial(plan.commit, key, amount)
        elif kind == "change":
            assert isinstance(target, str)
            change = [line(target, str(amount))]
            question, operation = plan.budget_change_refusal(change), partial(plan.apply_budget_change, change)
        else:
            assert isinstance(target, tuple)
            src, dst = target
            if src == dst:
                continue
            moves = [line(src, str(-amount)), line(dst, str(amount))]
            question, operation = plan.adjustment_refusal(moves), partial(plan.adjust, moves)
        if question is None:
            operation()
            if kind == "commit":
                assert isinstance(target, str)
                committed[target] += amount
        else:
            with pytest.raises(RuleViolation) as refused:
                operation()
            assert refused.value.code == question.code, "the operation refuses with its question's answer"
            after = ({k: (c.amount, c.committed) for k, c in plan.credits.items()}, dict(plan.totals))
            assert after == before, "a refused operation changes nothing"
        for total in plan.totals.values():
            assert total.available >= 0, f"{total.total} went negative"
            members = [c for c in plan.credits.values() if c.total_key == total.key]
            assert total.amount == sum(c.amount for c in members)
            assert total.committed == sum(c.committed for c in members)
        for c in plan.credits.values():
            assert 0 <= c.committed <= c.amount
    assert {c.economic_account: c.committed for c in plan.credits.values()} == committed
