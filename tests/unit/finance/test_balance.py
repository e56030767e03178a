"""The financial balance test (BVR BBC art. 16; schema M2 of the MB of 26 June 2018)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from services.finance.domain.balance import balance_test
from services.finance.domain.budget import ChangeLine
from services.finance.domain.model import OpeningResult
from shared.vocabulary import Flow, LegalEntity

G, OC = LegalEntity.GEMEENTE, LegalEntity.OCMW


def _line(year: int, account: str, amount: str, flow: Flow = Flow.EXPENSE, entity: LegalEntity = G) -> ChangeLine:
    return ChangeLine(entity, year, account, "0010", "", Decimal(amount), flow=flow)


def test_schema_m2_worked_example() -> None:
    """One year by hand: I exploitatie, II investeringen, IV financiering, V result, VII cumulated, AFM."""
    lines = [
        _line(2026, "7300000", "1000.00", Flow.RECEIPT),  # operating receipt
        _line(2026, "6140000", "700.00"),  # operating expense
        _line(2026, "6500000", "50.00"),  # interest: operating too
        _line(2026, "2210000", "400.00"),  # investment expense
        _line(2026, "1500000", "100.00", Flow.RECEIPT),  # investment subsidy received
        _line(2026, "1710000", "200.00", Flow.RECEIPT),  # loan taken up
        _line(2026, "4200000", "120.00"),  # periodic repayment
        _line(2026, "2900000", "30.00"),  # loan granted
        _line(2026, "2900000", "20.00", Flow.RECEIPT),  # granted loan repaid
        _line(2026, "6300000", "999.00"),  # depreciation: in no rubric
    ]
    [test] = balance_test([], [], [OpeningResult(G, 2026, Decimal("50.00"))], change=lines)
    [year] = test.years
    assert year.operating_balance == Decimal("250.00")  # 1000 - 700 - 50
    assert year.investment_balance == Decimal("-300.00")  # 100 - 400
    assert year.financing_balance == Decimal("70.00")  # 200 + 20 - 120 - 30
    assert year.budget_result == Decimal("20.00")
    assert year.available_result == Decimal("70.00")  # opening 50 + 20
    assert year.self_financing_margin == Decimal("150.00")  # 250 - (120 - 20)
    assert test.passed


def test_a_negative_available_result_in_any_year_breaks_the_balance() -> None:
    lines = [_line(2026, "7300000", "100.00", Flow.RECEIPT), _line(2027, "2210000", "500.00")]
    [test] = balance_test([], [], [OpeningResult(G, 2026, Decimal("10.00"))], change=lines)
    refusal = test.refusal()
    assert refusal is not None
    assert refusal.code == "plan_not_in_balance"
    assert "available budgetary result of 2027 is -390.00" in refusal.message


def test_a_negative_self_financing_margin_counts_only_in_the_last_year() -> None:
    # 2026's margin is negative (repayments exceed the operating balance): allowed, not the last year.
    lines = [
        _line(2026, "7300000", "100.00", Flow.RECEIPT),
        _line(2026, "4200000", "150.00"),
        _line(2027, "7300000", "100.00", Flow.RECEIPT),
        _line(2027, "4200000", "50.00"),
    ]
    [test] = balance_test([], [], [OpeningResult(G, 2026, Decimal("1000.00"))], change=lines)
    assert [y.self_financing_margin for y in test.years] == [Decimal("-50.00"), Decimal("50.00")]
    assert test.passed
    [late] = balance_test(
        [],
        [],
        [OpeningResult(G, 2026, Decimal("1000.00"))],
        change=[*reversed(lines), _line(2028, "4200000", "1.00")],
    )
    refusal = late.refusal()
    assert refusal is not None
    assert "self-financing margin of the last year, 2028, is -1.00" in refusal.message


def test_the_integrated_plan_or_each_entity() -> None:
    """The gemeente's surplus covers the OCMW's deficit in the integrated plan, not entity by entity."""
    lines = [_line(2026, "7300000", "100.00", Flow.RECEIPT), _line(2026, "6140000", "60.00", entity=OC)]
    [integrated] = balance_test([], [], [], change=lines)
    assert integrated.passed
    assert integrated.entity is None
    gemeente, ocmw = balance_test([], [], [], change=lines, per_entity=True)
    assert (gemeente.entity, gemeente.passed, ocmw.entity, ocmw.passed) == (G, True, OC, False)


amounts = st.decimals(min_value=0, max_value=10_000_000, places=2)


@settings(max_examples=200, deadline=None)
@given(
    opening=st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2),
    years=st.lists(st.tuples(amounts, amounts, amounts, amounts), min_size=1, max_size=6),
)
def test_the_cumulated_result_is_the_opening_plus_every_years_result(
    opening: Decimal, years: list[tuple[Decimal, Decimal, Decimal, Decimal]]
) -> None:
    lines: list[ChangeLine] = []
    for i, (receipts, expenses, investment, repayments) in enumerate(years):
        y = 2026 + i
        lines += [
            _line(y, "7300000", str(receipts), Flow.RECEIPT),
            _line(y, "6140000", str(expenses)),
            _line(y, "2210000", str(investment)),
            _line(y, "4200000", str(repayments)),
        ]
    [test] = balance_test([], [], [OpeningResult(G, 2026, opening)], change=lines)
    assert [y.financial_year for y in test.years] == list(range(2026, 2026 + len(years)))
    running = opening
    for row, (receipts, expenses, investment, repayments) in zip(test.years, years, strict=True):
        assert row.budget_result == receipts - expenses - investment - repayments
        running += row.budget_result
        assert row.available_result == running
        assert row.self_financing_margin == receipts - expenses - repayments
    in_balance = all(y.available_result >= 0 for y in test.years) and test.years[-1].self_financing_margin >= 0
    assert test.passed is in_balance
