"""The locked slice of the multi-year plan a transaction works on: credits and their totals.

Only lines with a limitative total are credits; a change's other lines (receipts, debt
repayments) are estimates, kept by `changes.py` and the estimates store, never here.

A handler locks the limitative totals first and then the credits (each in key order, so two
transactions never wait on each other crosswise), builds a `Budget` from the locked rows and
asks it for a commitment, a budget change, an internal adjustment or a carry-over. The
`Budget` keeps two invariants whatever the order of operations:

* for every credit and every total, `0 <= committed <= amount`;
* a total's `amount` and `committed` are the sums over its credits (only a budget change or a
  carry-over changes a total's amount; an internal adjustment never does).

Each rule is written once, as a question answering `Refusal | None`
(`commitment_refusal`, `budget_change_refusal`, `adjustment_refusal`); the operations raise
that same refusal, and a reaction that must report a refusal as a fact asks the question.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from services.finance.domain.accounts import Category, classify, total_of
from services.finance.domain.model import (
    ZERO,
    Credit,
    CreditKey,
    CreditTotal,
    EstimateKey,
    LimitativeTotal,
    TotalKey,
    credit_key,
)
from shared.kernel import Refusal, refuse
from shared.vocabulary import Flow, LegalEntity

__all__ = [
    "Adjustment",
    "AppliedChange",
    "Budget",
    "ChangeLine",
    "applied_changes",
    "change_lines_refusal",
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
    flow: Flow = Flow.EXPENSE

    @property
    def key(self) -> CreditKey:
        return (self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)

    @property
    def estimate_key(self) -> EstimateKey:
        return (*self.key, self.flow)

    @property
    def is_credit(self) -> bool:
        """Whether the line changes a credit (it has a limitative total) rather than an estimate."""
        return total_of(self.economic_account, self.flow) is not None

    @property
    def total(self) -> CreditTotal:
        total = total_of(self.economic_account, self.flow)
        if total is None:
            raise _not_limitative(self.economic_account).violation()
        return total

    @property
    def total_key(self) -> TotalKey:
        return (self.entity, self.financial_year, self.total)

    @property
    def credit_key(self) -> str:
        return credit_key(self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)


def _not_limitative(economic_account: str) -> Refusal:
    return Refusal("account_not_limitative", f"economic account {economic_account} belongs to no limitative total")


def not_budgetary(line: ChangeLine) -> Refusal | None:
    """A line the plan has no place for: no cash flow (63x), or an account outside the budget."""
    rule = classify(line.economic_account, line.flow)
    if rule is None:
        return Refusal(
            "account_not_budgetary",
            f"an {line.flow.value} on account {line.economic_account} has no place in the plan"
            " (see the account table in docs/finance.md)",
        )
    if rule.category is Category.NOT_BUDGETARY:
        return Refusal("account_not_budgetary", f"account {line.economic_account}: {rule.meaning}")
    return None


def change_lines_refusal(entity: LegalEntity, lines: Sequence[ChangeLine]) -> Refusal | None:
    """A proposed change stays inside its entity, on accounts the plan knows, once per credit or estimate."""
    for line in lines:
        if line.entity is not entity:
            return Refusal("entity_mismatch", f"{line.credit_key} is not a credit of the {entity.value}")
        refusal = not_budgetary(line)
        if refusal is not None:
            return refusal
    if len({line.estimate_key for line in lines}) != len(lines):
        return Refusal("duplicate_credit", "each credit may appear only once in a change")
    return None


@dataclass(frozen=True)
class AppliedChange:
    """One credit after a change: its signed change and its estimate afterwards."""

    credit_key: str
    total: CreditTotal
    change: Decimal
    amount: Decimal


def applied_changes(after: Iterable[Credit], lines: Sequence[ChangeLine]) -> tuple[AppliedChange, ...]:
    """Each line with the estimate of its credit after the change, in the order of the lines."""
    by_key = {c.key: c for c in after}
    return tuple(
        AppliedChange(credit_key=line.credit_key, total=line.total, change=line.change, amount=by_key[line.key].amount)
        for line in lines
    )


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

    def available(self, key: CreditKey) -> Decimal:
        """What can be committed on this credit: limited by the credit and by its total.

        Nothing is available on a credit whose total is not known (never after a consistent plan).
        """
        credit = self.credits.get(key)
        total = self.totals.get(credit.total_key) if credit is not None else None
        if credit is None or total is None:
            return ZERO
        return min(credit.available, total.available)

    def changed_totals_sorted(self) -> tuple[LimitativeTotal, ...]:
        """The totals an operation changed, by entity, year and total."""
        changed = (self.totals[k] for k in self.changed_totals)
        return tuple(sorted(changed, key=lambda t: (t.entity.value, t.financial_year, t.total.value)))

    # --- questions -------------------------------------------------------------------------

    def commitment_refusal(self, key: CreditKey, amount: Decimal) -> Refusal | None:
        """Why `amount` cannot be committed on this credit, or None when it fits credit and total."""
        if amount <= 0:
            return Refusal("invalid_amount", f"a commitment must be positive, not {amount}")
        if key not in self.credits:
            return Refusal("no_credit", f"no credit {credit_key(*key)}")
        available = self.available(key)
        if amount > available:
            return Refusal(
                "insufficient_credit",
                f"{amount} exceeds what is still available (available on {credit_key(*key)}: {available:.2f})",
            )
        return None

    def budget_change_refusal(self, lines: Sequence[ChangeLine]) -> Refusal | None:
        """Why the council's budget change cannot be applied, or None."""
        return self._change_refusal(lines, keep_totals=False, create=True)

    def adjustment_refusal(self, lines: Sequence[ChangeLine]) -> Refusal | None:
        """Why this internal adjustment is not one, or None: one total of one entity and year, netting to zero."""
        for line in lines:
            if not line.is_credit:
                return _not_limitative(line.economic_account)
        if len({line.total_key for line in lines}) != 1:
            return Refusal(
                "adjustment_changes_total",
                "an internal adjustment stays inside one limitative total of one entity and year",
            )
        net = sum((line.change for line in lines), ZERO)
        if net != 0:
            return Refusal(
                "adjustment_changes_total",
                f"an internal adjustment must net to zero, this one changes the total by {net}",
            )
        return self._change_refusal(lines, keep_totals=True, create=False)

    # --- operations ------------------------------------------------------------------------

    def commit(self, key: CreditKey, amount: Decimal) -> Credit:
        """Commit `amount` on a credit; it must fit the credit and its limitative total."""
        refuse(self.commitment_refusal(key, amount))
        credit = self.credits[key]
        total = self.totals[credit.total_key]
        self._set_credit(replace(credit, committed=credit.committed + amount))
        self._set_total(replace(total, committed=total.committed + amount))
        return self.credits[key]

    def apply_budget_change(self, lines: Sequence[ChangeLine]) -> list[Credit]:
        """A council's budget change: credits change, and the totals with them."""
        refuse(self.budget_change_refusal(lines))
        return self._apply(lines)

    def adjust(self, lines: Sequence[ChangeLine]) -> list[Credit]:
        """Internal credit adjustment: moves estimates inside one total of one entity and year."""
        refuse(self.adjustment_refusal(lines))
        return self._apply(lines)

    # --- internals -------------------------------------------------------------------------

    def _change_refusal(  # noqa: PLR0911 - one early answer per rule, each with its own reason
        self, lines: Sequence[ChangeLine], *, keep_totals: bool, create: bool
    ) -> Refusal | None:
        """Every rule of a change, checked before anything changes: all or nothing."""
        keys = [line.key for line in lines]
        if len(set(keys)) != len(keys):
            return Refusal("duplicate_credit", "each credit may appear only once in a change")
        for line in lines:
            if not line.is_credit:
                return _not_limitative(line.economic_account)
            credit = self.credits.get(line.key)
            if credit is None and not create:
                return Refusal("unknown_credit", f"no credit {line.credit_key}")
            if credit is None and line.change < 0:
                return Refusal("below_committed", f"a new credit {line.credit_key} cannot be negative")
            committed = credit.committed if credit is not None else ZERO
            new_amount = (credit.amount if credit is not None else ZERO) + line.change
            if new_amount < committed:
                return Refusal(
                    "below_committed",
                    f"{line.credit_key} would drop to {new_amount}, below the {committed} already committed",
                )
        deltas = self._deltas(lines)
        if keep_totals and any(d != 0 for d in deltas.values()):
            return Refusal("adjustment_changes_total", "an internal adjustment may not change a total")
        for key, delta in deltas.items():
            total = self._total(key)
            if total.amount + delta < total.committed:
                return Refusal("below_committed", f"the {key[2].value} total would drop below its commitments")
        return None

    def _apply(self, lines: Sequence[ChangeLine]) -> list[Credit]:
        """Apply lines whose refusal was asked first; answers the credits after the change."""
        planned: list[Credit] = []
        for line in lines:
            credit = self.credits.get(line.key) or Credit(
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
            planned.append(replace(credit, amount=credit.amount + line.change))
        for credit in planned:
            if credit.key not in self.credits:
                self.new_credits.add(credit.key)
            self._set_credit(credit)
        for key, delta in self._deltas(lines).items():
            total = self._total(key)
            self._set_total(replace(total, amount=total.amount + delta))
        return planned

    @staticmethod
    def _deltas(lines: Sequence[ChangeLine]) -> dict[TotalKey, Decimal]:
        deltas: dict[TotalKey, Decimal] = {}
        for line in lines:
            deltas[line.total_key] = deltas.get(line.total_key, ZERO) + line.change
        return deltas

    def _total(self, key: TotalKey) -> LimitativeTotal:
        return self.totals.get(key) or LimitativeTotal(key[0], key[1], key[2], ZERO)

    def _set_credit(self, credit: Credit) -> None:
        self.credits[credit.key] = credit
        self.changed_credits.add(credit.key)

    def _set_total(self, total: LimitativeTotal) -> None:
        self.totals[total.key] = total
        self.changed_totals.add(total.key)


@dataclass(frozen=True)
class Adjustment:
    """An internal credit adjustment, kept as its own record."""

    adjustment_id: uuid.UUID
    entity: LegalEntity
    lines: tuple[ChangeLine, ...]
    decided_by: str
    reason: str
    adjusted_at: dt.datetime
