"""`rw audit …`: the ledger for an auditor, the financial director or the supervisory authority.

    rw audit trail <correlation-id>     the tree of commands, events and consumes, with times and services
    rw audit search --subject … --type … --entity … --body … --since … --until …
    rw audit verify                     the chain and every signed checkpoint; names the first broken link
    rw audit export --since … --until … --format jsonl|csv -o FILE
    rw audit checkpoint                 sign the ledger's head now

Everything goes through audit's queries (the operator's NATS user may send commands, nothing
else); a long verify or export walks the ledger a stretch at a time behind a progress bar.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from nats.aio.client import Client
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.tree import Tree

from cli.acting import operating
from cli.connection import connect, load_run_info
from shared.contracts.audit import (
    GENESIS_HASH,
    ConsumeRecorded,
    ExportedRecord,
    ExportLedger,
    ExportLedgerReply,
    GetTrail,
    GetTrailReply,
    RecordCheckpoint,
    SearchLedger,
    SearchLedgerReply,
    TrailRecord,
    VerifyLedger,
    VerifyLedgerReply,
)
from shared.contracts.base import CE_TYPE_PREFIX
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import Rejected

__all__ = ["app", "render_trail", "trail_tree", "verify_ledger", "write_export"]

app = typer.Typer(help="The audit ledger: trails, search, verification, exports.", no_args_is_help=True)
console = Console()
SOURCE = "/raderwerk/cli"
#: Records walked per verify request: a progress step, well inside the query's timeout.
VERIFY_STRETCH = 100_000
EXPORT_PAGE = 200
T = TypeVar("T")


def _id() -> str:
    return uuid.uuid4().hex


async def _with_nats(work: Callable[[Client], Awaitable[T]]) -> T:
    nc = await connect(load_run_info())
    try:
        return await work(nc)
    finally:
        await nc.close()


def _name(ce_type: str | None) -> str:
    if not ce_type:
        return "(no type)"
    name = ce_type.removeprefix(f"{CE_TYPE_PREFIX}.")
    head, _, version = name.rpartition(".v")
    return head if version.isdigit() else name


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


def _consume_label(r: TrailRecord, c: ConsumeRecorded) -> str:
    colour = {"acked": "green", "duplicate": "blue", "retried": "yellow", "dead_lettered": "red"}[c.outcome]
    text = f"[{colour}]{c.outcome}[/] by [bold]{c.consumer}[/] ({r.service}) · delivery {c.delivery}"
    if c.retry_in_s is not None:
        text += f" · retry in {c.retry_in_s:g} s"
    if c.reason:
        text += f" · {c.reason}"
    if c.error:
        text += f" · [dim]{c.error}[/]"
    return f"{text} [dim]{_when(r.captured_at)} · ledger #{r.seq}[/]"


def trail_tree(correlation_id: str, records: Iterable[TrailRecord]) -> Tree:
    """Commands and events as their causation tree; each consume record under the message it consumed."""
    ordered = sorted(records, key=lambda r: r.seq)
    messages = [r for r in ordered if r.consume is None]
    consumes: dict[str | None, list[TrailRecord]] = {}
    for r in ordered:
        if r.consume is not None:
            consumes.setdefault(r.consume.message_id, []).append(r)
    ids = {r.message_id for r in messages}
    children: dict[str | None, list[TrailRecord]] = {}
    for r in messages:
        children.setdefault(r.causation_id if r.causation_id in ids else None, []).append(r)
    consumed = len(ordered) - len(messages)
    root = Tree(f"[bold]correlation {correlation_id}[/] · {len(messages)} messages, {consumed} consumes")
    seen: set[int] = set()

    def add(node: Tree, parent: str | None) -> None:
        for r in children.get(parent, []):
            if r.seq in seen:
                continue
            seen.add(r.seq)
            kind = "command" if r.subject.startswith("cmd.") else "event"
            branch = node.add(
                f"[cyan]{_name(r.type)}[/] [dim]{kind} from {r.service or '?'} · {_when(r.captured_at)} · "
                f"{r.entity}/{r.confidentiality} · ledger #{r.seq} {r.row_hash[:12]}…[/]"
            )
            for c in consumes.pop(r.message_id, []):
                if c.consume is not None:
                    branch.add(_consume_label(c, c.consume))
            if r.message_id is not None:
                add(branch, r.message_id)

    add(root, None)
    for orphans in consumes.values():  # consumes of a message with another correlation id (or not yet captured)
        for c in orphans:
            if c.consume is not None:
                root.add(f"[dim]of {c.consume.subject} #{c.consume.stream_seq}:[/] " + _consume_label(c, c.consume))
    return root


def render_trail(reply: GetTrailReply, out: Console) -> None:
    """Print a trail as its tree."""
    if not reply.records:
        out.print(f"no ledger records with correlation id {reply.correlation_id}")
        return
    out.print(trail_tree(reply.correlation_id, reply.records))
    if reply.truncated:
        out.print(f"[yellow]only the first {len(reply.records)} records are shown[/]")


@app.command()
def trail(correlation_id: Annotated[str, typer.Argument(help="The correlation id of a flow.")]) -> None:
    """The tree of commands, events and consumes of one flow, with times, services and ledger positions."""

    async def ask(nc: Client) -> GetTrailReply:
        query = GetTrail(command_id=_id(), correlation_id=correlation_id)
        return await send_query(nc, query, GetTrailReply, actor=operating(), source=SOURCE, timeout=10)

    render_trail(asyncio.run(_with_nats(ask)), console)


def _moment(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 date or time") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@app.command()
def search(  # noqa: PLR0917 - every filter is an option of the command
    subject: Annotated[str | None, typer.Option(help="A subject or NATS pattern, e.g. finance.commitment.>")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="The CloudEvents type, exact.")] = None,
    entity: Annotated[str | None, typer.Option(help="gemeente, ocmw or both.")] = None,
    body: Annotated[str | None, typer.Option(help="Text the payload contains (case-insensitive).")] = None,
    since: Annotated[str | None, typer.Option(help="Captured at or after (ISO 8601; UTC when no offset).")] = None,
    until: Annotated[str | None, typer.Option(help="Captured before (ISO 8601).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 200,
) -> None:
    """Ledger records by subject, type, entity, body and time range (metadata only)."""

    async def ask(nc: Client) -> SearchLedgerReply:
        query = SearchLedger(
            command_id=_id(),
            subject_filter=subject,
            event_type=event_type,
            entity=entity,
            body=body,
            since=_moment(since),
            until=_moment(until),
            limit=limit,
        )
        return await send_query(nc, query, SearchLedgerReply, actor=operating(), source=SOURCE, timeout=30)

    reply = asyncio.run(_with_nats(ask))
    table = Table("seq", "captured", "subject", "service", "entity", "correlation", title="ledger records")
    for r in reply.records:
        table.add_row(str(r.seq), _when(r.captured_at), r.subject, r.service or "", r.entity or "", r.correlation_id)
    console.print(table)
    if reply.truncated:
        console.print(f"[yellow]more records match: narrow the search (first {len(reply.records)} shown)[/]")


async def verify_ledger(nc: Client, progress: Callable[[int, int], None] | None = None) -> VerifyLedgerReply:
    """Walk the whole chain a stretch at a time (each against every checkpoint); the last reply."""
    after, prev, checked = 0, GENESIS_HASH, 0
    while True:
        query = VerifyLedger(command_id=_id(), after_seq=after, prev_hash=prev, limit=VERIFY_STRETCH)
        reply = await send_query(nc, query, VerifyLedgerReply, actor=operating(), source=SOURCE, timeout=120)
        checked += reply.checked
        if progress is not None:
            progress(reply.last_seq, reply.head_seq)
        if not reply.ok or reply.last_seq >= reply.head_seq or reply.checked == 0:
            return reply.model_copy(update={"checked": checked})
        after, prev = reply.last_seq, reply.last_hash


class VerifyFailed(RuntimeError):
    """The ledger does not verify: the message names the first broken link."""


@app.command()
def verify() -> None:
    """Walk the hash chain against every signed checkpoint; name the first broken link (non-zero when broken)."""

    async def run(nc: Client) -> VerifyLedgerReply:
        columns = (TextColumn("verifying the ledger"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("verify", total=None)

            def step(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return await verify_ledger(nc, step)

    reply = asyncio.run(_with_nats(run))
    if not reply.ok:
        raise VerifyFailed(f"the ledger is broken at seq {reply.first_broken_seq}: {reply.reason}")
    newest = reply.newest_checkpoint_seq
    console.print(
        f"[green]ledger intact[/]: {reply.checked} records, {reply.checkpoints} signed checkpoints"
        + (f" (newest at seq {newest}; seq {newest + 1}–{reply.head_seq} rest on the chain alone)" if newest else "")
    )


def _row(r: ExportedRecord) -> dict[str, Any]:
    return r.model_dump(mode="json")


def write_export(pages: Iterable[ExportLedgerReply], path: Path, fmt: str) -> tuple[int, ExportLedgerReply | None]:
    """Write the records of every page to `path` (JSON Lines or CSV); answers the count and the last page."""
    count, last = 0, None
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ExportedRecord.model_fields)) if fmt == "csv" else None
        if writer is not None:
            writer.writeheader()
        for page in pages:
            last = page
            for record in page.records:
                row = _row(record)
                if writer is not None:
                    writer.writerow({**row, "headers": json.dumps(row["headers"], sort_keys=True)})
                else:
                    handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    return count, last


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    since: Annotated[str | None, typer.Option(help="Captured at or after (ISO 8601).")] = None,
    until: Annotated[str | None, typer.Option(help="Captured before (ISO 8601).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
) -> None:
    """Whole records of a period (payloads included: for auditors) and, beside them, the covering checkpoint."""
    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("--format is jsonl or csv")

    async def run(nc: Client) -> list[ExportLedgerReply]:
        pages: list[ExportLedgerReply] = []
        after = 0
        with Progress(TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
            task = bar.add_task("export", total=None)
            while True:
                query = ExportLedger(
                    command_id=_id(), since=_moment(since), until=_moment(until), after_seq=after, limit=EXPORT_PAGE
                )
                page = await send_query(nc, query, ExportLedgerReply, actor=operating(), source=SOURCE, timeout=30)
                pages.append(page)
                bar.advance(task, len(page.records))
                if not page.more or not page.records:
                    return pages
                after = page.records[-1].seq

    pages = asyncio.run(_with_nats(run))
    count, last = write_export(pages, output, fmt)
    sidecar = output.with_name(output.name + ".checkpoint.json")
    checkpoint = last.checkpoint if last else None
    sidecar.write_text(
        json.dumps(
            {
                "records": count,
                "first_seq": next((p.records[0].seq for p in pages if p.records), None),
                "last_seq": next((p.records[-1].seq for p in reversed(pages) if p.records), None),
                "checkpoint": checkpoint.model_dump(mode="json") if checkpoint else None,
                "public_keys": last.public_keys if last else {},
                "signed_text": "raderwerk-audit-checkpoint/v1|<seq>|<head_hash>|<signed_at as %Y-%m-%dT%H:%M:%S.%fZ>",
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    console.print(f"{count} records written to {output}; checkpoint and public keys in {sidecar}")
    if count and checkpoint is None:
        console.print("[yellow]no signed checkpoint covers the last records yet: `rw audit checkpoint` signs one[/]")


@app.command()
def checkpoint() -> None:
    """Sign the ledger's head now (the writer also does so periodically)."""

    async def run(nc: Client) -> dict[str, object]:
        reply = await send_command(nc, RecordCheckpoint(command_id=_id()), actor=operating(), source=SOURCE, timeout=10)
        if not reply.accepted:
            raise Rejected(reply.code, reply.message)
        return dict(reply.data)

    data = asyncio.run(_with_nats(run))
    if data.get("recorded"):
        console.print(f"checkpoint at seq {data['seq']} signed with key {data['key_id']}")
    else:
        console.print(f"the newest checkpoint (seq {data['seq']}) already covers the ledger's head")
