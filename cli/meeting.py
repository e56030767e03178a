"""`rw meeting …`: meetings, their decisions, minutes, publications and LBLOD export."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from nats.aio.client import Client
from rich.console import Console
from rich.table import Table

from cli.acting import acting, operator_signer
from cli.connection import NotRunningError, connect, load_run_info
from cli.meeting_walk import WalkError, walk_council_meeting
from shared.contracts.base import Query, QueryReply
from shared.contracts.sessions import (
    DecisionList,
    ExportLblod,
    ExportLblodReply,
    GetDecisionList,
    GetDecisionListReply,
    GetItemHistory,
    GetItemHistoryReply,
    GetMeeting,
    GetMeetingReply,
    ListMeetings,
    ListMeetingsReply,
    ListPublishedDocuments,
    ListPublishedDocumentsReply,
    VerifyPublications,
    VerifyPublicationsReply,
)
from shared.messaging.commands import send_query
from shared.messaging.errors import Rejected
from shared.vocabulary import BodyKind

__all__ = ["app"]

app = typer.Typer(help="Meetings: agendas, decisions, minutes, publication.", no_args_is_help=True)
console = Console()
AS_HELP = "Person id asking: members of a body see its closed items (claimed, not yet proven)."
T = TypeVar("T")
R = TypeVar("R", bound=QueryReply)


def _run(work: Callable[[Client], Awaitable[T]]) -> T:
    async def main() -> T:
        nc = await connect(load_run_info())
        try:
            return await work(nc)
        finally:
            await nc.close()

    try:
        return asyncio.run(main())
    except (NotRunningError, WalkError, Rejected) as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc


async def _ask(nc: Client, query: Query, reply: type[R]) -> R:
    return await send_query(nc, query, reply, actor=acting(), source="/raderwerk/cli", timeout=10)


def _cid() -> str:
    return uuid.uuid4().hex


def decision_table(listing: DecisionList) -> Table:
    table = Table(title=f"Besluitenlijst {listing.body} ({listing.entity}) {listing.held_on.isoformat()}")
    for column in ("#", "item", "kind", "outcome", "for / against / abstain"):
        table.add_column(column)
    for line in listing.items:
        if line.closed:
            table.add_row(str(line.position), "[dim](besloten zitting)[/]", "", "", "")
            continue
        votes = line.votes
        tally = f"{votes.in_favour} / {votes.against} / {votes.abstentions}" if votes else ""
        table.add_row(str(line.position), line.title or "", line.kind or "", line.outcome or "", tally)
    return table


@app.command("list")
def list_meetings(body: Annotated[BodyKind | None, typer.Option(help="Only meetings of this body.")] = None) -> None:
    """Meetings, newest first."""
    reply = _run(lambda nc: _ask(nc, ListMeetings(command_id=_cid(), body=body), ListMeetingsReply))
    table = Table(title="Meetings")
    for column in ("meeting", "body", "entity", "when", "status", "items", "minutes"):
        table.add_column(column)
    for m in reply.meetings:
        table.add_row(
            str(m.meeting_id),
            m.body,
            m.entity,
            m.scheduled_at.isoformat()[:16],
            m.status,
            str(m.items),
            m.minutes or "",
        )
    console.print(table)


@app.command()
def show(meeting_id: uuid.UUID, on_behalf_of: Annotated[str | None, typer.Option("--as", help=AS_HELP)] = None) -> None:
    """The agenda of a meeting and what happened to each item."""
    query = GetMeeting(command_id=_cid(), meeting_id=meeting_id, on_behalf_of=on_behalf_of)
    reply = _run(lambda nc: _ask(nc, query, GetMeetingReply))
    meeting, names = reply.meeting, reply.names
    console.print(
        f"[bold]{meeting.body}[/] ({meeting.entity}) {meeting.scheduled_at.isoformat()[:16]} — {meeting.status}"
    )
    console.print(f"present: {', '.join(names.get(p, p) for p in meeting.present) or '—'}")
    table = Table()
    for column in ("#", "item", "confidentiality", "origin", "outcome", "left the room"):
        table.add_column(column)
    for e in meeting.entries:
        table.add_row(
            str(e.position),
            "(besloten punt)" if e.restricted else e.title or "",
            e.confidentiality,
            e.origin or "",
            e.outcome or "",
            ", ".join(names.get(p, p) for p in e.absent),
        )
    console.print(table)


@app.command()
def history(
    item: Annotated[uuid.UUID | None, typer.Option(help="The agenda item.")] = None,
    decision: Annotated[uuid.UUID | None, typer.Option(help="Or any decision taken on it.")] = None,
    on_behalf_of: Annotated[str | None, typer.Option("--as", help=AS_HELP)] = None,
) -> None:
    """The one history of an item: the college's preparation, a committee's advice, the decision."""
    if (item is None) == (decision is None):
        raise typer.BadParameter("give --item or --decision")
    query = GetItemHistory(command_id=_cid(), item_id=item, decision_id=decision, on_behalf_of=on_behalf_of)
    reply = _run(lambda nc: _ask(nc, query, GetItemHistoryReply))
    title = "(besloten punt)" if reply.restricted else reply.title
    console.print(f"[bold]{title}[/] — {reply.body} ({reply.confidentiality}), {reply.item_status}")
    table = Table()
    for column in ("on", "body", "role", "outcome", "votes", "advice"):
        table.add_column(column)
    for step in reply.steps:
        votes = f"{step.tally.in_favour} / {step.tally.against} / {step.tally.abstentions}" if step.tally else ""
        table.add_row(step.on.isoformat(), step.body, step.role, step.outcome, votes, step.advice)
    console.print(table)


@app.command()
def decisions(meeting_id: uuid.UUID) -> None:
    """The decision list (besluitenlijst) of a meeting."""
    reply = _run(lambda nc: _ask(nc, GetDecisionList(command_id=_cid(), meeting_id=meeting_id), GetDecisionListReply))
    console.print(decision_table(reply.decision_list))


@app.command()
def export(
    meeting_id: uuid.UUID,
    out: Annotated[Path | None, typer.Option(help="Write to a file (with --html: a folder).")] = None,
    as_html: Annotated[
        bool, typer.Option("--html", help="Write the published HTML+RDFa documents and their register hashes.")
    ] = False,
) -> None:
    """The public part of a meeting as LBLOD JSON-LD, or (`--html`) its published HTML+RDFa documents."""
    if as_html:
        write_html(meeting_id, out or Path())
        return
    reply = _run(lambda nc: _ask(nc, ExportLblod(command_id=_cid(), meeting_id=meeting_id), ExportLblodReply))
    text = json.dumps(reply.jsonld, indent=2, ensure_ascii=False)
    if out is None:
        console.print_json(text)
    else:
        out.write_text(text)
        console.print(f"wrote {out}")


def write_html(meeting_id: uuid.UUID, folder: Path) -> list[Path]:
    """Write each published document of the meeting as `<seq>-<kind>-<document id>.html`, and `register.json`
    with the hashes the register keeps for them."""
    query = ListPublishedDocuments(command_id=_cid(), meeting_id=meeting_id)
    reply = _run(lambda nc: _ask(nc, query, ListPublishedDocumentsReply))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in reply.documents:
        if not doc.html:
            continue
        path = folder / f"{doc.seq:06d}-{doc.kind}-{doc.document_id}.html"
        path.write_text(doc.html, encoding="utf-8")
        written.append(path)
        console.print(f"wrote {path} [dim]{doc.title}[/]")
    index = [d.model_dump(mode="json", exclude={"html"}) for d in reply.documents]
    (folder / "register.json").write_text(json.dumps(index, indent=2, ensure_ascii=False), encoding="utf-8")
    if not written:
        console.print("[yellow]this meeting has no published documents yet[/]")
    return written


@app.command()
def verify() -> None:
    """Recompute every hash of the publication register."""
    reply = _run(lambda nc: _ask(nc, VerifyPublications(command_id=_cid()), VerifyPublicationsReply))
    if reply.broken is None:
        console.print(f"[green]publication register intact[/]: {reply.entries} entries")
        return
    broken = reply.broken.model_dump(mode="json")
    console.print(f"[red]publication register broken[/] at {broken} after {reply.intact} intact entries")
    raise typer.Exit(1)


@app.command()
def walk() -> None:
    """Walk a council meeting through every step and print the resulting decisions.

    The run's shared clock moves on to each meeting's time: sessions open on time, not before.
    """
    info = load_run_info()
    if info.clock_file is None:
        raise NotRunningError(
            "rw meeting walk moves the run's clock to each meeting's time; this run has no shared clock"
        )
    clock_file = info.clock_file
    with console.status("walking a council meeting…") as status:
        signer = operator_signer(info)
        result = _run(lambda nc: walk_council_meeting(nc, signer, clock_file, status.update))
    for step, detail in result.steps:
        console.print(f"[green]✓[/] {step} [dim]{detail}[/]")
    if result.decision_list is not None:
        console.print(decision_table(result.decision_list))
    for doc in result.published:
        console.print(f"published {doc['kind']}: {doc['title']} [dim]{doc['document_id']}[/]")
    register = result.register
    intact, entries = (register.intact, register.entries) if register else (0, 0)
    console.print(f"publication register: {intact} of {entries} entries intact")
    console.print(f"see it again: rw meeting show {result.meeting_id}")
