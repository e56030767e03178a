"""`rw dlq list|show|retry`: the dead letters of every service, with their reasons.

rw dlq list [--service S] [--consumer C] [--all]   newest first; `--all` includes handled ones
rw dlq show <service> <id>                         headers and body
rw dlq retry <service> <id>                        hand it to its consumer again (once; audited)
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import typer
from nats.aio.client import Client
from rich.console import Console
from rich.table import Table

from cli.acting import operating
from cli.connection import connect, load_run_info
from shared.actor import ActorCredential
from shared.contracts.operations import (
    OPERATION_SERVICES,
    DeadLetter,
    DeadLetterReply,
    DeadLettersReply,
    operations_of,
)
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import Rejected

__all__ = ["app", "dead_letters", "retry"]

app = typer.Typer(help="Dead letters of every service: list, show, retry.", no_args_is_help=True)
console = Console()
SOURCE = "/raderwerk/cli"
ServiceArg = Annotated[str, typer.Argument(help=f"One of: {', '.join(OPERATION_SERVICES)}.")]


def _id() -> str:
    return uuid.uuid4().hex


def _service(name: str) -> str:
    if name not in OPERATION_SERVICES:
        raise typer.BadParameter(f"{name} has no durable consumers; one of: {', '.join(OPERATION_SERVICES)}")
    return name


async def dead_letters(
    nc: Client,
    services: tuple[str, ...],
    *,
    actor: ActorCredential,
    consumer: str | None = None,
    include_handled: bool = False,
) -> list[DeadLettersReply]:
    """Ask each service for its dead letters."""
    replies = []
    for service in services:
        ops = operations_of(service)
        query = ops.list_dead_letters(command_id=_id(), consumer=consumer, include_handled=include_handled)
        replies.append(await send_query(nc, query, ops.list_reply, actor=actor, source=SOURCE, timeout=10))
    return replies


def _table(rows: list[tuple[str, DeadLetter]]) -> Table:
    table = Table("service", "id", "consumer", "subject", "stream seq", "deliveries", "reason", "error", "when")
    for service, d in rows:
        table.add_row(
            service,
            str(d.id),
            d.consumer,
            d.subject,
            str(d.stream_seq or ""),
            str(d.deliveries),
            d.reason + (" [green](handled)[/]" if d.handled else ""),
            d.error[:80],
            d.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
    return table


@app.command("list")
def list_(
    service: Annotated[str | None, typer.Option(help="Only this service.")] = None,
    consumer: Annotated[str | None, typer.Option(help="Only this durable consumer.")] = None,
    include_handled: Annotated[bool, typer.Option("--all", help="Also letters a retry has handled since.")] = False,
) -> None:
    """The dead letters of every service (or one), newest first, with the reason."""
    services = (_service(service),) if service else OPERATION_SERVICES

    async def run() -> list[DeadLettersReply]:
        nc = await connect(load_run_info())
        try:
            return await dead_letters(
                nc, services, actor=operating(), consumer=consumer, include_handled=include_handled
            )
        finally:
            await nc.close()

    replies = asyncio.run(run())
    rows = [(r.service, d) for r in replies for d in r.letters]
    if not rows:
        console.print("no dead letters")
        return
    console.print(_table(rows))


@app.command()
def show(service: ServiceArg, letter_id: Annotated[int, typer.Argument(help="The dead letter's id.")]) -> None:
    """One dead letter: reason, error, headers and body."""
    ops = operations_of(_service(service))

    async def run() -> DeadLetterReply:
        nc = await connect(load_run_info())
        try:
            query = ops.show_dead_letter(command_id=_id(), id=letter_id)
            return await send_query(nc, query, ops.show_reply, actor=operating(), source=SOURCE, timeout=10)
        finally:
            await nc.close()

    reply = asyncio.run(run())
    letter = reply.letter
    console.print(_table([(service, letter)]))
    console.print(f"[bold]error[/] {letter.error}")
    for name, value in sorted(letter.headers.items()):
        console.print(f"[dim]{name}:[/] {value}")
    console.print(f"[bold]body[/] ({letter.payload_encoding})")
    console.print(letter.payload, markup=False, highlight=False)


async def retry(nc: Client, service: str, letter_id: int, *, actor: ActorCredential) -> dict[str, object]:
    """Hand a dead letter to its consumer again; what came of it."""
    ops = operations_of(service)
    command = ops.retry_dead_letter(command_id=_id(), id=letter_id)
    reply = await send_command(nc, command, actor=actor, source=SOURCE, timeout=30)
    if not reply.accepted:
        raise Rejected(reply.code, reply.message)
    return dict(reply.data)


@app.command("retry")
def retry_(service: ServiceArg, letter_id: Annotated[int, typer.Argument(help="The dead letter's id.")]) -> None:
    """Hand a dead letter to its consumer again: it takes effect at most once, and the retry is audited."""

    async def run() -> dict[str, object]:
        nc = await connect(load_run_info())
        try:
            return await retry(nc, _service(service), letter_id, actor=operating())
        finally:
            await nc.close()

    data = asyncio.run(run())
    outcome = data.get("outcome")
    if outcome == "acked":
        console.print(f"[green]handled[/]: dead letter {letter_id} of {service} took effect")
    elif outcome == "duplicate":
        console.print(f"already handled: dead letter {letter_id} of {service} had taken effect before; nothing changed")
    elif outcome == "dead_lettered":
        console.print(f"[red]still refused[/]: {data.get('reason')}: {data.get('error')}")
    else:
        console.print(f"[yellow]failed for now[/]: {data.get('error')}; try again later")
