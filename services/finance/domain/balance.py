"""The financial balance of the multi-year plan (financieel evenwicht), as the BBC decree tests it.

**The norms** (BVR BBC of 30 March 2018, art. 16; lokaalbestuur.vlaanderen.be "Financieel
evenwicht" [S]): the plan, and every change of it, is in balance when

1. the **beschikbaar budgettair resultaat** is not negative in any financial year of the plan
   (the "toestandsevenwicht"), and
2. the **autofinancieringsmarge** is not negative in the plan's last financial year (the
   "structureel evenwicht").

**The formulas**, as schema M2 (staat van het financieel evenwicht) of the MB of 26 June 2018
lays them out, per financial year (rubric numbers of M2; the begrippenlijst of
lokaalbestuur.vlaanderen.be defines them [S]; the exact sub-rubrics are [K]):

    I    exploitatiesaldo               = exploitatie-ontvangsten − exploitatie-uitgaven
    II   investeringssaldo              = investeringsontvangsten − investeringsuitgaven
    III  saldo exploitatie en investeringen = I + II
    IV   financieringssaldo             = financieringsontvangsten − financieringsuitgaven
    V    budgettair resultaat boekjaar  = III + IV
    VI   gecumuleerd budgettair resultaat vorig boekjaar (the opening result in the first year)
    VII  gecumuleerd budgettair resultaat = V + VI
    VIII onbeschikbare gelden           (not kept by finance: 0)
    IX   beschikbaar budgettair resultaat = VII − VIII

    autofinancieringsmarge = financieel draagvlak − netto periodieke leningsuitgaven
      financieel draagvlak          = exploitatie-ontvangsten − (exploitatie-uitgaven − nettokosten van schulden)
      netto periodieke leningsuitgaven = netto periodieke aflossingen + nettokosten van schulden
      netto periodieke aflossingen  = periodieke aflossingen − terugvorderingen van toegestane leningen
    so: autofinancieringsmarge = I − (periodieke aflossingen − terugvorderingen van toegestane leningen)

The interest (nettokosten van schulden, class 65) cancels out, which is why the plan needs only
its operating figures, the periodic repayments (42x) and the repaid granted loans (29x receipts).
Which rubric an account belongs to is `accounts.ACCOUNT_MAP`.

Whether the test covers the integrated plan (gemeente and OCMW together: the default, as the
councils adopt one integrated plan and the gemeente bears the OCMW's consequences [K]) or each
entity on its own is `FinancePolicy.balance_per_entity`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from services.finance.domain.accounts import Category, CreditTotal, classify
from services.finance.domain.budget import ChangeLine
from services.finance.domain.model import ZERO, Credit, Estimate, OpeningResult
from shared.kernel import Refusal, RuleViolation
from shared.vocabulary import Flow, LegalEntity

__all__ = ["MONEY_BOUND", "BalanceTest", "BalanceYear", "PlanFigures", "YearFigures", "balance_test"]

#: No amount reaches this: money has 15 digits, 2 of them decimals (`shared.vocabulary.Money`).
MONEY_BOUND = Decimal(10) ** 13


@dataclass(frozen=True)
class YearFigures:
    """The receipts and expenses of one financial year, by rubric of schema M2."""

    operating_receipts: Decimal = ZERO
    operating_expenses: Decimal = ZERO
    investment_receipts: Decimal = ZERO
    investment_expenses: Decimal = ZERO
    financing_receipts: Decimal = ZERO
    financing_expenses: Decimal = ZERO
    periodic_repayments: Decimal = ZERO
    """Part of the financing expenses: periodieke aflossingen van financiële schulden."""
    loans_repaid: Decimal = ZERO
    """Part of the financing receipts: terugvorderingen van toegestane leningen."""

    def plus(self, category: Category, flow: Flow, amount: Decimal) -> YearFigures:
        """These figures with `amount` added where an amount of this category and flow belongs."""
        receipt = flow is Flow.RECEIPT
        match category:
            case Category.OPERATING:
                field_ = "operating_receipts" if receipt else "operating_expenses"
            case Category.INVESTMENT:
                field_ = "investment_receipts" if receipt else "investment_expenses"
            case Category.FINANCING | Category.PERIODIC_REPAYMENT | Category.LOAN_REPAID:
                field_ = "financing_receipts" if receipt else "financing_expenses"
            case _:
                return self  # no cash flow: in no rubric
        figures = replace(self, **{field_: getattr(self, field_) + amount})
        if category is Category.PERIODIC_REPAYMENT and not receipt:
            figures = replace(figures, periodic_repayments=figures.periodic_repayments + amount)
        if category is Category.LOAN_REPAID and receipt:
            figures = replace(figures, loans_repaid=figures.loans_repaid + amount)
        return figures


@dataclass(frozen=True)
class BalanceYear:
    """One financial year of schema M2, with its autofinancieringsmarge."""

    financial_year: int
    operating_balance: Decimal
    """I. exploitatiesaldo."""
    investment_balance: Decimal
    """II. investeringssaldo."""
    financing_balance: Decimal
    """IV. financieringssaldo."""
    budget_result: Decimal
    """V. budgettair resultaat van het boekjaar."""
    cumulated_result: Decimal
    """VII. gecumuleerd budgettair resultaat (IX as well: finance keeps no unavailable funds)."""
    self_financing_margin: Decimal
    """Autofinancieringsmarge."""

    @property
    def available_result(self) -> Decimal:
        """IX. beschikbaar budgettair resultaat."""
        return self.cumulated_result


@dataclass(frozen=True)
class BalanceTest:
    """The outcome of the test for one scope (the integrated plan, or one entity)."""

    years: tuple[BalanceYear, ...]
    entity: LegalEntity | None = None
    """None for the integrated plan of both entities."""

    def refusal(self) -> Refusal | None:
        """Why the plan is not in balance (the first norm it breaks), or None."""
        scope = "the integrated plan" if self.entity is None else f"the {self.entity.value}'s plan"
        for year in self.years:
            if year.available_result < 0:
                return Refusal(
                    "plan_not_in_balance",
                    f"{scope}: the available budgetary result of {year.financial_year} is"
                    f" {year.available_result:.2f}, below zero (BVR BBC art. 16, 1°)",
                )
        if self.years and self.years[-1].self_financing_margin < 0:
            last = self.years[-1]
            return Refusal(
                "plan_not_in_balance",
                f"{scope}: the self-financing margin of the last year, {last.financial_year}, is"
                f" {last.self_financing_margin:.2f}, below zero (BVR BBC art. 16, 2°)",
            )
        return None

    @property
    def passed(self) -> bool:
        return self.refusal() is None

    def ensure_within_bounds(self) -> None:
        """Every figure of the test fits an amount of money (15 digits, 2 decimals), as stored and announced.

        A change of extreme amounts can push a year's result past it even when each line fits: such a
        plan is refused (`amount_out_of_range`) rather than stored with figures no report can show.
        """
        for year in self.years:
            for name, value in vars(year).items():
                if name != "financial_year" and abs(value) >= MONEY_BOUND:
                    raise RuleViolation(
                        "amount_out_of_range",
                        f"the {name.replace('_', ' ')} of {year.financial_year} would be {value:.2f},"
                        f" beyond the {MONEY_BOUND - Decimal('0.01'):.2f} an amount may reach",
                    )


@dataclass
class PlanFigures:
    """The plan of one scope summed per year, with the opening result of its first year."""

    years: dict[int, YearFigures] = field(default_factory=dict)
    opening: Decimal = ZERO
    opening_year: int | None = None

    def add(self, economic_account: str, flow: Flow, financial_year: int, amount: Decimal) -> None:
        figures = self.years.setdefault(financial_year, YearFigures())
        rule = classify(economic_account, flow)
        if rule is not None:
            self.years[financial_year] = figures.plus(rule.category, flow, amount)

    def open_with(self, result: OpeningResult) -> None:
        self.opening += result.amount
        self.opening_year = (
            result.financial_year if self.opening_year is None else min(self.opening_year, result.financial_year)
        )

    def test(self, entity: LegalEntity | None) -> BalanceTest:
        """Schema M2 year by year, from the plan's first year to its last."""
        years = set(self.years) | ({self.opening_year} if self.opening_year is not None else set())
        if not years:
            return BalanceTest((), entity)
        cumulated = ZERO
        rows: list[BalanceYear] = []
        for year in range(min(years), max(years) + 1):
            f = self.years.get(year, YearFigures())
            if year == self.opening_year:
                cumulated += self.opening  # VI of the first year
            operating = f.operating_receipts - f.operating_expenses
            investment = f.investment_receipts - f.investment_expenses
            financing = f.financing_receipts - f.financing_expenses
            result = operating + investment + financing
            cumulated += result
            margin = operating - (f.periodic_repayments - f.loans_repaid)
            rows.append(BalanceYear(year, operating, investment, financing, result, cumulated, margin))
        return BalanceTest(tuple(rows), entity)


