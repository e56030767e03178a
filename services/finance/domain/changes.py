"""Staged plans and their changes: nothing is binding until the right body decided it.

A `BudgetChange` is what finance stages and a body adopts:

* **plan** / **change**: a multi-year plan (the first lines of an entity) or a change of it
  (aanpassing), read from a CSV (`rw finance import`) or proposed as signed changes. It must be in
  financial balance (`balance.py`). The gemeenteraad adopts the gemeente's part; the raad voor
  maatschappelijk welzijn adopts the OCMW's part, which is in force only once the gemeenteraad
  has approved it (DLB: each council adopts its part, the gemeenteraad approves the OCMW's, which
  lapses otherwise [S Sint-Laureins, Wetteren]).
* **carry_over**: unused investment and financing credits of year N moved to N+1, decided by the
  college (gemeente) or vast bureau (OCMW) before 1 March of N+1; a power they cannot delegate,
  and nothing moves by itself (DOMAIN.md §5; reference §3.2 [S vvsg.be FAQ]).

Each rule is a question answering `Refusal | None`: `decision_refusal` is asked when an item is
put before a body (meetings' readiness gate, through finance's budget check) and again when the
decision arrives, so the rule is written once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from services.finance.domain.budget import ChangeLine
from services.finance.domain.model import Credit, CreditKey, CreditTotal, OpeningResult, credit_key
from shared.kernel import Refusal, RuleViolation
from shared.vocabulary import BodyKind, DecisionKind, LegalEntity

__all__ = [
    "COUNCIL_OF",
    "EXECUTIVE_OF",
    "PLAN_DECISIONS",
    "BudgetChange",
    "BudgetChangeStatus",
    "ChangeKind",
    "Step",
    "carry_over_deadline",
    "carry_over_lines",
    "carry_over_refusal",
    "unknown_budget_change",
]

#: Which council adopts the plan (or a change) of which entity.
COUNCIL_OF = {LegalEntity.GEMEENTE: BodyKind.GEMEENTERAAD, LegalEntity.OCMW: BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}
#: Which executive decides the carry-over of which entity.
EXECUTIVE_OF = {LegalEntity.GEMEENTE: BodyKind.COLLEGE, LegalEntity.OCMW: BodyKind.VAST_BUREAU}
#: The decision kinds that take a staged change a step further.
PLAN_DECISIONS = frozenset({DecisionKind.BUDGET_CHANGE, DecisionKind.BUDGET_APPROVAL, DecisionKind.CARRY_OVER})
#: Credits that can be carried over: investment and financing (toegestane leningen), never operating.
_CARRIED = frozenset({CreditTotal.INVESTMENT, CreditTotal.FINANCING})


class ChangeKind(StrEnum):
    PLAN = "plan"
    """The first plan of an entity (nothing of it in force yet)."""
    CHANGE = "change"
    """A change (aanpassing) of the plan in force."""
    CARRY_OVER = "carry_over"
    """Unused investment and financing credits moved to the next year."""


class BudgetChangeStatus(StrEnum):
    """Where a staged change stands."""

    PROPOSED = "proposed"
    """Staged in finance; nothing of it is in force."""
    ADOPTED = "adopted"
    """The RMW adopted the OCMW's plan or change: in force once the gemeenteraad approves it."""
    APPLIED = "applied"
    """In force: its credits can be committed."""
    REFUSED = "refused"
    """A decision could not take it further (`refusal` says why); nothing of it is in force."""


class Step(StrEnum):
    """What a decision does to a staged change."""

    ADOPT = "adopt"
    """The RMW adopted it: it waits for the gemeenteraad's approval."""
    APPLY = "apply"
    """It is in force now."""


def carry_over_deadline(from_year: int) -> dt.date:
    """The carry-over of year N is decided before 1 March of N+1."""
    return dt.date(from_year + 1, 3, 1)


def carry_over_refusal(from_year: int, today: dt.date) -> Refusal | None:
    """Unused credits are carried over by the college before 1 March (DOMAIN.md §5)."""
    deadline = carry_over_deadline(from_year)
    if today >= deadline:
        return Refusal("carry_over_too_late", f"credits of {from_year} can only be carried over before {deadline}")
    return None


