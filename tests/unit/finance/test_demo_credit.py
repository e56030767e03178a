"""`rw demo` commits on one credit of the demo plan: enough for many runs, and a clear word when it is not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cli.demo import credit_problem, demo_proposal
from services.finance.adapters.demo import demo_plan_csv
from services.finance.domain.plan import parse_plan_csv
from shared.contracts.finance import CreditLine
from shared.vocabulary import LegalEntity

#: The runs `make bench-demo` makes against one `make run`, with room for the other demos and tests.
RUNS = 500


def _demo_credit(year: int) -> Decimal:
    impact = demo_proposal(dt.date(year, 6, 1)).financial_impact
    assert impact is not None
    key = (impact.entity, year, impact.economic_account, impact.policy_field, impact.action or "")
    lines = {line.key[:5]: line for line in parse_plan_csv(demo_plan_csv(year)).lines}
    return lines[key].amount


@pytest.mark.parametrize("year", [2026, 2027, 2031, 2045])
def test_the_demo_plan_holds_the_demos_commitment_many_hundred_times_in_any_year(year: int) -> None:
    impact = demo_proposal(dt.date(year, 6, 1)).financial_impact
    assert impact is not None
    assert impact.financial_year == year
    assert _demo_credit(year) >= (RUNS + 100) * impact.amount


def _line(available: str) -> CreditLine:
    return CreditLine(
        credit_key="gemeente/2026/6140000/0119/AC-1.1.1",
        entity=LegalEntity.GEMEENTE,
        total="operating",
        financial_year=2026,
        amount=Decimal("12500000.00"),
        committed=Decimal("12500000.00") - Decimal(available),
        available=Decimal(available),
        description="Werkingskosten openbaar domein",
    )


def test_the_demo_says_which_credit_is_exhausted_and_how_to_add_to_it() -> None:
    impact = demo_proposal(dt.date(2026, 6, 1)).financial_impact
    assert impact is not None
    assert credit_problem(impact, (_line("18500.00"),)) is None
    problem = credit_problem(impact, (_line("18499.99"),))
    assert problem is not None
    assert "gemeente/2026/6140000/0119/AC-1.1.1 is exhausted: 18499.99 left" in problem
    assert "rw finance adjust --entity gemeente --year 2026" in problem
    assert "--to 6140000/0119/AC-1.1.1" in problem
    assert "budget change the gemeenteraad adopts" in problem
    missing = credit_problem(impact, ())
    assert missing is not None
    assert "not in force" in missing