def balance_test(
    credits: Iterable[Credit],  # noqa: A002 - the plan's credits, as everywhere in finance
    estimates: Iterable[Estimate],
    openings: Iterable[OpeningResult],
    *,
    change: Sequence[ChangeLine] = (),
    opening: OpeningResult | None = None,
    per_entity: bool = False,
) -> tuple[BalanceTest, ...]:
    """The balance of the plan in force with `change` (and a new `opening` result) applied.

    Credits count with their estimate (`amount`), whatever is committed on them. Answers one test
    for the integrated plan, or one per entity when `per_entity`.
    """
    scopes: dict[LegalEntity | None, PlanFigures] = {}

    def scope(entity: LegalEntity) -> PlanFigures:
        return scopes.setdefault(entity if per_entity else None, PlanFigures())

    for c in credits:
        flow = Flow.RECEIPT if c.total is CreditTotal.LOAN_RECEIPTS else Flow.EXPENSE
        scope(c.entity).add(c.economic_account, flow, c.financial_year, c.amount)
    for e in estimates:
        scope(e.entity).add(e.economic_account, e.flow, e.financial_year, e.amount)
    for line in change:
        scope(line.entity).add(line.economic_account, line.flow, line.financial_year, line.change)
    kept = [o for o in openings if opening is None or o.entity is not opening.entity]
    for o in [*kept, *([opening] if opening is not None else [])]:
        scope(o.entity).open_with(o)
    return tuple(
        figures.test(entity) for entity, figures in sorted(scopes.items(), key=lambda s: s[0].value if s[0] else "")
    )