@dataclass(frozen=True)
class BudgetChange:
    """A plan, a plan change or a carry-over staged in finance, taken further only by decisions."""

    budget_change_id: uuid.UUID
    entity: LegalEntity
    title: str
    lines: tuple[ChangeLine, ...]
    proposed_by: str
    proposed_at: dt.datetime
    status: BudgetChangeStatus = BudgetChangeStatus.PROPOSED
    decision_id: uuid.UUID | None = None
    """The decision that put it in force (or could not)."""
    decided_at: dt.datetime | None = None
    refusal: str | None = None
    kind: ChangeKind = ChangeKind.CHANGE
    opening: OpeningResult | None = None
    """A plan's opening result (the cumulated budgetary result before its first year)."""
    adopted_by: uuid.UUID | None = None
    """For the OCMW: the RMW's decision that adopted it, before the gemeenteraad's approval."""
    balanced: bool | None = None
    """The balance test when it was staged (None for a carry-over, which is not tested)."""

    @property
    def decided(self) -> bool:
        """In force or refused before: a redelivered decision changes nothing."""
        return self.status in {BudgetChangeStatus.APPLIED, BudgetChangeStatus.REFUSED}

    @property
    def needs_balance(self) -> bool:
        """Plans and their changes must be in balance; a carry-over only moves unused credit ahead."""
        return self.kind is not ChangeKind.CARRY_OVER

    def decision_refusal(  # noqa: PLR0911 - one early answer per rule, each with its own reason
        self, kind: DecisionKind, body: BodyKind, entity: LegalEntity, today: dt.date
    ) -> Refusal | None:
        """Why a decision of `kind` by `body` (deciding for `entity`) cannot take this change further."""
        if self.decided:
            return Refusal("budget_change_decided", f"this {self.kind.value} is already {self.status.value}")
        if self.kind is ChangeKind.CARRY_OVER:
            executive = EXECUTIVE_OF[self.entity]
            if kind is not DecisionKind.CARRY_OVER:
                return Refusal("wrong_decision_kind", "a carry-over is decided by a `carry_over` decision")
            if body is not executive or entity is not self.entity:
                return Refusal("not_the_executive", f"only the {executive.value} decides this carry-over")
            return carry_over_refusal(min(line.financial_year for line in self.lines), today)
        council = COUNCIL_OF[self.entity]
        if kind is DecisionKind.CARRY_OVER:
            return Refusal("wrong_decision_kind", f"a {self.kind.value} is adopted by a `budget_change` decision")
        if self.status is BudgetChangeStatus.ADOPTED:
            if kind is not DecisionKind.BUDGET_APPROVAL or body is not BodyKind.GEMEENTERAAD:
                return Refusal(
                    "awaiting_approval",
                    "the RMW adopted this OCMW part; the gemeenteraad approves it (budget_approval)",
                )
            return None
        if kind is DecisionKind.BUDGET_APPROVAL:
            if self.entity is LegalEntity.GEMEENTE:
                return Refusal("approval_not_needed", "the gemeenteraad adopts the gemeente's part itself")
            return Refusal(
                "not_adopted_by_rmw", "the raad voor maatschappelijk welzijn adopts the OCMW part before it is approved"
            )
        if body is not council or entity is not self.entity:
            return Refusal("not_the_council", f"only the {council.value} adopts this {self.kind.value}")
        return None

    def step(self, kind: DecisionKind, body: BodyKind, entity: LegalEntity, today: dt.date) -> Step:
        """What the decision does; raises the decision's refusal."""
        refusal = self.decision_refusal(kind, body, entity, today)
        if refusal is not None:
            raise refusal.violation()
        if (
            self.entity is LegalEntity.OCMW
            and self.kind is not ChangeKind.CARRY_OVER
            and kind is not (DecisionKind.BUDGET_APPROVAL)
        ):
            return Step.ADOPT
        return Step.APPLY

    def adopted(self, decision_id: uuid.UUID) -> BudgetChange:
        return replace(self, status=BudgetChangeStatus.ADOPTED, adopted_by=decision_id)

    def applied(self, decision_id: uuid.UUID, at: dt.datetime) -> BudgetChange:
        return replace(self, status=BudgetChangeStatus.APPLIED, decision_id=decision_id, decided_at=at)

    def refused(self, decision_id: uuid.UUID, refusal: Refusal) -> BudgetChange:
        return replace(self, status=BudgetChangeStatus.REFUSED, decision_id=decision_id, refusal=refusal.message)

    @property
    def credit_lines(self) -> tuple[ChangeLine, ...]:
        return tuple(line for line in self.lines if line.is_credit)

    @property
    def estimate_lines(self) -> tuple[ChangeLine, ...]:
        return tuple(line for line in self.lines if not line.is_credit)


def unknown_budget_change() -> Refusal:
    """A decision names a plan, change or carry-over finance never staged."""
    return Refusal("unknown_budget_change", "finance knows no such plan, plan change or carry-over")


def carry_over_lines(
    credits: Iterable[Credit],  # noqa: A002 - the plan's credits, as everywhere in finance
    entity: LegalEntity,
    from_year: int,
    chosen: Sequence[tuple[CreditKey, Decimal | None]] = (),
) -> tuple[ChangeLine, ...]:
    """The lines of a carry-over: what is unused on each chosen credit leaves year N for N+1.

    Nothing chosen means every investment and financing credit of the entity and year with
    something unused. A chosen amount never exceeds what is unused; an operating credit is never
    carried over.
    """
    of_year = {c.key: c for c in credits if c.entity is entity and c.financial_year == from_year}
    if not chosen:
        chosen = [(k, None) for k, c in sorted(of_year.items()) if c.total in _CARRIED and c.available > 0]
    lines: list[ChangeLine] = []
    for key, amount in chosen:
        credit = of_year.get(key)
        if credit is None:
            raise RuleViolation("unknown_credit", f"no credit {credit_key(*key)} of the {entity.value} in {from_year}")
        if credit.total not in _CARRIED:
            raise RuleViolation(
                "not_carried_over",
                f"{credit.credit_key} is a {credit.total.value} credit: only investment and"
                " financing credits are carried over",
            )
        moved = credit.available if amount is None else amount
        if moved <= 0 or moved > credit.available:
            raise RuleViolation(
                "carry_over_exceeds_unused",
                f"{credit.credit_key} has {credit.available:.2f} unused; {moved:.2f} cannot be carried over",
            )
        lines += [
            ChangeLine(entity, from_year, credit.economic_account, credit.policy_field, credit.action, -moved),
            ChangeLine(
                entity,
                from_year + 1,
                credit.economic_account,
                credit.policy_field,
                credit.action,
                moved,
                credit.investment_project,
                credit.description,
            ),
        ]
    if not lines:
        raise RuleViolation("nothing_to_carry_over", f"no unused investment or financing credit of {from_year}")
    return tuple(lines)
