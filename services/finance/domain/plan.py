"""Reading the multi-year plan (meerjarenplan) from CSV, with errors a person can fix, and staging it.

A CSV is never in force by itself: `stage` compares it with the plan in force and answers, per
entity, the change a council must adopt (`changes.BudgetChange`): new credits and estimates, changed
amounts, and the opening result of a first plan.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from services.finance.domain.accounts import Category, classify
from services.finance.domain.budget import ChangeLine
from services.finance.domain.changes import ChangeKind
from services.finance.domain.model import (
    Credit,
    CreditTotal,
    Estimate,
    EstimateKey,
    OpeningResult,
    credit_key,
)
from shared.kernel import RuleViolation
from shared.vocabulary import Flow, LegalEntity

__all__ = [
    "COLUMNS",
    "KINDS",
    "OPTIONAL_COLUMNS",
    "ParsedPlan",
    "PlanLine",
    "PlanTree",
    "Staged",
    "invalid_plan",
    "parse_plan_csv",
    "plan_tree",
    "stage",
]

COLUMNS = (
    "entity",
    "financial_year",
    "economic_account",
    "policy_field",
    "action",
    "amount",
    "description",
)
#: `kind` is `expense` (the default), `receipt` or `opening_result`; `total` is checked against
#: the total derived from the account and kind when present; the strategic tree (objective ->
#: action plan -> action) is read when its columns are present.
OPTIONAL_COLUMNS = (
    "kind",
    "total",
    "investment_project",
    "policy_objective",
    "policy_objective_title",
    "action_plan",
    "action_plan_title",
    "action_title",
)

# ASCII digits only: `\d` also matches Arabic-Indic and other digits, which `int` then accepts.
_AMOUNT = re.compile(r"^[0-9]{1,13}(\.[0-9]{1,2})?$")
_SIGNED = re.compile(r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$")
#: What a line of the CSV is.
KINDS = ("expense", "receipt", "opening_result")
_ACCOUNT = re.compile(r"^[0-9]{4,10}$")
_POLICY_FIELD = re.compile(r"^[0-9]{4}$")
_YEAR = re.compile(r"^[0-9]{4}$")
#: An action or investment project is part of a credit key, which messages bound (`PlanCode`).
_PLAN_CODE_MAX = 64


def invalid_plan(line: int, column: str, message: str) -> RuleViolation:
    """A line of the plan is invalid: the message names the line (1 = header) and the column."""
    return RuleViolation("invalid_plan", f"line {line}, column {column}: {message}")


@dataclass(frozen=True)
class PlanLine:
    """An expense or a receipt of one entity and year: a credit when it has a limitative total."""

    entity: LegalEntity
    financial_year: int
    total: CreditTotal | None
    """None for an estimate without credit (a receipt, a debt repayment)."""
    economic_account: str
    policy_field: str
    action: str
    investment_project: str | None
    amount: Decimal
    description: str
    policy_objective: str = ""
    policy_objective_title: str = ""
    action_plan: str = ""
    action_plan_title: str = ""
    action_title: str = ""
    flow: Flow = Flow.EXPENSE

    @property
    def credit_key(self) -> str:
        return credit_key(self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)

    @property
    def key(self) -> EstimateKey:
        return (self.entity, self.financial_year, self.economic_account, self.policy_field, self.action, self.flow)

    def change(self, by: Decimal) -> ChangeLine:
        """The change of `by` on this line's credit or estimate."""
        return ChangeLine(
            self.entity,
            self.financial_year,
            self.economic_account,
            self.policy_field,
            self.action,
            by,
            self.investment_project,
            self.description,
            self.flow,
        )

    def to_credit(self) -> Credit:
        """A fresh credit with nothing committed yet (a line with a limitative total)."""
        assert self.total is not None, "an estimate is not a credit"
        return Credit(
            entity=self.entity,
            financial_year=self.financial_year,
            total=self.total,
            economic_account=self.economic_account,
            policy_field=self.policy_field,
            action=self.action,
            investment_project=self.investment_project,
            description=self.description,
            amount=self.amount,
        )


