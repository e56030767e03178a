"""`rw meeting …`: meetings, their decisions, minutes, publications and LBLOD export."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from nats.aio.client import Client
from rich.console import Console
from rich.table import Table

from cli.connection import NotRunningError, connect, load_run_info
from cli.meeting_walk import WalkError, walk_council_meeting
from shared.contracts.base import Command
from shared.contracts.common import BodyKind, CommandReply
from shared.contracts.sessions import ExportLblod, GetDecisionList, GetMeeting, ListMeetings, VerifyPublications
from shared.messaging.commands import send_command

__all__ = ["app"]

app = typer.Typer(help="Meetings: agendas, decisions, minutes, publication.", no_args_is_help=True)
console = Console()
T = TypeVar("T")


class _Refused(RuntimeError):
    pass


def _run(work: Callable[[Client], Awaitable[T]]) -> T:
    async def main() -> T:
        nc = await connect(load_run_info())
        try:
            return await work(nc)
        finally:
            await nc.close()

    try:
        return asyncio.run(main())
    except (NotRunningError, WalkError, _Refused) as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc


async def _ask(nc: Client, command: Command) -> CommandReply:
    reply = await send_command(nc, command, source="/raderwerk/cli", timeout=10)
    if not reply.accepted:
        raise _Refused(f"{reply.code}: {reply.message}")
    return reply


def _cid() -> str:
    return uuid.uuid4().hex


def decision_table(listing: dict[str, Any]) -> Table:
    table = Table(title=f"Besluitenlijst {listing['body']} ({listing['entity']}) {listing['held_on']}")
    for column in ("#", "item", "kind", "outcome", "for / against / abstain"):
        table.add_column(column)
    for line in listing["items"]:
        if line.get("closed"):
            table.add_row(str(line["position"]), "[dim](besloten zitting)[/]", "", "", "")
            continue
        votes = line.get("votes") or {}
        tally = f"{votes.get('in_favour', '')} / {votes.get('against', '')} / {votes.get('abstentions', '')}"
        table.add_row(str(line["position"]), line["title"], line["kind"], line["outcome"], tally if votes else "")
    return table


@app.command("list")
def list_meetings(body: Annotated[BodyKind | None, typer.Option(help="Only meetings of this body.")] = None) -> None:
    """Meetings, newest first."""
    reply = _run(lambda nc: _ask(nc, ListMeetings(command_id=_cid(), body=body)))
    table = Table(title="Meetings")
    for column in ("meeting", "body", "entity", "when", "status", "items", "minutes"):
        table.add_column(column)
    for m in reply.data["meetings"]:  # type: ignore[attr-defined]
        table.add_row(
            m["meeting_id"],
            m["body"],
            m["entity"],
            m["scheduled_at"][:16],
            m["status"],
            str(m["items"]),
            m["minutes"] or "",
        )
    console.print(table)


@app.command()
def show(meeting_id: uuid.UUID) -> None:
    """The agenda of a meeting and what happened to each item."""
    reply = _run(lambda nc: _ask(nc, GetMeeting(command_id=_cid(), meeting_id=meeting_id)))
    meeting: dict[str, Any] = reply.data["meeting"]  # type: ignore[assignment]
    names: dict[str, str] = reply.data["names"]  # type: ignore[assignment]
    console.print(
        f"[bold]{meeting['body']}[/] ({meeting['entity']}) {meeting['scheduled_at'][:16]} — {meeting['status']}"
    )
    console.print(f"present: {', '.join(names.get(p, p) for p in meeting['present']) or '—'}")
    table = Table()
    for column in ("#", "item", "confidentiality", "origin", "outcome", "left the room"):
        table.add_column(column)
    for e in meeting["entries"]:
        table.add_row(
            str(e["position"]),
            e["title"],
            e["confidentiality"],
            e["origin"],
            e["outcome"],
            ", ".join(names.get(p, p) for p in e["absent"]),
        )
    console.print(table)


@app.command()
def decisions(meeting_id: uuid.UUID) -> None:
    """The decision list (besluitenlijst) of a meeting."""
    reply = _run(lambda nc: _ask(nc, GetDecisionList(command_id=_cid(), meeting_id=meeting_id)))
    console.print(decision_table(reply.data["decision_list"]))  # type: ignore[arg-type]


@app.command()
def export(meeting_id: uuid.UUID, out: Annotated[Path | None, typer.Option(help="Write to a file.")] = None) -> None:
    """The public part of a meeting as LBLOD JSON-LD."""
    reply = _run(lambda nc: _ask(nc, ExportLblod(command_id=_cid(), meeting_id=meeting_id)))
    text = json.dumps(reply.data["jsonld"], indent=2, ensure_ascii=False)
    if out is None:
        console.print_json(text)
    else:
        out.write_text(text)
        console.print(f"wrote {out}")


@app.command()
def verify() -> None:
    """Recompute every hash of the publication register."""
    reply = _run(lambda nc: _ask(nc, VerifyPublications(command_id=_cid())))
    data = reply.data
    if data["broken"] is None:
        console.print(f"[green]publication register intact[/]: {data['entries']} entries")
        return
    console.print(f"[red]publication register broken[/] at {data['broken']} after {data['intact']} intact entries")
    raise typer.Exit(1)


@app.command()
def walk() -> None:
    """Walk a council meeting through every step and print the resulting decisions."""
    with console.status("walking a council meeting…") as status:
        result = _run(lambda nc: walk_council_meeting(nc, status.update))
    for step, detail in result.steps:
        console.print(f"[green]✓[/] {step} [dim]{detail}[/]")
    console.print(decision_table(result.decision_list))
    for doc in result.published:
        console.print(f"published {doc['kind']}: {doc['title']} [dim]{doc['document_id']}[/]")
    console.print(f"publication register: {result.register['intact']} of {result.register['entries']} entries intact")
    console.print(f"see it again: rw meeting show {result.meeting_id}")
