"""Reading the multi-year plan from CSV."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from services.finance.adapters.demo import PLAN_CSV
from services.finance.domain.model import CreditTotal
from services.finance.domain.plan import parse_plan_csv, plan_tree
from shared.kernel import RuleViolation
from shared.vocabulary import LegalEntity

HEADER = "entity,financial_year,total,economic_account,policy_field,action,investment_project,amount,description\n"
GOOD = "gemeente,2026,operating,6140000,0119,AC-1.1.1,,250000.00,Werkingskosten\n"


def test_the_demo_plan_parses() -> None:
    lines = parse_plan_csv(Path(PLAN_CSV).read_text(encoding="utf-8"))
    assert len(lines) == 13
    assert {line.entity for line in lines} == {LegalEntity.GEMEENTE, LegalEntity.OCMW}
    assert len(plan_tree(lines).objectives) == 4
    financing = next(line for line in lines if line.total is CreditTotal.FINANCING)
    assert financing.action == ""
    assert financing.credit_key.endswith("/-")
    investment = next(line for line in lines if line.investment_project)
    assert investment.total is CreditTotal.INVESTMENT
    assert all(isinstance(line.amount, Decimal) for line in lines)


def test_a_plan_line_becomes_a_fresh_credit() -> None:
    [line] = parse_plan_csv(HEADER + "ocmw,2026,operating,6140000,0900,,,12.5,Werking\n")
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


def test_the_total_is_derived_from_the_account_when_the_column_is_absent() -> None:
    header = "entity,financial_year,economic_account,policy_field,action,amount,description\n"
    lines = parse_plan_csv(header + "ocmw,2026,2900000,0090,,10.00,Leningen\nocmw,2026,1710000,0090,,5.00,Op\n")
    assert [line.total for line in lines] == [CreditTotal.FINANCING, CreditTotal.LOAN_RECEIPTS]


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