def _cell(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def _flow(row: dict[str, str], line: int) -> Flow:
    kind = _cell(row, "kind")
    if kind and kind not in KINDS:
        raise invalid_plan(line, "kind", f"unknown kind {kind!r} ({', '.join(KINDS)})")
    if kind == "receipt" or (not kind and _cell(row, "total") == CreditTotal.LOAN_RECEIPTS.value):
        return Flow.RECEIPT
    return Flow.EXPENSE


def _entity_and_year(row: dict[str, str], line: int) -> tuple[LegalEntity, int]:
    entity = _cell(row, "entity")
    if entity not in {e.value for e in LegalEntity}:
        raise invalid_plan(line, "entity", f"unknown entity {entity!r} (gemeente or ocmw)")
    year = _cell(row, "financial_year")
    if not _YEAR.match(year) or not 2000 <= int(year) <= 2100:
        raise invalid_plan(line, "financial_year", f"{year!r} is not a year between 2000 and 2100")
    return LegalEntity(entity), int(year)


def _opening(row: dict[str, str], line: int) -> OpeningResult:
    entity, year = _entity_and_year(row, line)
    raw = _cell(row, "amount")
    if not _SIGNED.match(raw):
        raise invalid_plan(line, "amount", f"{raw!r} is not an amount with at most 2 decimals")
    return OpeningResult(entity, year, Decimal(raw).quantize(Decimal("0.01")))


def _line(row: dict[str, str], line: int) -> PlanLine:
    entity, year = _entity_and_year(row, line)
    flow = _flow(row, line)
    account = _cell(row, "economic_account")
    if not _ACCOUNT.match(account):
        raise invalid_plan(line, "economic_account", f"{account!r} is not 4 to 10 digits")
    rule = classify(account, flow)
    if rule is None or rule.category is Category.NOT_BUDGETARY:
        why = rule.meaning if rule is not None else "the plan has no place for it"
        raise invalid_plan(line, "economic_account", f"an {flow.value} on {account}: {why}")
    total = _cell(row, "total")
    if total and total not in {t.value for t in CreditTotal}:
        raise invalid_plan(line, "total", f"unknown total {total!r} ({', '.join(t.value for t in CreditTotal)})")
    if total and (rule.total is None or total != rule.total.value):
        derived = rule.total.value if rule.total is not None else "no limitative total"
        raise invalid_plan(line, "total", f"an {flow.value} on {account} belongs to {derived}, not {total}")
    policy_field = _cell(row, "policy_field")
    if not _POLICY_FIELD.match(policy_field):
        raise invalid_plan(line, "policy_field", f"{policy_field!r} is not 4 digits")
    raw_amount = _cell(row, "amount")
    try:
        amount = Decimal(raw_amount) if _AMOUNT.match(raw_amount) else None
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        amount = None
    if amount is None or amount <= 0:
        raise invalid_plan(line, "amount", f"{raw_amount!r} is not a positive amount with at most 2 decimals")
    for column in ("action", "investment_project"):
        if len(_cell(row, column)) > _PLAN_CODE_MAX:
            raise invalid_plan(line, column, f"longer than {_PLAN_CODE_MAX} characters")
    return PlanLine(
        entity=entity,
        financial_year=year,
        total=rule.total,
        economic_account=account,
        policy_field=policy_field,
        action=_cell(row, "action"),
        investment_project=_cell(row, "investment_project") or None,
        amount=amount.quantize(Decimal("0.01")),
        description=_cell(row, "description"),
        policy_objective=_cell(row, "policy_objective"),
        policy_objective_title=_cell(row, "policy_objective_title"),
        action_plan=_cell(row, "action_plan"),
        action_plan_title=_cell(row, "action_plan_title"),
        action_title=_cell(row, "action_title"),
        flow=flow,
    )


@dataclass(frozen=True)
class ParsedPlan:
    """The lines of a plan CSV and the opening result of each entity it gives one for."""

    lines: tuple[PlanLine, ...]
    openings: tuple[OpeningResult, ...] = ()

    @property
    def entities(self) -> tuple[LegalEntity, ...]:
        found = {line.entity for line in self.lines} | {o.entity for o in self.openings}
        return tuple(e for e in LegalEntity if e in found)


def parse_plan_csv(text: str) -> ParsedPlan:
    """Every line of the plan, validated; the first error raises `invalid_plan`.

    The strategic tree must be consistent: an action belongs to one action plan, an action
    plan to one policy objective, and an action plan needs its objective. Each entity has at
    most one opening result.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    for column in COLUMNS:
        if column not in header:
            raise invalid_plan(1, column, "missing column")
    reader.fieldnames = header
    lines: list[PlanLine] = []
    openings: dict[LegalEntity, OpeningResult] = {}
    seen: dict[EstimateKey, int] = {}
    tree = PlanTree()
    start = reader.line_num + 1
    for row in reader:
        if _cell(row, "kind") == "opening_result":
            opening = _opening(row, start)
            if opening.entity in openings:
                raise invalid_plan(start, "kind", f"a second opening result of the {opening.entity.value}")
            openings[opening.entity] = opening
            start = reader.line_num + 1
            continue
        line = _line(row, start)
        if line.key in seen:
            first = seen[line.key]
            raise invalid_plan(start, "key", f"duplicate line {line.credit_key} (first on line {first})")
        seen[line.key] = start
        lines.append(line)
        tree.add(line, start)
        start = reader.line_num + 1
    return ParsedPlan(tuple(lines), tuple(openings.values()))


@dataclass
class PlanTree:
    """Policy objectives -> action plans -> actions, with titles, as read from the plan."""

    objectives: dict[str, str] = field(default_factory=dict)
    """Objective code -> title."""
    action_plans: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Action plan code -> (objective code, title)."""
    actions: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Action code -> (action plan code, title)."""

    def add(self, line: PlanLine, number: int) -> None:
        """Add a line's branch; raises `invalid_plan` when it contradicts an earlier line."""
        if line.action_plan and not line.policy_objective:
            raise invalid_plan(number, "policy_objective", f"action plan {line.action_plan} needs its policy objective")
        if line.policy_objective:
            self.objectives.setdefault(line.policy_objective, line.policy_objective_title)
            if line.policy_objective_title and not self.objectives[line.policy_objective]:
                self.objectives[line.policy_objective] = line.policy_objective_title
        if line.action_plan:
            known = self.action_plans.get(line.action_plan)
            if known and known[0] != line.policy_objective:
                raise invalid_plan(
                    number,
                    "policy_objective",
                    f"action plan {line.action_plan} belongs to {known[0]}, not {line.policy_objective}",
                )
            if not known or (line.action_plan_title and not known[1]):
                self.action_plans[line.action_plan] = (line.policy_objective, line.action_plan_title)
        if line.action and line.action_plan:
            known_action = self.actions.get(line.action)
            if known_action and known_action[0] != line.action_plan:
                raise invalid_plan(
                    number,
                    "action_plan",
                    f"action {line.action} belongs to {known_action[0]}, not {line.action_plan}",
                )
            if not known_action or (line.action_title and not known_action[1]):
                self.actions[line.action] = (line.action_plan, line.action_title)


def plan_tree(lines: Sequence[PlanLine]) -> PlanTree:
    """The strategic tree of already validated lines."""
    tree = PlanTree()
    for number, line in enumerate(lines, start=2):
        tree.add(line, number)
    return tree


@dataclass(frozen=True)
class Staged:
    """What a CSV asks of one entity's plan in force: the change a council must adopt."""

    entity: LegalEntity
    kind: ChangeKind
    lines: tuple[ChangeLine, ...]
    opening: OpeningResult | None
    added: int
    """Lines that create a credit or an estimate."""
    changed: int
    """Lines that change the amount of one in force."""
    unchanged: int
    """Lines equal to the plan in force."""

    @property
    def empty(self) -> bool:
        return not self.lines and self.opening is None


def stage(
    plan: ParsedPlan,
    credits: Sequence[Credit],  # noqa: A002 - the plan's credits, as everywhere in finance
    estimates: Sequence[Estimate],
    openings: Sequence[OpeningResult],
) -> list[Staged]:
    """Per entity of the CSV, the change from the plan in force to the CSV's figures.

    A line absent from the plan in force is added, one with another amount is changed by the
    difference (never below what is committed: checked when the change is applied), one with the
    same amount left alone. Lines in force that the CSV does not name stay as they are. An entity
    with nothing in force gets a **plan**; otherwise a **change**. The opening result belongs to the
    plan's first year.
    """
    credit_amounts = {(*c.key, Flow.RECEIPT if c.total is CreditTotal.LOAN_RECEIPTS else Flow.EXPENSE): c.amount
                      for c in credits}  # fmt: skip
    estimate_amounts = {e.key: e.amount for e in estimates}
    staged: list[Staged] = []
    for entity in plan.entities:
        in_force = any(k[0] is entity for k in credit_amounts) or any(k[0] is entity for k in estimate_amounts)
        opening_in_force = next((o for o in openings if o.entity is entity), None)
        lines: list[ChangeLine] = []
        added = changed = unchanged = 0
        for line in (x for x in plan.lines if x.entity is entity):
            current = credit_amounts.get(line.key, estimate_amounts.get(line.key))
            if current is None:
                lines.append(line.change(line.amount))
                added += 1
            elif current == line.amount:
                unchanged += 1
            else:
                lines.append(line.change(line.amount - current))
                changed += 1
        opening = next((o for o in plan.openings if o.entity is entity), None)
        if opening is not None and opening_in_force is not None:
            if opening.financial_year != opening_in_force.financial_year:
                raise RuleViolation(
                    "invalid_plan",
                    f"the {entity.value}'s opening result belongs to its plan's first year,"
                    f" {opening_in_force.financial_year}, not {opening.financial_year}",
                )
            if opening.amount == opening_in_force.amount:
                opening = None
        kind = ChangeKind.CHANGE if in_force or opening_in_force is not None else ChangeKind.PLAN
        staged.append(Staged(entity, kind, tuple(lines), opening, added, changed, unchanged))
    return staged
