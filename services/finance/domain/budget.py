"""The locked slice of the multi-year plan a transaction works on: credits and their totals.

A handler locks the limitative totals first and then the credits (each in key order, so two
transactions never wait on each other crosswise), builds a `Budget` from the locked rows and
asks it for a commitment, a budget change, an internal adjustment or a carry-over. The
`Budget` keeps two invariants whatever the order of operations:

* for every credit and every total, `0 <= committed <= amount`;
* a total's `amount` and `committed` are the sums over its credits (only a budget change or a
  carry-over changes a total's amount; an internal adjustment never does).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from services.finance.domain.model import (
    ZERO,
    Credit,
    CreditKey,
    CreditRuleError,
    CreditTotal,
    LimitativeTotal,
    TotalKey,
    Verdict,
    credit_key,
    total_of_account,
)
from shared.contracts.base import LegalEntity
from shared.contracts.common import BodyKind

__all__ = [
    "COUNCIL_OF",
    "Budget",
    "BudgetChange",
    "ChangeLine",
    "carry_over_deadline",
    "change_line_json",
    "change_line_of",
]


@dataclass(frozen=True)
class ChangeLine:
    """A signed change of one credit (a budget change may create the credit)."""

    entity: LegalEntity
    financial_year: int
    economic_account: str
    policy_field: str
    action: str
    change: Decimal
    investment_project: str | None = None
    description: str = ""

    @property
    def key(self) -> CreditKey:
        return (self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)

    @property
    def total(self) -> CreditTotal:
        total = total_of_account(self.economic_account)
        if total is None:
            raise CreditRuleError(
                "account_not_limitative",
                f"economic account {self.economic_account} belongs to no limitative total",
            )
        return total

    @property
    def total_key(self) -> TotalKey:
        return (self.entity, self.financial_year, self.total)

    @property
    def credit_key(self) -> str:
        return credit_key(self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)


def carry_over_deadline(from_year: int) -> dt.date:
    """Carry-over of year N is decided before 1 March of N+1."""
    return dt.date(from_year + 1, 3, 1)


class Budget:
    """Credits and limitative totals under lock; operations are all-or-nothing."""

    def __init__(self, locked: Iterable[Credit], totals: Iterable[LimitativeTotal]) -> None:
        self.credits: dict[CreditKey, Credit] = {c.key: c for c in locked}
        self.totals: dict[TotalKey, LimitativeTotal] = {t.key: t for t in totals}
        self.changed_credits: set[CreditKey] = set()
        self.new_credits: set[CreditKey] = set()
        self.changed_totals: set[TotalKey] = set()

    # --- reading ---------------------------------------------------------------------------

    def credit(self, key: CreditKey) -> Credit | None:
        return self.credits.get(key)

    def total_of(self, credit: Credit) -> LimitativeTotal:
        total = self.totals.get(credit.total_key)
        if total is None:
            raise CreditRuleError("no_total", f"no limitative total {credit.total.value} for {credit.credit_key}")
        return total

    def available(self, key: CreditKey) -> Decimal:
        """What can be committed on this credit: limited by the credit and by its total."""
        credit = self.credits.get(key)
        if credit is None:
            return ZERO
        return min(credit.available, self.total_of(credit).available)

    # --- operations ------------------------------------------------------------------------

    def commit(self, key: CreditKey, amount: Decimal) -> Credit:
        """Commit `amount` on a credit; it must fit the credit and its limitative total."""
        if amount <= 0:
            raise CreditRuleError("invalid_amount", f"a commitment must be positive, not {amount}")
        credit = self.credits.get(key)
        if credit is None:
            raise CreditRuleError(Verdict.NO_CREDIT.value, f"no credit {credit_key(*key)}")
        total = self.total_of(credit)
        available = min(credit.available, total.available)
        if amount > available:
            raise CreditRuleError(
                Verdict.INSUFFICIENT_CREDIT.value,
                f"{amount} exceeds the {available} still available on {credit.credit_key}",
            )
        self._set_credit(replace(credit, committed=credit.committed + amount))
        self._set_total(replace(total, committed=total.committed + amount))
        return self.credits[key]

    def apply_budget_change(self, lines: Sequence[ChangeLine]) -> list[Credit]:
        """A council's budget change: credits change, and the totals with them."""
        return self._change(lines, keep_totals=False, create=True)

    def adjust(self, lines: Sequence[ChangeLine]) -> list[Credit]:
        """Internal credit adjustment: moves estimates inside one total of one entity and year."""
        if len({line.total_key for line in lines}) != 1:
            raise CreditRuleError(
                "adjustment_changes_total",
                "an internal adjustment stays inside one limitative total of one entity and year",
            )
        net = sum((line.change for line in lines), ZERO)
        if net != 0:
            raise CreditRuleError(
                "adjustment_changes_total",
                f"an internal adjustment must net to zero, this one changes the total by {net}",
            )
        return self._change(lines, keep_totals=True, create=False)

    def carry_over(self, entity: LegalEntity, from_year: int) -> list[tuple[Credit, Credit, Decimal]]:
        """Move what is unused on every investment credit of `from_year` to the same credit next year.

        Answers `(old credit, new credit, amount moved)` for each credit with something unused.
        """
        moved: list[tuple[Credit, Credit, Decimal]] = []
        sources = sorted(
            (
                c
                for c in self.credits.values()
                if c.entity is entity and c.financial_year == from_year and c.total is CreditTotal.INVESTMENT
            ),
            key=lambda c: c.key,
        )
        for source in sources:
            unused = source.available
            if unused <= 0:
                continue
            lines = [
                ChangeLine(
                    source.entity,
                    from_year,
                    source.economic_account,
                    source.policy_field,
                    source.action,
                    -unused,
                ),
                ChangeLine(
                    source.entity,
                    from_year + 1,
                    source.economic_account,
                    source.policy_field,
                    source.action,
                    unused,
                    source.investment_project,
                    source.description,
                ),
            ]
            old, new = self._change(lines, keep_totals=False, create=True)
            moved.append((old, new, unused))
        return moved

    # --- internals -------------------------------------------------------------------------

    def _change(  # noqa: PLR0912 - validation first, then the changes: one readable sequence
        self, lines: Sequence[ChangeLine], *, keep_totals: bool, create: bool
    ) -> list[Credit]:
        keys = [line.key for line in lines]
        if len(set(keys)) != len(keys):
            raise CreditRuleError("duplicate_credit", "each credit may appear only once in a change")
        # Validate everything first: all or nothing.
        planned: list[Credit] = []
        for line in lines:
            credit = self.credits.get(line.key)
            if credit is None:
                if not create:
                    raise CreditRuleError("unknown_credit", f"no credit {line.credit_key}")
                if line.change < 0:
                    raise CreditRuleError("below_committed", f"a new credit {line.credit_key} cannot be negative")
                credit = Credit(
                    entity=line.entity,
                    financial_year=line.financial_year,
                    total=line.total,
                    economic_account=line.economic_account,
                    policy_field=line.policy_field,
                    action=line.action,
                    investment_project=line.investment_project,
                    description=line.description or line.credit_key,
                    amount=ZERO,
                )
            new_amount = credit.amount + line.change
            if new_amount < credit.committed:
                raise CreditRuleError(
                    "below_committed",
                    f"{line.credit_key} would drop to {new_amount}, below the {credit.committed} already committed",
                )
            planned.append(replace(credit, amount=new_amount))
        deltas: dict[TotalKey, Decimal] = {}
        for line in lines:
            deltas[line.total_key] = deltas.get(line.total_key, ZERO) + line.change
        if keep_totals and any(d != 0 for d in deltas.values()):
            raise CreditRuleError("adjustment_changes_total", "an internal adjustment may not change a total")
        for key, delta in deltas.items():
            total = self.totals.get(key) or LimitativeTotal(key[0], key[1], key[2], ZERO)
            if total.amount + delta < total.committed:
                raise CreditRuleError("below_committed", f"the {key[2].value} total would drop below its commitments")
        # Apply.
        for credit in planned:
            if credit.key not in self.credits:
                self.new_credits.add(credit.key)
            self._set_credit(credit)
        for key, delta in deltas.items():
            total = self.totals.get(key) or LimitativeTotal(key[0], key[1], key[2], ZERO)
            self._set_total(replace(total, amount=total.amount + delta))
        return planned

    def _set_credit(self, credit: Credit) -> None:
        self.credits[credit.key] = credit
        self.changed_credits.add(credit.key)

    def _set_total(self, total: LimitativeTotal) -> None:
        self.totals[total.key] = total
        self.changed_totals.add(total.key)


