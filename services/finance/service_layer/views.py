"""Queries of finance, answered from its tables with their typed replies.

Amounts are `Decimal` with two decimals everywhere: in the reply rows (`Money`, JSON strings)
and in the CSV export (a decimal point, never a float).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from decimal import Decimal

from services.finance.domain.balance import BalanceYear
from services.finance.domain.control import VisumStatus
from services.finance.domain.model import ZERO
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.planning import balance_with
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.contracts.base import Contract, LegalEntity
from shared.contracts.cells import cell
from shared.contracts.finance import (
    BalanceYearLine,
    BudgetChangeLine,
    BudgetHolderLine,
    CommitmentLine,
    CreditLine,
    ExportReport,
    ExportReportReply,
    GetBudgetChanges,
    GetBudgetChangesReply,
    GetBudgetHolderReport,
    GetBudgetHolderReportReply,
    GetCommitments,
    GetCommitmentsReply,
    GetCreditUse,
    GetCreditUseReply,
    GetPolicyFieldUse,
    GetPolicyFieldUseReply,
    GetTotals,
    GetTotalsReply,
    GetVisumReport,
    GetVisumReportReply,
    PolicyFieldLine,
    TotalLine,
    VisumCounts,
    VisumLine,
)

__all__ = [
    "PlanViews",
    "balance_lines",
    "export_report",
    "get_budget_holder_report",
    "get_commitments",
    "get_credit_use",
    "get_policy_field_use",
    "get_totals",
    "get_visum_report",
]

CENT = Decimal("0.01")


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT)


async def _credit_lines(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> tuple[CreditLine, ...]:
    found = sorted(await uow.credits.of_entity(entity), key=lambda c: c.credit_key)
    return tuple(
        CreditLine(
            credit_key=c.credit_key,
            entity=c.entity,
            total=c.total.value,
            financial_year=c.financial_year,
            amount=_cents(c.amount),
            committed=_cents(c.committed),
            available=_cents(c.available),
            description=c.description,
        )
        for c in found
    )


async def _total_lines(uow: FinanceUnitOfWork, entity: LegalEntity | None, year: int | None) -> tuple[TotalLine, ...]:
    found = [t for t in await uow.totals.all(entity) if year is None or t.financial_year == year]
    return tuple(
        TotalLine(
            entity=t.entity,
            financial_year=t.financial_year,
            total=t.total.value,
            amount=_cents(t.amount),
            committed=_cents(t.committed),
            available=_cents(t.available),
        )
        for t in sorted(found, key=lambda t: (t.entity.value, t.financial_year, t.total.value))
    )


async def _policy_field_lines(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> tuple[PolicyFieldLine, ...]:
    sums: dict[tuple[str, int, str], tuple[Decimal, Decimal]] = {}
    for c in await uow.credits.of_entity(entity):
        key = (c.entity.value, c.financial_year, c.policy_field)
        amount, committed = sums.get(key, (ZERO, ZERO))
        sums[key] = (amount + c.amount, committed + c.committed)
    return tuple(
        PolicyFieldLine(
            entity=LegalEntity(e),
            financial_year=y,
            policy_field=p,
            amount=_cents(a),
            committed=_cents(c),
            available=_cents(a - c),
        )
        for (e, y, p), (a, c) in sorted(sums.items())
    )


async def _visum_lines(
    uow: FinanceUnitOfWork, entity: LegalEntity | None, year: int | None = None
) -> tuple[VisumLine, ...]:
    visums = await uow.visums.all(entity)
    found = sorted((v for v in visums if year is None or v.requested_at.year == year), key=lambda v: v.requested_at)
    return tuple(
        VisumLine(
            visum_id=v.visum_id,
            item_id=v.item_id,
            entity=v.entity,
            credit_key=v.credit_key,
            amount=_cents(v.amount),
            status=v.status.value,
            conditions=v.conditions,
            reasons=v.reasons,
            decided_by=v.decided_by,
            decided_at=v.decided_at,
            overruled_by=v.overruled_by_body,
            overruling_decision_id=v.overruling_decision_id,
        )
        for v in found
    )


async def _commitment_lines(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> tuple[CommitmentLine, ...]:
    return tuple(
        CommitmentLine(
            commitment_id=c.commitment_id,
            entity=c.entity,
            credit_key=c.credit_key,
            financial_year=c.financial_year,
            amount=_cents(c.amount),
            ordered=_cents(c.ordered),
            paid=_cents(c.paid),
            third_party=c.third_party,
            investment_project=c.investment_project,
            decision_id=c.decision_id,
            delegation_id=c.delegation_id,
            recorded_by=c.recorded_by,
        )
        for c in await uow.commitments.all(entity)
    )


async def get_credit_use(uow: FinanceUnitOfWork, query: GetCreditUse) -> GetCreditUseReply:
    """Credits with amount, committed and available, by credit key."""
    return GetCreditUseReply(command_id=query.command_id, credits=await _credit_lines(uow, query.entity))


async def get_totals(uow: FinanceUnitOfWork, query: GetTotals) -> GetTotalsReply:
    """The limitative totals per entity and year."""
    return GetTotalsReply(
        command_id=query.command_id, totals=await _total_lines(uow, query.entity, query.financial_year)
    )


async def get_policy_field_use(uow: FinanceUnitOfWork, query: GetPolicyFieldUse) -> GetPolicyFieldUseReply:
    """Credit use per entity, year and policy field."""
    return GetPolicyFieldUseReply(
        command_id=query.command_id, policy_fields=await _policy_field_lines(uow, query.entity)
    )


async def get_visum_report(uow: FinanceUnitOfWork, query: GetVisumReport) -> GetVisumReportReply:
    """Every visum with its outcome and any overruling (of one year): the financial director's report."""
    lines = await _visum_lines(uow, query.entity, query.year)
    counts = {s.value: sum(1 for line in lines if line.status == s.value) for s in VisumStatus}
    return GetVisumReportReply(command_id=query.command_id, visums=lines, summary=VisumCounts(**counts))


