"""Reading the multi-year plan (meerjarenplan) from CSV, with errors a person can fix."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from services.finance.domain.budget import Budget, ChangeLine
from services.finance.domain.model import Credit, CreditTotal, credit_key, total_of_account
from shared.kernel import RuleViolation
from shared.vocabulary import LegalEntity

__all__ = [
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "PlanLine",
    "PlanTree",
    "invalid_plan",
    "new_credits",
    "parse_plan_csv",
    "plan_tree",
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
#: `total` is checked against the total derived from the economic account when present; the
#: strategic tree (objective -> action plan -> action) is read when its columns are present.
OPTIONAL_COLUMNS = (
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
    entity: LegalEntity
    financial_year: int
    total: CreditTotal
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

    @property
    def credit_key(self) -> str:
        return credit_key(self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)

    @property
    def change(self) -> ChangeLine:
        """The line as the change that creates its credit."""
        return ChangeLine(
            self.entity,
            self.financial_year,
            self.economic_account,
            self.policy_field,
            self.action,
            self.amount,
            self.investment_project,
            self.description,
        )

    def to_credit(self) -> Credit:
        """A fresh credit with nothing committed yet."""
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


def _line(row: dict[str, str], line: int) -> PlanLine:
    def cell(column: str) -> str:
        value = row.get(column)
        return (value or "").strip()

    entity = cell("entity")
    if entity not in {e.value for e in LegalEntity}:
        raise invalid_plan(line, "entity", f"unknown entity {entity!r} (gemeente or ocmw)")
    year = cell("financial_year")
    if not _YEAR.match(year) or not 2000 <= int(year) <= 2100:
        raise invalid_plan(line, "financial_year", f"{year!r} is not a year between 2000 and 2100")
    account = cell("economic_account")
    if not _ACCOUNT.match(account):
        raise invalid_plan(line, "economic_account", f"{account!r} is not 4 to 10 digits")
    derived = total_of_account(account)
    if derived is None:
        raise invalid_plan(line, "economic_account", f"{account} belongs to no limitative total (6x, 2x, 29x or 17x)")
    total = cell("total")
    if total and total not in {t.value for t in CreditTotal}:
        raise invalid_plan(line, "total", f"unknown total {total!r} ({', '.join(t.value for t in CreditTotal)})")
    if total and total != derived.value:
        raise invalid_plan(line, "total", f"account {account} belongs to the {derived.value} total, not {total}")
    policy_field = cell("policy_field")
    if not _POLICY_FIELD.match(policy_field):
        raise invalid_plan(line, "policy_field", f"{policy_field!r} is not 4 digits")
    raw_amount = cell("amount")
    try:
        amount = Decimal(raw_amount) if _AMOUNT.match(raw_amount) else None
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        amount = None
    if amount is None or amount <= 0:
        raise invalid_plan(line, "amount", f"{raw_amount!r} is not a positive amount with at most 2 decimals")
    for column in ("action", "investment_project"):
        if len(cell(column)) > _PLAN_CODE_MAX:
            raise invalid_plan(line, column, f"longer than {_PLAN_CODE_MAX} characters")
    return PlanLine(
        entity=LegalEntity(entity),
        financial_year=int(year),
        total=derived,
        economic_account=account,
        policy_field=policy_field,
        action=cell("action"),
        investment_project=cell("investment_project") or None,
        amount=amount.quantize(Decimal("0.01")),
        description=cell("description"),
        policy_objective=cell("policy_objective"),
        policy_objective_title=cell("policy_objective_title"),
        action_plan=cell("action_plan"),
        action_plan_title=cell("action_plan_title"),
        action_title=cell("action_title"),
    )


def parse_plan_csv(text: str) -> list[PlanLine]:
    """Every line of the plan, validated; the first error raises `invalid_plan`.

    The strategic tree must be consistent: an action belongs to one action plan, an action
    plan to one policy objective, and an action plan needs its objective.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    for column in COLUMNS:
        if column not in header:
            raise invalid_plan(1, column, "missing column")
    reader.fieldnames = header
    lines: list[PlanLine] = []
    seen: dict[str, int] = {}
    tree = PlanTree()
    start = reader.line_num + 1
    for row in reader:
        line = _line(row, start)
        if line.credit_key in seen:
            first = seen[line.credit_key]
            raise invalid_plan(start, "key", f"duplicate credit {line.credit_key} (first on line {first})")
        seen[line.credit_key] = start
        lines.append(line)
        tree.add(line, start)
        start = reader.line_num + 1
    return lines


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


def plan_tree(lines: list[PlanLine]) -> PlanTree:
    """The strategic tree of already validated lines."""
    tree = PlanTree()
    for number, line in enumerate(lines, start=2):
        tree.add(line, number)
    return tree


def new_credits(budget: Budget, lines: Sequence[PlanLine]) -> tuple[list[ChangeLine], int]:
    """The lines whose credit is new, and how many are already there with the same estimate.

    A different estimate for an existing credit is refused (`plan_conflicts`): adopted credits
    change only by a budget change of the council.
    """
    new: list[ChangeLine] = []
    unchanged = 0
    for number, line in enumerate(lines, start=2):
        existing = budget.credit(line.change.key)
        if existing is None:
            new.append(line.change)
        elif existing.amount == line.amount:
            unchanged += 1
        else:
            raise RuleViolation(
                "plan_conflicts",
                f"line {number}: {line.credit_key} is {existing.amount} in the plan, not {line.amount};"
                " change an adopted credit with a budget change",
            )
    return new, unchanged
