"""`rw finance …`: import the multi-year plan and show credits, totals, visums and commitments."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from nats.aio.client import Client
from rich.console import Console
from rich.table import Table

from cli.connection import NotRunningError, connect, load_run_info
from shared.contracts.base import Command, LegalEntity
from shared.contracts.common import CommandReply
from shared.contracts.finance import (
    ExportReport,
    GetCommitments,
    GetCreditUse,
    GetTotals,
    GetVisumReport,
    ImportPlan,
)
from shared.messaging.commands import send_command

__all__ = ["app", "table_of"]

app = typer.Typer(help="Multi-year plan, credits, visums and commitments.", no_args_is_help=True)
console = Console()
SOURCE = "/raderwerk/cli"

EntityOption = Annotated[LegalEntity | None, typer.Option(help="Only this entity (gemeente or ocmw).")]
#: Columns shown right-aligned: amounts.
_AMOUNTS = {"amount", "committed", "available", "ordered", "paid"}


class FinanceCliError(RuntimeError):
    """A command was rejected or the system is not reachable."""


async def _send(command: Command) -> CommandReply:
    nc: Client = await connect(load_run_info())
    try:
        reply = await send_command(nc, command, source=SOURCE, timeout=30.0)
    finally:
        await nc.close()
    if not reply.accepted:
        raise FinanceCliError(f"{reply.code}: {reply.message}")
    return reply


def _run(command: Command) -> CommandReply:
    try:
        return asyncio.run(_send(command))
    except (NotRunningError, FinanceCliError) as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc


def _id() -> str:
    return uuid.uuid4().hex


def table_of(title: str, rows: Sequence[dict[str, object]], columns: Sequence[str]) -> Table:
    """A rich table of query rows; amounts (strings with two decimals) right-aligned."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right" if column in _AMOUNTS else "left")
    for row in rows:
        table.add_row(*(str(row.get(column, "")) for column in columns))
    return table


def _rows(reply: CommandReply, key: str) -> list[dict[str, object]]:
    rows = reply.data.get(key, [])
    assert isinstance(rows, list)
    return rows


@app.command("import")
def import_(csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The plan as CSV.")]) -> None:
    """Import the multi-year plan (see docs/finance.md for the columns)."""
    reply = _run(ImportPlan(command_id=_id(), csv=csv_file.read_text(encoding="utf-8")))
    console.print(
        f"[green]plan imported[/]: {reply.data['credits_added']} credits added,"
        f" {reply.data['credits_unchanged']} unchanged"
    )


@app.command("credits")
def credits_(entity: EntityOption = None) -> None:
    """Every credit with its estimate, commitments and what is available."""
    reply = _run(GetCreditUse(command_id=_id(), entity=entity))
    columns = ("credit_key", "total", "description", "amount", "committed", "available")
    console.print(table_of("credits", _rows(reply, "credits"), columns))


@app.command()
def totals(
    entity: EntityOption = None,
    year: Annotated[int | None, typer.Option(help="Only this financial year.")] = None,
) -> None:
    """The four limitative totals per entity and year."""
    reply = _run(GetTotals(command_id=_id(), entity=entity, financial_year=year))
    columns = ("entity", "financial_year", "total", "amount", "committed", "available")
    console.print(table_of("limitative totals", _rows(reply, "totals"), columns))


@app.command()
def visums(entity: EntityOption = None) -> None:
    """The financial director's visums: requested, granted, refused and overruled."""
    reply = _run(GetVisumReport(command_id=_id(), entity=entity))
    columns = ("item_id", "entity", "amount", "status", "conditions", "reasons", "decided_by", "overruled_by")
    console.print(table_of("visums", _rows(reply, "visums"), columns))
    summary = reply.data.get("summary", {})
    assert isinstance(summary, dict)
    console.print(", ".join(f"{k}: {v}" for k, v in summary.items()))


@app.command()
def commitments(entity: EntityOption = None) -> None:
    """Commitments (vastleggingen) with what is ordered and paid."""
    reply = _run(GetCommitments(command_id=_id(), entity=entity))
    columns = ("commitment_id", "entity", "credit_key", "third_party", "amount", "ordered", "paid", "recorded_by")
    console.print(table_of("commitments", _rows(reply, "commitments"), columns))


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
    reply = _run(ExportReport.model_validate({"command_id": _id(), "report": report, "entity": entity}))
    text = str(reply.data.get("csv", ""))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"{reply.data.get('rows', 0)} rows written to {output}")
