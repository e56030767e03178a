"""`rw records …`: the registers of records: letters, complaints, access requests, the archive with its
destruction statements, and an archive transfer as files (`export`).

Every listing is a query to the running records service as the operator; complaints and access
requests are shown without the complainant's or applicant's name (they stay in records' files).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.acting import acting
from cli.connection import NotRunningError, connect, load_run_info
from shared.contracts import records as c
from shared.contracts.base import Query, QueryReply
from shared.contracts.cells import cell
from shared.messaging.commands import send_query
from shared.messaging.errors import NoAnswer, Rejected

__all__ = ["app", "ask", "complaints_report_table", "export_archive"]

SOURCE = "/raderwerk/cli"
app = typer.Typer(
    help="Letters, complaints, access requests and the archive (records).", no_args_is_help=True, add_completion=False
)
console = Console()
R = TypeVar("R", bound=QueryReply)

YearOption = Annotated[int | None, typer.Option("--year", help="Only this year (of receipt or date).")]


async def ask_records(query: Query, reply_type: type[R]) -> R:
    """One query to records as the operator."""
    nc = await connect(load_run_info())
    try:
        return await send_query(nc, query, reply_type, actor=acting(), source=SOURCE, timeout=30)
    finally:
        await nc.close()


def ask(query_of: Callable[[str], Query], reply_type: type[R]) -> R:
    """The typed reply, or one line naming the problem and exit 1."""
    try:
        return asyncio.run(ask_records(query_of(uuid.uuid4().hex), reply_type))
    except NotRunningError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    except NoAnswer as exc:
        console.print("[red]records does not answer[/] (is it running? `rw status`)")
        raise typer.Exit(1) from exc
    except Rejected as exc:
        console.print(f"[red]rejected: {exc.code}[/] {exc.message}")
        raise typer.Exit(1) from exc


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(escape(cell(v)) for v in row))
    return table


def _redactions(redactions: tuple[c.Redaction, ...]) -> str:
    return " | ".join(f"{r.passage} ({r.ground.value})" for r in redactions)


@app.command()
def letters(year: YearOption = None) -> None:
    """The correspondence register: incoming letters with their term, outgoing ones with their signatures."""
    reply = ask(lambda cid: c.ListLetters(command_id=cid, year=year), c.ListLettersReply)
    columns = ("dated", "direction", "entity", "correspondent", "subject", "status", "due", "unit / issuer")
    rows = [
        (
            x.dated,
            x.direction,
            x.entity,
            x.correspondent,
            x.subject,
            x.status,
            x.due_on,
            x.unit_code or (x.issuer.value if x.issuer else ""),
        )
        for x in reply.letters
    ]
    console.print(_table("correspondence register", columns, rows))
    for x in reply.letters:
        if x.direction == "outgoing":
            console.print(f"{x.letter_id}: {escape(cell(x.signatures)) or 'unsigned'}")
    console.print(f"{len(reply.letters)} letters")


@app.command()
def complaints(year: YearOption = None) -> None:
    """The complaints register: term, handler, outcome and whether it escalated."""
    reply = ask(lambda cid: c.ListComplaints(command_id=cid, year=year), c.ListComplaintsReply)
    columns = ("received", "entity", "service", "due", "status", "handler", "outcome", "answered", "escalated", "id")
    rows = [
        (
            x.received_on,
            x.entity,
            x.service_concerned,
            x.due_on,
            x.status,
            x.handler_person_id,
            x.outcome,
            x.answered_on,
            "yes" if x.escalated else "",
            x.complaint_id,
        )
        for x in reply.complaints
    ]
    console.print(_table("complaints register", columns, rows))
    console.print(f"{len(reply.complaints)} complaints")


@app.command()
def requests(year: YearOption = None) -> None:
    """The register of access-to-documents requests: terms, decisions, grounds, redactions, appeal term."""
    reply = ask(lambda cid: c.ListAccessRequests(command_id=cid, year=year), c.ListAccessRequestsReply)
    columns = ("registered", "entity", "document", "form", "due", "status", "outcome", "grounds", "appeal until")
    rows = [
        (
            x.registered_on,
            x.entity,
            x.document,
            x.form,
            f"{x.due_on} (extended)" if x.extended else x.due_on,
            x.status,
            x.outcome,
            x.grounds,
            x.appeal_until,
        )
        for x in reply.requests
    ]
    console.print(_table("access to documents (openbaarheid van bestuur)", columns, rows))
    for x in reply.requests:
        if x.redactions:
            console.print(f"{x.request_id} redacted: {escape(_redactions(x.redactions))}")
    console.print(f"{len(reply.requests)} requests")


@app.command()
def archive(
    series: Annotated[str | None, typer.Option("--series", help="One series of the selection list.")] = None,
    destroyable_on: Annotated[
        str | None, typer.Option("--destroyable-on", help="Only records past their retention on this day.")
    ] = None,
    destroyed: Annotated[bool, typer.Option("--destroyed", help="Also the destroyed records.")] = False,
) -> None:
    """The archive: each record's series and retention, and the dated destruction statements."""
    day = dt.date.fromisoformat(destroyable_on) if destroyable_on else None

    def query(cid: str) -> c.ListArchiveRecords:
        return c.ListArchiveRecords(command_id=cid, series=series, destroyable_on=day, include_destroyed=destroyed)

    reply = ask(query, c.ListArchiveRecordsReply)
    columns = ("dated", "series", "entity", "title", "confidentiality", "destroy from", "status", "approved by", "id")
    rows = [
        (
            x.dated,
            x.series,
            x.entity,
            x.title,
            x.confidentiality,
            "kept permanently" if x.keep_permanently else x.destroy_from,
            x.status,
            x.approved_by,
            x.record_id,
        )
        for x in reply.records
    ]
    console.print(_table("archive", columns, rows))
    console.print(f"{len(reply.records)} records; selection list: {escape(reply.selection_list)}")
    statements = ask(lambda cid: c.ListDestructionStatements(command_id=cid), c.ListDestructionStatementsReply)
    for s in statements.statements:
        console.print(
            f"destruction statement {s.statement_id} of {s.destroyed_on} by {s.destroyed_by}"
            f" (approved by {s.approved_by or 'nobody'}):"
        )
        for line in s.records:
            console.print(f"  {escape(line)}")


