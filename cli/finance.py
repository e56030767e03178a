"""`rw finance …`: import the multi-year plan and show credits, totals, visums and commitments."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from nats.aio.client import Client
from rich.console import Console
from rich.table import Table

from cli.connection import NotRunningError, connect, load_run_info
from shared.contracts.base import Command, Contract, LegalEntity, Query, QueryReply
from shared.contracts.cells import cell
from shared.contracts.common import CommandReply
from shared.contracts.finance import (
    ExportReport,
    ExportReportReply,
    GetCommitments,
    GetCommitmentsReply,
    GetCreditUse,
    GetCreditUseReply,
    GetTotals,
    GetTotalsReply,
    GetVisumReport,
    GetVisumReportReply,
    ImportPlan,
)
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import Rejected

__all__ = ["app", "table_of"]

app = typer.Typer(help="Multi-year plan, credits, visums and commitments.", no_args_is_help=True)
console = Console()
SOURCE = "/raderwerk/cli"

EntityOption = Annotated[LegalEntity | None, typer.Option(help="Only this entity (gemeente or ocmw).")]
#: Columns shown right-aligned: amounts.
_AMOUNTS = {"amount", "committed", "available", "ordered", "paid"}


R = TypeVar("R", bound=QueryReply)
T = TypeVar("T")


class FinanceCliError(RuntimeError):
    """A command was rejected or the system is not reachable."""


async def _connected(ask: Callable[[Client], Awaitable[T]]) -> T:
    nc: Client = await connect(load_run_info())
    try:
        return await ask(nc)
    finally:
        await nc.close()


async def _send(nc: Client, command: Command) -> CommandReply:
    reply = await send_command(nc, command, source=SOURCE, timeout=30.0)
    if not reply.accepted:
        raise FinanceCliError(f"{reply.code}: {reply.message}")
    return reply


async def _query(nc: Client, query: Query, reply_type: type[R]) -> R:
    try:
        return await send_query(nc, query, reply_type, source=SOURCE, timeout=30.0)
    except Rejected as exc:
        raise FinanceCliError(f"{exc.code}: {exc.message}") from exc


def _run(ask: Callable[[Client], Awaitable[T]]) -> T:
    try:
        return asyncio.run(_connected(ask))
    except (NotRunningError, FinanceCliError) as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc


def _ask(query: Query, reply_type: type[R]) -> R:
    return _run(lambda nc: _query(nc, query, reply_type))


def _id() -> str:
    return uuid.uuid4().hex


def table_of(title: str, rows: Sequence[Contract], columns: Sequence[str]) -> Table:
    """A rich table of a reply's rows; amounts (two decimals) right-aligned."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right" if column in _AMOUNTS else "left")
    for row in rows:
        table.add_row(*(cell(getattr(row, column, "")) for column in columns))
    return table


@app.command("import")
def import_(csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The plan as CSV.")]) -> None:
    """Import the multi-year plan (see docs/finance.md for the columns)."""
    plan = ImportPlan(command_id=_id(), csv=csv_file.read_text(encoding="utf-8"))
    reply = _run(lambda nc: _send(nc, plan))
    console.print(
        f"[green]plan imported[/]: {reply.data['credits_added']} credits added,"
        f" {reply.data['credits_unchanged']} unchanged"
    )


@app.command("credits")
def credits_(entity: EntityOption = None) -> None:
    """Every credit with its estimate, commitments and what is available."""
    reply = _ask(GetCreditUse(command_id=_id(), entity=entity), GetCreditUseReply)
    columns = ("credit_key", "total", "description", "amount", "committed", "available")
    console.print(table_of("credits", reply.credits, columns))


@app.command()
def totals(
    entity: EntityOption = None,
    year: Annotated[int | None, typer.Option(help="Only this financial year.")] = None,
) -> None:
    """The four limitative totals per entity and year."""
    reply = _ask(GetTotals(command_id=_id(), entity=entity, financial_year=year), GetTotalsReply)
    columns = ("entity", "financial_year", "total", "amount", "committed", "available")
    console.print(table_of("limitative totals", reply.totals, columns))


@app.command()
def visums(entity: EntityOption = None) -> None:
    """The financial director's visums: requested, granted, refused and overruled."""
    reply = _ask(GetVisumReport(command_id=_id(), entity=entity), GetVisumReportReply)
    columns = ("item_id", "entity", "amount", "status", "conditions", "reasons", "decided_by", "overruled_by")
    console.print(table_of("visums", reply.visums, columns))
    console.print(", ".join(f"{k}: {v}" for k, v in reply.summary.model_dump().items()))


@app.command()
def commitments(entity: EntityOption = None) -> None:
    """Commitments (vastleggingen) with what is ordered and paid."""
    reply = _ask(GetCommitments(command_id=_id(), entity=entity), GetCommitmentsReply)
    columns = ("commitment_id", "entity", "credit_key", "third_party", "amount", "ordered", "paid", "recorded_by")
    console.print(table_of("commitments", reply.commitments, columns))


@app.command()
def export(
    report: Annotated[str, typer.Argument(help="credits, totals, policy_fields, visums or commitments")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    entity: EntityOption = None,
) -> None:
    """Export one report as CSV."""
    choices = ("credits", "totals", "policy_fields", "visums", "commitments")
    if report not in choices:
        console.print(f"[red]unknown report {report!r}: choose {', '.join(choices)}[/]")
        raise typer.Exit(2)
    query = ExportReport.model_validate({"command_id": _id(), "report": report, "entity": entity})
    reply = _ask(query, ExportReportReply)
    if output is None:
        typer.echo(reply.csv, nl=False)
    else:
        output.write_text(reply.csv, encoding="utf-8")
        console.print(f"{reply.rows} rows written to {output}")
