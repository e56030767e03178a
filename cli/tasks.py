"""`rw tasks …`: follow-up tasks per person and per unit, and what can be done with them; the organogram."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable, Sequence

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.acting import acting
from cli.connection import NotRunningError, connect, load_run_info
from shared.contracts.base import Command
from shared.contracts.common import CommandReply
from shared.contracts.organisation import (
    CancelTask,
    ClaimTask,
    CommentTask,
    CompleteTask,
    GetOrganogram,
    GetOrganogramReply,
    ListTasks,
    ListTasksReply,
    ReassignTask,
    ScanOverdue,
    TaskLine,
)
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import Rejected

__all__ = ["app", "ask_tasks", "organogram_table", "send", "task_table"]

app = typer.Typer(help="Follow-up tasks of adopted decisions.", no_args_is_help=True, add_completion=False)
console = Console()

_STATUS_STYLE = {"open": "white", "in_progress": "cyan", "overdue": "red", "done": "green", "cancelled": "dim"}


def send(command_of: Callable[[str], Command], timeout: float = 10.0) -> CommandReply:
    """Send one command as the operator and answer the reply (exit 1 when not running or rejected)."""

    async def main() -> CommandReply:
        nc = await connect(load_run_info())
        try:
            return await send_command(
                nc, command_of(uuid.uuid4().hex), actor=acting(), source="/raderwerk/cli", timeout=timeout
            )
        finally:
            await nc.close()

    try:
        reply = asyncio.run(main())
    except NotRunningError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    if not reply.accepted:
        console.print(f"[red]rejected: {reply.code}[/] {reply.message}")
        raise typer.Exit(1)
    return reply


def ask_tasks(query_of: Callable[[str], ListTasks], timeout: float = 10.0) -> ListTasksReply:
    """Ask for tasks as the operator (exit 1 when not running or rejected)."""

    async def main() -> ListTasksReply:
        nc = await connect(load_run_info())
        try:
            query = query_of(uuid.uuid4().hex)
            return await send_query(nc, query, ListTasksReply, actor=acting(), source="/raderwerk/cli", timeout=timeout)
        finally:
            await nc.close()

    try:
        return asyncio.run(main())
    except NotRunningError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    except Rejected as exc:
        console.print(f"[red]rejected: {exc.code}[/] {exc.message}")
        raise typer.Exit(1) from exc


def task_table(tasks: Sequence[TaskLine], title: str = "tasks") -> Table:
    """Tasks as a table, overdue ones in red."""
    table = Table(title=title)
    for col in ("due", "status", "owner", "unit", "entity", "kind", "title", "level", "task id"):
        table.add_column(col)
    for t in tasks:
        style = _STATUS_STYLE.get(t.status.value, "white")
        table.add_row(
            t.due_date.isoformat(),
            f"[{style}]{t.status.value}[/]",
            escape(f"{t.owner_name} ({t.owner_person_id})"),
            t.unit_code,
            t.entity.value,
            t.kind.value,
            escape(t.title),
            str(t.escalation_level),
            str(t.task_id),
        )
    return table


@app.command("list")
def list_(
    person: str | None = typer.Option(None, "--person", "-p", help="Owner's person id, e.g. p-fin."),
    unit: str | None = typer.Option(None, "--unit", "-u", help="Organogram unit, e.g. FIN."),
    status: str | None = typer.Option(None, "--status", "-s", help="open, in_progress, overdue, done, cancelled."),
    decision: str | None = typer.Option(None, "--decision", help="Decision id."),
) -> None:
    """Tasks per person and/or per unit, with their status, by due date."""
    decision_id = uuid.UUID(decision) if decision else None
    reply = ask_tasks(
        lambda cid: ListTasks(
            command_id=cid, owner_person_id=person, unit_code=unit, status=status, decision_id=decision_id
        )
    )
    tasks = reply.tasks
    label = ", ".join(f"{k} {v}" for k, v in (("person", person), ("unit", unit), ("status", status)) if v)
    console.print(task_table(tasks, f"tasks{' — ' + label if label else ''}"))
    counts: dict[str, int] = {}
    for t in tasks:
        counts[t.status.value] = counts.get(t.status.value, 0) + 1
    console.print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no tasks")


def _done(reply: CommandReply, what: str) -> None:
    console.print(f"[green]{what}[/] {reply.data or reply.ids}")


@app.command()
def claim(task: uuid.UUID, person: str = typer.Option(..., "--person", "-p")) -> None:
    """The owner starts working on a task."""
    _done(send(lambda cid: ClaimTask(command_id=cid, task_id=task, person_id=person)), "claimed")


@app.command()
def complete(task: uuid.UUID, person: str = typer.Option(..., "--person", "-p")) -> None:
    """Mark a task done."""
    _done(send(lambda cid: CompleteTask(command_id=cid, task_id=task, person_id=person)), "done")


@app.command()
def reassign(
    task: uuid.UUID,
    to: str = typer.Option(..., "--to", help="New owner's person id."),
    by: str = typer.Option(..., "--by", help="Who reassigns."),
    reason: str = typer.Option("", "--reason"),
) -> None:
    """Give a task another owner."""
    reply = send(
        lambda cid: ReassignTask(command_id=cid, task_id=task, to_person_id=to, by_person_id=by, reason=reason)
    )
    _done(reply, "reassigned")


@app.command()
def comment(task: uuid.UUID, text: str, person: str = typer.Option(..., "--person", "-p")) -> None:
    """Add a comment to a task."""
    _done(send(lambda cid: CommentTask(command_id=cid, task_id=task, person_id=person, text=text)), "commented")


@app.command()
def cancel(task: uuid.UUID, reason: str, by: str = typer.Option(..., "--by")) -> None:
    """Cancel a task (it no longer blocks its decision)."""
    _done(send(lambda cid: CancelTask(command_id=cid, task_id=task, by_person_id=by, reason=reason)), "cancelled")


@app.command("scan-overdue")
def scan_overdue(
    as_of: str = typer.Option(dt.date.today().isoformat(), "--as-of", help="Date to scan as of (YYYY-MM-DD)."),  # noqa: DTZ011 - a calendar date for the operator
) -> None:
    """Run the overdue scan now: mark tasks past their deadline overdue and escalate them."""
    day = dt.date.fromisoformat(as_of)
    _done(send(lambda cid: ScanOverdue(command_id=cid, as_of=day)), "scanned")


def organogram_table(reply: GetOrganogramReply) -> Table:
    """An organogram version: its units with their heads; the drafts still waiting in the caption."""
    state = "draft" if reply.draft else f"valid from {reply.valid_from}" if reply.valid_from else "none applied"
    waiting = ", ".join(str(v) for v in reply.drafts) or "none"
    table = Table(
        title=f"organogram version {reply.version} ({state})", caption=f"drafts awaiting the council: {waiting}"
    )
    for col in ("unit", "name", "parent", "head", "management team"):
        table.add_column(col)
    for u in reply.units:
        head = f"{u.head_name} ({u.head_person_id})" if u.head_person_id else ""
        table.add_row(u.code, escape(u.name), u.parent or "", escape(head), "yes" if u.management_team else "")
    return table


@app.command()
def organogram(
    on: str | None = typer.Option(None, "--on", help="The version valid on this date (default today)."),
    version: int | None = typer.Option(None, "--version", help="One version by its number, e.g. a draft."),
) -> None:
    """The organogram valid on a date, or one version (a draft the council may adopt)."""
    day = dt.date.fromisoformat(on) if on else None

    async def main() -> GetOrganogramReply:
        nc = await connect(load_run_info())
        try:
            query = GetOrganogram(command_id=uuid.uuid4().hex, on=day, version=version)
            return await send_query(nc, query, GetOrganogramReply, actor=acting(), source="/raderwerk/cli", timeout=10)
        finally:
            await nc.close()

    try:
        reply = asyncio.run(main())
    except NotRunningError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    except Rejected as exc:
        console.print(f"[red]rejected: {exc.code}[/] {exc.message}")
        raise typer.Exit(1) from exc
    console.print(organogram_table(reply))