async def get_commitments(uow: FinanceUnitOfWork, query: GetCommitments) -> GetCommitmentsReply:
    """Commitments with what is ordered and paid."""
    return GetCommitmentsReply(command_id=query.command_id, commitments=await _commitment_lines(uow, query.entity))


async def export_report(uow: FinanceUnitOfWork, query: ExportReport) -> ExportReportReply:
    """One report as CSV (amounts with a decimal point and two decimals, never floats)."""
    lines: Sequence[Contract]
    if query.report == "credits":
        lines = await _credit_lines(uow, query.entity)
    elif query.report == "totals":
        lines = await _total_lines(uow, query.entity, None)
    elif query.report == "policy_fields":
        lines = await _policy_field_lines(uow, query.entity)
    elif query.report == "visums":
        lines = await _visum_lines(uow, query.entity)
    else:
        lines = await _commitment_lines(uow, query.entity)
    out = io.StringIO()
    if lines:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(type(lines[0]).model_fields)
        writer.writerows([cell(getattr(line, name)) for name in type(line).model_fields] for line in lines)
    return ExportReportReply(command_id=query.command_id, csv=out.getvalue(), rows=len(lines))


async def get_budget_holder_report(uow: FinanceUnitOfWork, query: GetBudgetHolderReport) -> GetBudgetHolderReportReply:
    """The yearly report to the council: what each budget holder committed under which delegation on
    which credit, in the financial year; and the total per budget holder."""
    groups: dict[tuple[str, uuid.UUID, str, str], tuple[int, Decimal]] = {}
    for c in await uow.commitments.all(query.entity):
        if c.delegation_id is None or c.recorded_by is None or c.financial_year != query.financial_year:
            continue
        key = (c.recorded_by, c.delegation_id, c.entity.value, c.credit_key)
        count, amount = groups.get(key, (0, ZERO))
        groups[key] = (count + 1, amount + c.amount)
    lines = tuple(
        BudgetHolderLine(
            person_id=person,
            delegation_id=delegation,
            entity=LegalEntity(entity),
            credit_key=key,
            commitments=count,
            amount=_cents(amount),
        )
        for (person, delegation, entity, key), (count, amount) in sorted(groups.items())
    )
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.person_id] = totals.get(line.person_id, ZERO) + line.amount
    return GetBudgetHolderReportReply(
        command_id=query.command_id,
        financial_year=query.financial_year,
        lines=lines,
        totals={person: _cents(amount) for person, amount in sorted(totals.items())},
    )


def balance_lines(years: Sequence[BalanceYear]) -> tuple[BalanceYearLine, ...]:
    """Schema M2's rows as the contracts carry them."""
    return tuple(
        BalanceYearLine(
            financial_year=y.financial_year,
            operating_balance=_cents(y.operating_balance),
            investment_balance=_cents(y.investment_balance),
            financing_balance=_cents(y.financing_balance),
            budget_result=_cents(y.budget_result),
            available_result=_cents(y.available_result),
            self_financing_margin=_cents(y.self_financing_margin),
        )
        for y in years
    )


class PlanViews:
    """Queries that need the council's policy (whether the balance is tested per entity)."""

    def __init__(self, policy: FinancePolicy) -> None:
        self._policy = policy

    async def get_budget_changes(self, uow: FinanceUnitOfWork, query: GetBudgetChanges) -> GetBudgetChangesReply:
        """Staged plans, changes and carry-overs, newest first, and the balance of the plan in force."""
        changes = tuple(
            BudgetChangeLine(
                budget_change_id=c.budget_change_id,
                entity=c.entity,
                kind=c.kind.value,
                title=c.title,
                status=c.status.value,
                balanced=c.balanced,
                lines=len(c.lines),
                proposed_at=c.proposed_at,
                adopted_by=c.adopted_by,
                decision_id=c.decision_id,
                refusal=c.refusal,
            )
            for c in await uow.budget_changes.all(query.entity)
        )
        tests = await balance_with(uow, self._policy)
        test = next((t for t in tests if t.entity in {None, query.entity}), tests[0] if tests else None)
        return GetBudgetChangesReply(
            command_id=query.command_id,
            changes=changes,
            balance=balance_lines(test.years) if test is not None else (),
        )