@dataclass(frozen=True)
class BudgetChange:
    """A budget change (aanpassing) prepared in finance and applied by the council's decision."""

    budget_change_id: uuid.UUID
    entity: LegalEntity
    title: str
    lines: tuple[ChangeLine, ...]
    proposed_by: str
    proposed_at: dt.datetime
    status: str = "proposed"
    """`proposed`, `applied` or `refused`."""
    decision_id: uuid.UUID | None = None
    decided_at: dt.datetime | None = None
    refusal: str | None = None


#: Which council applies a budget change of which entity.
COUNCIL_OF = {LegalEntity.GEMEENTE: BodyKind.GEMEENTERAAD, LegalEntity.OCMW: BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}


def change_line_json(line: ChangeLine) -> dict[str, str]:
    """A change line as JSON (amounts as strings: exact)."""
    return {
        "entity": line.entity.value,
        "financial_year": str(line.financial_year),
        "economic_account": line.economic_account,
        "policy_field": line.policy_field,
        "action": line.action,
        "change": f"{line.change:.2f}",
        "investment_project": line.investment_project or "",
        "description": line.description,
    }


def change_line_of(data: dict[str, str]) -> ChangeLine:
    return ChangeLine(
        entity=LegalEntity(data["entity"]),
        financial_year=int(data["financial_year"]),
        economic_account=data["economic_account"],
        policy_field=data["policy_field"],
        action=data["action"],
        change=Decimal(data["change"]),
        investment_project=data["investment_project"] or None,
        description=data["description"],
    )
