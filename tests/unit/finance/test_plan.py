"""Reading the multi-year plan from CSV."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.finance.adapters.demo import demo_plan_csv
from services.finance.domain.balance import balance_test
from services.finance.domain.changes import ChangeKind
from services.finance.domain.model import CreditTotal, Estimate, OpeningResult
from services.finance.domain.plan import parse_plan_csv, plan_tree, stage
from shared.kernel import RuleViolation
from shared.vocabulary import Flow, LegalEntity

HEADER = "entity,financial_year,total,economic_account,policy_field,action,investment_project,amount,description\n"
GOOD = "gemeente,2026,operating,6140000,0119,AC-1.1.1,,250000.00,Werkingskosten\n"


@pytest.mark.parametrize("first_year", [2026, 2027, 2040])
def test_the_demo_plan_covers_six_years_for_both_entities_and_is_in_balance(first_year: int) -> None:
    plan = parse_plan_csv(demo_plan_csv(first_year))
    lines = plan.lines
    assert {line.financial_year for line in lines} == set(range(first_year, first_year + 6))
    assert {line.entity for line in lines} == {LegalEntity.GEMEENTE, LegalEntity.OCMW}
    assert {(o.entity, o.financial_year) for o in plan.openings} == {
        (LegalEntity.GEMEENTE, first_year),
        (LegalEntity.OCMW, first_year),
    }
    assert len(plan_tree(lines).objectives) == 4
    financing = next(line for line in lines if line.total is CreditTotal.FINANCING)
    assert financing.action == ""
    assert financing.credit_key.endswith("/-")
    investment = next(line for line in lines if line.investment_project)
    assert investment.total is CreditTotal.INVESTMENT
    assert {line.flow for line in lines if line.total is None} == {Flow.RECEIPT, Flow.EXPENSE}
    assert all(isinstance(line.amount, Decimal) for line in lines)
    staged = stage(plan, [], [], [])
    assert [s.kind for s in staged] == [ChangeKind.PLAN, ChangeKind.PLAN]
    changes = [line for s in staged for line in s.lines]
    for per_entity in (False, True):
        tests = balance_test([], [], plan.openings, change=changes, per_entity=per_entity)
        assert all(t.passed for t in tests), [t.refusal() for t in tests]


def test_an_amount_of_the_demo_plan_depends_on_its_year_only() -> None:
    """A later start adds years without changing those in force."""
    now = {line.key: line.amount for line in parse_plan_csv(demo_plan_csv(2026)).lines}
    later = {line.key: line.amount for line in parse_plan_csv(demo_plan_csv(2028)).lines}
    shared = now.keys() & later.keys()
    assert {k[1] for k in shared} == {2028, 2029, 2030, 2031}
    assert all(now[k] == later[k] for k in shared)


def test_a_plan_line_becomes_a_fresh_credit() -> None:
    [line] = parse_plan_csv(HEADER + "ocmw,2026,operating,6140000,0900,,,12.5,Werking\n").lines
    credit = line.to_credit()
    assert credit.amount == Decimal("12.50")
    assert credit.committed == 0
    assert credit.credit_key == "ocmw/2026/6140000/0900/-"


@pytest.mark.parametrize(
    ("bad_line", "column"),
    [
        ("district,2026,operating,6140000,0119,,,1.00,x\n", "entity"),
        ("gemeente,2026,capital,6140000,0119,,,1.00,x\n", "total"),
        ("gemeente,2026,operating,614,0119,,,1.00,x\n", "economic_account"),
        ("gemeente,2026,operating,61400000000,0119,,,1.00,x\n", "economic_account"),
        ("gemeente,2026,operating,6140000,119,,,1.00,x\n", "policy_field"),
        ("gemeente,2026,operating,6140000,0119,,,0.00,x\n", "amount"),
        ("gemeente,2026,operating,6140000,0119,,,-5.00,x\n", "amount"),
        ("gemeente,2026,operating,6140000,0119,,,1.005,x\n", "amount"),
        ("gemeente,2026,operating,6140000,0119,,,1e3,x\n", "amount"),
        ("gemeente,2026,operating,6140000,0119,,,abc,x\n", "amount"),
        ("gemeente,26,operating,6140000,0119,,,1.00,x\n", "financial_year"),
        ("gemeente,2026,investment,6140000,0119,,,1.00,x\n", "total"),
        ("gemeente,2026,operating,7000000,0119,,,1.00,x\n", "economic_account"),
        # Digits of other scripts, which Python's `\d` and `int` accept:
        ("gemeente,٢٠٢٦,operating,6140000,0119,,,1.00,x\n", "financial_year"),
        ("gemeente,2026,operating,6140000,٠١١٩,,,1.00,x\n", "policy_field"),
        ("gemeente,2026,operating,6140000,0119,,,١٫٠٠,x\n", "amount"),
        # Plan codes go into credit keys, which messages bound:
        ("gemeente,2026,operating,6140000,0119," + "A" * 65 + ",,1.00,x\n", "action"),
        ("gemeente,2026,investment,2210000,0200,,IP-" + "9" * 62 + ",1.00,x\n", "investment_project"),
        ("gemeente,2026,,6300000,0119,,,1.00,x\n", "economic_account"),
        ("gemeente,2026,operating,4200000,0119,,,1.00,x\n", "total"),
    ],
)
def test_errors_name_line_and_column(bad_line: str, column: str) -> None:
    with pytest.raises(RuleViolation) as info:
        parse_plan_csv(HEADER + GOOD + bad_line)
    assert info.value.code == "invalid_plan"
    assert str(info.value).startswith(f"line 3, column {column}: ")


def test_a_duplicate_key_is_refused_with_both_lines() -> None:
    with pytest.raises(RuleViolation, match="first on line 2") as info:
        parse_plan_csv(HEADER + GOOD + GOOD.replace("250000.00", "1.00"))
    assert info.value.code == "invalid_plan"
    assert info.value.message.startswith("line 3, column key: ")


def test_a_missing_column_is_named() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_plan_csv(HEADER.replace(",description", "") + GOOD)
    assert info.value.message == "line 1, column description: missing column"


def test_the_total_is_derived_from_the_account_and_kind_when_the_column_is_absent() -> None:
    header = "entity,financial_year,kind,economic_account,policy_field,action,amount,description\n"
    lines = parse_plan_csv(
        header
        + "ocmw,2026,,2900000,0090,,10.00,Leningen\n"
        + "ocmw,2026,receipt,1710000,0090,,5.00,Op te nemen\n"
        + "ocmw,2026,expense,1710000,0090,,3.00,Vervroegde aflossing\n"
        + "ocmw,2026,expense,4200000,0090,,2.00,Aflossing\n"
        + "ocmw,2026,receipt,7400000,0900,,9.00,Gemeentefonds\n"
    ).lines
    assert [(line.total, line.flow) for line in lines] == [
        (CreditTotal.FINANCING, Flow.EXPENSE),
        (CreditTotal.LOAN_RECEIPTS, Flow.RECEIPT),
        (None, Flow.EXPENSE),
        (None, Flow.EXPENSE),
        (None, Flow.RECEIPT),
    ]


def test_a_loan_receipts_total_column_makes_the_line_a_receipt() -> None:
    [line] = parse_plan_csv(HEADER + "ocmw,2026,loan_receipts,1710000,0090,,,5.00,Op\n").lines
    assert (line.total, line.flow) == (CreditTotal.LOAN_RECEIPTS, Flow.RECEIPT)


def test_an_opening_result_may_be_negative_and_is_given_once_per_entity() -> None:
    header = "entity,financial_year,kind,economic_account,policy_field,action,amount,description\n"
    plan = parse_plan_csv(header + "gemeente,2026,opening_result,,,,-125.50,Tekort\n")
    assert plan.openings == (OpeningResult(LegalEntity.GEMEENTE, 2026, Decimal("-125.50")),)
    with pytest.raises(RuleViolation, match="line 3, column kind: a second opening result"):
        parse_plan_csv(header + "gemeente,2026,opening_result,,,,1.00,x\ngemeente,2026,opening_result,,,,2.00,y\n")


STAGE_HEADER = "entity,financial_year,kind,economic_account,policy_field,action,amount,description\n"


def test_staging_compares_with_the_plan_in_force() -> None:
    [in_force] = parse_plan_csv(HEADER + GOOD).lines
    receipt = Estimate(LegalEntity.GEMEENTE, 2026, "7300000", "0020", "", Flow.RECEIPT, Decimal("500.00"))
    plan = parse_plan_csv(
        STAGE_HEADER
        + "gemeente,2026,expense,6140000,0119,AC-1.1.1,260000.00,Meer\n"  # changed by +10000
        + "gemeente,2026,receipt,7300000,0020,,500.00,Belasting\n"  # unchanged
        + "gemeente,2027,expense,6140000,0119,AC-1.1.1,1.00,Nieuw\n"  # added
        + "ocmw,2026,opening_result,,,,7.00,x\n"
    )
    opening = OpeningResult(LegalEntity.GEMEENTE, 2025, Decimal("1.00"))
    gemeente, ocmw = stage(plan, [in_force.to_credit()], [receipt], [opening])
    assert (gemeente.kind, gemeente.added, gemeente.changed, gemeente.unchanged) == (ChangeKind.CHANGE, 1, 1, 1)
    assert [(x.financial_year, x.change) for x in gemeente.lines] == [
        (2026, Decimal("10000.00")),
        (2027, Decimal("1.00")),
    ]
    assert (ocmw.kind, ocmw.lines, ocmw.opening) == (ChangeKind.PLAN, (), plan.openings[0])
    with pytest.raises(RuleViolation, match="belongs to its plan's first year, 2025"):
        stage(parse_plan_csv(STAGE_HEADER + "gemeente,2026,opening_result,,,,3.00,x\n"), [], [], [opening])


TREE = "entity,financial_year,economic_account,policy_field,policy_objective,action_plan,action,amount,description\n"


@pytest.mark.parametrize(
    ("second", "column"),
    [
        ("gemeente,2026,6130000,0119,BD-1,AP-9,AC-1,1.00,x\n", "action_plan"),  # action in another plan
        ("gemeente,2026,6130000,0119,BD-2,AP-1,AC-2,1.00,x\n", "policy_objective"),  # plan under another objective
        ("gemeente,2026,6130000,0119,,AP-1,AC-2,1.00,x\n", "policy_objective"),  # plan without objective
    ],
)
def test_the_strategic_tree_must_be_consistent(second: str, column: str) -> None:
    with pytest.raises(RuleViolation) as info:
        parse_plan_csv(TREE + "gemeente,2026,6140000,0119,BD-1,AP-1,AC-1,1.00,x\n" + second)
    assert info.value.message.startswith(f"line 3, column {column}: ")


def test_the_demo_plan_leaves_out_what_is_in_force() -> None:
    full = parse_plan_csv(demo_plan_csv(2026))
    in_force = frozenset(line.key for line in full.lines if line.financial_year < 2028)
    rest = parse_plan_csv(demo_plan_csv(2026, openings=False, skip=in_force))
    assert {line.financial_year for line in rest.lines} == {2028, 2029, 2030, 2031}
    assert rest.openings == ()
    assert len(rest.lines) == len(full.lines) - len(in_force)
