"""`rw reports …`: the yearly reports to the council.

`rw reports budget-holders --year 2026`: the commitments budget holders made under their
delegations in the financial year: who, how much, on which credits (the council receives it
every year).

`rw reports complaints --year 2026`: the algemeen directeur's yearly report to the council on the
complaints received in the year (DLB art. 303 §3): per entity and in total, answered on time or
late, escalated, by outcome and by service concerned.
"""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.acting import acting
from cli.connection import connect, load_run_info
from cli.finance import SOURCE, EntityOption, table_of
from cli.records import ask as ask_records
from cli.records import complaints_report_table
from shared.contracts.cells import cell
from shared.contracts.finance import GetBudgetHolderReport, GetBudgetHolderReportReply
from shared.contracts.records import GetComplaintsReport, GetComplaintsReportReply
from shared.messaging.commands import send_query

__all__ = ["app", "budget_holder_report", "complaints_report_csv"]

app = typer.Typer(help="The yearly reports to the council.", no_args_is_help=True)
console = Console()
COLUMNS = ("person_id", "delegation_id", "entity", "credit_key", "commitments", "amount")


async def budget_holder_report(year: int, entity: object = None) -> GetBudgetHolderReportReply:
    """Ask finance for the budget holders' report of one financial year."""
    nc = await connect(load_run_info())
    try:
        query = GetBudgetHolderReport.model_validate(
            {"command_id": uuid.uuid4().hex, "financial_year": year, "entity": entity}
        )
        return await send_query(nc, query, GetBudgetHolderReportReply, actor=acting(), source=SOURCE, timeout=30.0)
    finally:
        await nc.close()


def report_csv(reply: GetBudgetHolderReportReply) -> str:
    """The report as CSV: one line per budget holder, delegation and credit, amounts with two decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in reply.lines:
        writer.writerow([cell(getattr(line, c)) for c in COLUMNS])
    return out.getvalue()


@app.command("budget-holders")
def budget_holders(
    year: Annotated[int, typer.Option(help="The financial year reported on.")],
    entity: EntityOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write the lines as CSV here.")] = None,
) -> None:
    """What budget holders committed under their delegations in the year: who, how much, on which credits."""
    reply = asyncio.run(budget_holder_report(year, entity))
    console.print(table_of(f"commitments by budget holders, financial year {year}", reply.lines, COLUMNS))
    for person, amount in reply.totals.items():
        console.print(f"[bold]{person}[/]: {cell(amount)}")
    if not reply.lines:
        console.print(f"no budget holder committed anything in {year}")
    if output is not None:
        output.write_text(report_csv(reply), encoding="utf-8")
        console.print(f"{len(reply.lines)} lines written to {output}")


COMPLAINT_COLUMNS = (
    "scope",
    "received",
    "answered",
    "answered_on_time",
    "answered_late",
    "still_open",
    "escalated",
    "founded",
    "partly_founded",
    "unfounded",
    "inadmissible",
    "average_days_to_answer",
)


def complaints_report_csv(reply: GetComplaintsReportReply) -> str:
    """The complaints report as CSV: one line per entity and the total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COMPLAINT_COLUMNS)
    for line in reply.lines:
        writer.writerow([cell(getattr(line, c)) for c in COMPLAINT_COLUMNS])
    return out.getvalue()


@app.command("complaints")
def complaints(
    year: Annotated[int, typer.Option(help="The year the complaints were received.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write the lines as CSV here.")] = None,
) -> None:
    """The algemeen directeur's yearly report to the council on the complaints of the year."""
    reply = ask_records(lambda cid: GetComplaintsReport(command_id=cid, year=year), GetComplaintsReportReply)
    console.print(complaints_report_table(reply))
    if reply.by_service:
        by_service = ", ".join(f"{service}: {n}" for service, n in sorted(reply.by_service.items()))
        console.print(f"by service concerned: {by_service}")
    else:
        console.print(f"no complaints received in {year}")
    if output is not None:
        output.write_text(complaints_report_csv(reply), encoding="utf-8")
        console.print(f"{len(reply.lines)} lines written to {output}")
