"""Queries of finance, answered from its tables with their typed replies.

Amounts are `Decimal` with two decimals everywhere: in the reply rows (`Money`, JSON strings)
and in the CSV export (a decimal point, never a float).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from services.finance.domain.control import VisumStatus
from services.finance.domain.model import ZERO
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.contracts.base import Contract, LegalEntity
from shared.contracts.cells import cell
from shared.contracts.finance import (
    CommitmentLine,
    CreditLine,
    ExportReport,
    ExportReportReply,
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
    "export_report",
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


async def _visum_lines(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> tuple[VisumLine, ...]:
    found = sorted(await uow.visums.all(entity), key=lambda v: v.requested_at)
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
    """Every visum with its outcome and any overruling: the financial director's report."""
    lines = await _visum_lines(uow, query.entity)
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


