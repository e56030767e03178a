"""Reading the multi-year plan (meerjarenplan) from CSV, with errors a person can fix."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from services.finance.domain.model import Credit, CreditTotal, credit_key
from shared.contracts.base import LegalEntity

__all__ = ["COLUMNS", "PlanError", "PlanLine", "parse_plan_csv"]

COLUMNS = (
    "entity",
    "financial_year",
    "total",
    "economic_account",
    "policy_field",
    "action",
    "investment_project",
    "amount",
    "description",
)

_AMOUNT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
_ACCOUNT = re.compile(r"^\d{4,10}$")
_POLICY_FIELD = re.compile(r"^\d{4}$")
_YEAR = re.compile(r"^\d{4}$")


class PlanError(ValueError):
    """A line of the plan is invalid; names the line (1 = header) and the column."""

    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.line = line
        self.column = column
        self.message = message


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

    @property
    def credit_key(self) -> str:
        return credit_key(self.entity, self.financial_year, self.economic_account, self.policy_field, self.action)

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
        raise PlanError(line, "entity", f"unknown entity {entity!r} (gemeente or ocmw)")
    year = cell("financial_year")
    if not _YEAR.match(year) or not 2000 <= int(year) <= 2100:
        raise PlanError(line, "financial_year", f"{year!r} is not a year between 2000 and 2100")
    total = cell("total")
    if total not in {t.value for t in CreditTotal}:
        raise PlanError(line, "total", f"unknown total {total!r} ({', '.join(t.value for t in CreditTotal)})")
    account = cell("economic_account")
    if not _ACCOUNT.match(account):
        raise PlanError(line, "economic_account", f"{account!r} is not 4 to 10 digits")
    policy_field = cell("policy_field")
    if not _POLICY_FIELD.match(policy_field):
        raise PlanError(line, "policy_field", f"{policy_field!r} is not 4 digits")
    raw_amount = cell("amount")
    try:
        amount = Decimal(raw_amount) if _AMOUNT.match(raw_amount) else None
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        amount = None
    if amount is None or amount <= 0:
        raise PlanError(line, "amount", f"{raw_amount!r} is not a positive amount with at most 2 decimals")
    return PlanLine(
        entity=LegalEntity(entity),
        financial_year=int(year),
        total=CreditTotal(total),
        economic_account=account,
        policy_field=policy_field,
        action=cell("action"),
        investment_project=cell("investment_project") or None,
        amount=amount.quantize(Decimal("0.01")),
        description=cell("description"),
    )


def parse_plan_csv(text: str) -> list[PlanLine]:
    """Every line of the plan, validated; the first error raises `PlanError`."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    for column in COLUMNS:
        if column not in header:
            raise PlanError(1, column, "missing column")
    reader.fieldnames = header
    lines: list[PlanLine] = []
    seen: dict[str, int] = {}
    start = reader.line_num + 1
    for row in reader:
        line = _line(row, start)
        if line.credit_key in seen:
            raise PlanError(start, "key", f"duplicate credit {line.credit_key} (first on line {seen[line.credit_key]})")
        seen[line.credit_key] = start
        lines.append(line)
        start = reader.line_num + 1
    return lines
