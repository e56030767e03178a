"""`rw finance …`: stage the multi-year plan, follow its adoption and balance, move credits, and show
credits, totals, visums and commitments."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from nats.aio.client import Client
from rich.console import Console
from rich.table import Table

from cli.acting import acting
from cli.connection import NotRunningError, connect, load_run_info
from shared.contracts.base import Command, Contract, LegalEntity, Query, QueryReply
from shared.contracts.cells import cell
from shared.contracts.common import CommandReply
from shared.contracts.finance import (
    AdjustCredits,
    CarryOverCredit,
    CreditChange,
    CreditCoding,
    ExportReport,
    ExportReportReply,
    GetBudgetChanges,
    GetBudgetChangesReply,
    GetCommitments,
    GetCommitmentsReply,
    GetCreditUse,
    GetCreditUseReply,
    GetTotals,
    GetTotalsReply,
    GetVisumReport,
    GetVisumReportReply,
    ImportPlan,
    ProposeCarryOver,
)
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import Rejected

__all__ = ["app", "coding_of", "table_of"]

app = typer.Typer(
    help="Multi-year plan, its adoption and balance, credits, visums and commitments.", no_args_is_help=True
)
console = Console()
SOURCE = "/raderwerk/cli"

EntityOption = Annotated[LegalEntity | None, typer.Option(help="Only this entity (gemeente or ocmw).")]
#: Columns shown right-aligned: amounts.
_AMOUNTS = {
    "amount",
    "committed",
    "available",
    "ordered",
    "paid",
    "operating_balance",
    "investment_balance",
    "financing_balance",
    "budget_result",
    "available_result",
    "self_financing_margin",
}


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
    reply = await send_command(nc, command, actor=acting(), source=SOURCE, timeout=30.0)
    if not reply.accepted:
        raise FinanceCliError(f"{reply.code}: {reply.message}")
    return reply


async def _query(nc: Client, query: Query, reply_type: type[R]) -> R:
    try:
        return await send_query(nc, query, reply_type, actor=acting(), source=SOURCE, timeout=30.0)
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


def coding_of(entity: LegalEntity, year: int, text: str) -> CreditCoding:
    """`account/policy field/action` (`-` or nothing for no action) as a credit's coding."""
    parts = text.split("/")
    if len(parts) not in {2, 3}:
        raise typer.BadParameter(f"{text!r}: give account/policy field/action, e.g. 6140000/0119/AC-1.1.1")
    action = parts[2] if len(parts) == 3 and parts[2] not in {"", "-"} else None
    return CreditCoding(
        entity=entity, financial_year=year, economic_account=parts[0], policy_field=parts[1], action=action
    )


@app.command("import")
def import_(
    csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The plan as CSV.")],
    by: Annotated[str, typer.Option("--by", help="Person id of who stages it.")] = "p-fd",
) -> None:
    """Stage the multi-year plan or a change of it (see docs/finance.md for the columns).

    Nothing is in force until the council adopts it: each entity's part is staged with its balance
    test; put it on the agenda with a `budget_change` item naming the staged id.
    """
    plan = ImportPlan(command_id=_id(), csv=csv_file.read_text(encoding="utf-8"), proposed_by=by)
    reply = _run(lambda nc: _send(nc, plan))
    for entity in LegalEntity:
        outcome = reply.data.get(entity.value)
        if not isinstance(outcome, dict):
            continue
        if not outcome.get("staged"):
            console.print(f"{entity.value}: nothing new ({outcome.get('unchanged', 0)} lines as in force)")
            continue
        counts = f"{outcome['added']} added, {outcome['changed']} changed, {outcome['unchanged']} unchanged"
        console.print(f"[green]{entity.value}: {outcome['kind']} staged[/] as {reply.ids[entity.value]} ({counts})")
        if outcome.get("balanced"):
            console.print(
                f"  in financial balance; the {outcome['adopted_by']} adopts it"
                + (" and the gemeenteraad then approves it" if entity is LegalEntity.OCMW else "")
                + " (an item naming this id)"
            )
        else:
            console.print(f"  [red]NOT in financial balance[/]: {outcome.get('refusal')}; it cannot go on an agenda")
    console.print(f"{reply.data['credits_added']} lines staged, {reply.data['credits_unchanged']} unchanged")


@app.command()
def plan(entity: EntityOption = None) -> None:
    """Staged plans, changes and carry-overs, and the balance of the plan in force (schema M2)."""
    reply = _ask(GetBudgetChanges(command_id=_id(), entity=entity), GetBudgetChangesReply)
    columns = ("budget_change_id", "entity", "kind", "title", "status", "balanced", "lines", "refusal")
    console.print(table_of("staged plans and changes", reply.changes, columns))
    balance = (
        "financial_year",
        "operating_balance",
        "investment_balance",
        "financing_balance",
        "budget_result",
        "available_result",
        "self_financing_margin",
    )
    console.print(table_of("financial balance of the plan in force", reply.balance, balance))


@app.command()
def adjust(  # noqa: PLR0917 - one option per part of the adjustment
    entity: Annotated[LegalEntity, typer.Option(help="gemeente or ocmw.")],
    year: Annotated[int, typer.Option(help="The financial year.")],
    from_: Annotated[str, typer.Option("--from", help="The credit that gives: account/policy field/action.")],
    to: Annotated[str, typer.Option(help="The credit that receives: account/policy field/action.")],
    amount: Annotated[str, typer.Option(help="Euro, e.g. 500000.00.")],
    by: Annotated[str, typer.Option("--by", help="Person id of who decides it.")] = "p-fd",
    reason: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Move an estimate between two credits of one limitative total (an internal credit adjustment)."""
    moved = Decimal(amount)
    command = AdjustCredits(
        command_id=_id(),
        entity=entity,
        changes=(
            CreditChange(credit=coding_of(entity, year, from_), change=-moved),
            CreditChange(credit=coding_of(entity, year, to), change=moved),
        ),
        decided_by=by,
        reason=reason,
    )
    reply = _run(lambda nc: _send(nc, command))
    console.print(f"[green]adjusted[/]: {moved:.2f} from {from_} to {to} ({reply.ids['adjustment_id']})")


@app.command("carry-over")
def carry_over(
    entity: Annotated[LegalEntity, typer.Option(help="gemeente or ocmw.")],
    from_year: Annotated[int, typer.Option(help="The year whose unused credits move to the next.")],
    credit: Annotated[
        list[str] | None,
        typer.Option(help="account/policy field/action[=amount]; none: every unused investment and financing credit."),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Person id of who prepares it.")] = "p-fd",
) -> None:
    """Prepare a carry-over; the college (vast bureau) decides it before 1 March with a `carry_over` item."""
    chosen = []
    for text in credit or []:
        coding, _, amount = text.partition("=")
        chosen.append(
            CarryOverCredit(credit=coding_of(entity, from_year, coding), amount=Decimal(amount) if amount else None)
        )
    command = ProposeCarryOver(
        command_id=_id(), entity=entity, from_year=from_year, credits=tuple(chosen), proposed_by=by
    )
    reply = _run(lambda nc: _send(nc, command))
    moves = reply.data.get("moves")
    for move in moves if isinstance(moves, list) else []:
        console.print(f"  {move['credit_key']}: {move['amount']}")
    executive = "college" if entity is LegalEntity.GEMEENTE else "vast bureau"
    console.print(
        f"[green]carry-over staged[/] as {reply.ids['budget_change_id']}: the {executive} decides it before"
        f" 1 March {from_year + 1} (a carry_over item naming this id); nothing moves before"
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