ARCHIVE_COLUMNS = (
    "record_id",
    "series",
    "series_name",
    "entity",
    "title",
    "dated",
    "confidentiality",
    "keep_permanently",
    "destroy_from",
    "source",
    "status",
)


def export_archive(records: c.ListArchiveRecordsReply, statements: c.ListDestructionStatementsReply, to: Path) -> Path:
    """An archive transfer in `to`: the records kept (CSV), the destruction statements (CSV) and a manifest."""
    to.mkdir(parents=True, exist_ok=True)
    kept = [r for r in records.records if r.status == "kept"]
    with (to / "records.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(ARCHIVE_COLUMNS)
        for r in kept:
            writer.writerow([cell(getattr(r, col)) for col in ARCHIVE_COLUMNS])
    with (to / "destruction_statements.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("statement_id", "destroyed_on", "destroyed_by", "approved_by", "record"))
        for s in statements.statements:
            for line in s.records:
                writer.writerow((s.statement_id, s.destroyed_on, s.destroyed_by, cell(s.approved_by), line))
    manifest = {
        "selection_list": records.selection_list,
        "records": len(kept),
        "by_series": {code: sum(1 for r in kept if r.series == code) for code in sorted({r.series for r in kept})},
        "closed_or_social": sum(1 for r in kept if r.confidentiality.value != "public"),
        "destruction_statements": len(statements.statements),
        "files": ["records.csv", "destruction_statements.csv"],
    }
    (to / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return to / "manifest.json"


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the transfer into.")],
    series: Annotated[str | None, typer.Option("--series", help="Only one series.")] = None,
) -> None:
    """An archive transfer: every kept record with its series and retention, the destruction statements, a manifest.

    Closed and social-welfare records are listed with their confidentiality and a neutral title only:
    records never holds their content.
    """
    records = ask(lambda cid: c.ListArchiveRecords(command_id=cid, series=series), c.ListArchiveRecordsReply)
    statements = ask(lambda cid: c.ListDestructionStatements(command_id=cid), c.ListDestructionStatementsReply)
    manifest = export_archive(records, statements, output)
    kept = sum(1 for r in records.records if r.status == "kept")
    console.print(f"{kept} records and {len(statements.statements)} destruction statements written; see {manifest}")


def complaints_report_table(reply: c.GetComplaintsReportReply) -> Table:
    """The director's yearly complaints report: one row per entity and the total."""
    columns = (
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
    table = Table(title=f"complaints {reply.year} (term {reply.term_days} days)")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="left" if column == "scope" else "right")
    for line in reply.lines:
        values = [getattr(line, col) for col in columns]
        table.add_row(*(f"{v:.1f}" if isinstance(v, float) else cell(v) for v in values))
    return table
