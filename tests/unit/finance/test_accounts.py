"""The account table: which limitative total (or none) an amount counts against, by account and flow.

Each row cites the chart of accounts it rests on: the rekeningenstelsel annexed to the ministerial
decree of 26 June 2018 on the BBC (MB 26 juni 2018, as amended by MB 8 December 2023), with the
limitative totals of the BVR BBC of 30 March 2018.
"""

from __future__ import annotations

import pytest

from services.finance.domain.accounts import ACCOUNT_MAP, Category, CreditTotal, classify, total_of
from shared.vocabulary import Flow

E, R = Flow.EXPENSE, Flow.RECEIPT


@pytest.mark.parametrize(
    ("account", "flow", "total", "chart"),
    [
        pytest.param(
            "6640000", E, CreditTotal.INVESTMENT,
            "MB 26 juni 2018, rekeningenstelsel: 664 toegestane investeringssubsidies; schema M3/T2 rubric"
            " I.1.D under I.1 investeringsuitgaven",
            id="664 investment subsidy granted: investment",
        ),
        pytest.param(
            "6300000", E, None,
            "MB 26 juni 2018, rekeningenstelsel: 63 afschrijvingen, waardeverminderingen en voorzieningen;"
            " no expense (uitgave), so no credit",
            id="63x depreciation: no credit",
        ),
        pytest.param(
            "6350000", E, None,
            "MB 26 juni 2018, rekeningenstelsel: 635 voorzieningen voor risico's en kosten (class 63)",
            id="635 provision: no credit",
        ),
        pytest.param(
            "4200000", E, None,
            "MB 26 juni 2018, rekeningenstelsel: 42 schulden op meer dan een jaar die binnen het jaar vervallen;"
            " aflossing financiële schulden, outside the limitative totals of the BVR BBC",
            id="42x repayment: none",
        ),
        pytest.param(
            "1710000", R, CreditTotal.LOAN_RECEIPTS,
            "MB 26 juni 2018, rekeningenstelsel: 17 schulden op meer dan een jaar; BVR BBC limitative total"
            " ontvangsten uit leningen en leasings",
            id="17x loan taken up: the loan-receipts total",
        ),
        pytest.param(
            "1710000", E, None,
            "MB 26 juni 2018, rekeningenstelsel: 17 schulden op meer dan een jaar; a repayment consumes no"
            " limitative credit, least of all the loan receipts",
            id="17x repayment: none",
        ),
        pytest.param(
            "2900000", E, CreditTotal.FINANCING,
            "MB 26 juni 2018, rekeningenstelsel: 29 vorderingen op meer dan een jaar; BVR BBC limitative total"
            " financieringsuitgaven voor toegestane leningen en betalingsuitstel",
            id="29x loan granted: financing",
        ),
        pytest.param(
            "7300000", R, None,
            "MB 26 juni 2018, rekeningenstelsel: 7 opbrengsten (73 belastingen); a receipt is an estimate,"
            " never a credit to spend",
            id="7x receipt: none",
        ),
    ],
)  # fmt: skip
def test_the_total_an_amount_counts_against(account: str, flow: Flow, total: CreditTotal | None, chart: str) -> None:
    assert chart.startswith("MB 26 juni 2018"), "each row cites the chart of accounts"
    assert total_of(account, flow) is total
    rule = classify(account, flow)
    assert rule is not None, f"{account} ({flow.value}) has a row of the table"
    assert "MB 26 June 2018" in rule.source, "the table itself names its source"


@pytest.mark.parametrize(
    ("account", "flow", "category"),
    [
        ("6140000", E, Category.OPERATING),
        ("6500000", E, Category.OPERATING),  # interest: an operating expense
        ("6640000", E, Category.INVESTMENT),
        ("2210000", E, Category.INVESTMENT),
        ("2210000", R, Category.INVESTMENT),  # sale of a fixed asset
        ("1500000", R, Category.INVESTMENT),  # investment subsidy received
        ("4200000", E, Category.PERIODIC_REPAYMENT),
        ("1710000", E, Category.FINANCING),
        ("1710000", R, Category.FINANCING),
        ("2900000", E, Category.FINANCING),
        ("2900000", R, Category.LOAN_REPAID),
        ("7400000", R, Category.OPERATING),
        ("6300000", E, Category.NOT_BUDGETARY),
    ],
)
def test_the_rubric_of_the_balance_test(account: str, flow: Flow, category: Category) -> None:
    rule = classify(account, flow)
    assert rule is not None
    assert rule.category is category


@pytest.mark.parametrize(("account", "flow"), [("7000000", E), ("6140000", R), ("4400000", E), ("5500000", R)])
def test_what_the_plan_has_no_place_for(account: str, flow: Flow) -> None:
    assert classify(account, flow) is None
    assert total_of(account, flow) is None


def test_the_longest_prefix_wins_and_every_row_has_its_source() -> None:
    assert total_of("6640000") is CreditTotal.INVESTMENT, "664 before 6"
    assert total_of("6300000") is None, "63 before 6"
    assert total_of("2900000") is CreditTotal.FINANCING, "29 before 2"
    pairs = [(rule.prefix, rule.flow) for rule in ACCOUNT_MAP]
    assert len(pairs) == len(set(pairs)), "one row per prefix and flow"
    assert all(rule.source and rule.meaning for rule in ACCOUNT_MAP)
    # Only four limitative totals exist, each named by at least one row.
    assert {rule.total for rule in ACCOUNT_MAP} - {None} == set(CreditTotal)


def test_the_documented_table_is_the_table_the_code_uses() -> None:
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "finance.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\d+)` \| (expense|receipt) \| (`\w+`|—) \|", doc, flags=re.M)
    documented = {
        (prefix, Flow(flow), None if total == "—" else CreditTotal(total.strip("`"))) for prefix, flow, total in rows
    }
    assert documented == {(rule.prefix, rule.flow, rule.total) for rule in ACCOUNT_MAP}
