"""`rw district …`: the district list, and what a district sees on its feed."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Annotated, Any

import typer
from nats.js.api import ConsumerConfig, DeliverPolicy
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.connection import NotRunningError, connect, load_run_info
from shared.districts import load_districts
from shared.topology import DISTRICT_STREAM, district_account, district_consumer, district_user

__all__ = ["app", "read_feed", "start_of"]

app = typer.Typer(help="Districts and their feeds.", no_args_is_help=True, add_completion=False)
console = Console()


def start_of(value: str) -> dict[str, Any]:
    """`--from`: a stream sequence (`42`) or a time (`2026-12-01T09:00:00+01:00`, `2026-12-01`)."""
    if value.isdigit():
        return {"deliver_policy": DeliverPolicy.BY_START_SEQUENCE, "opt_start_seq": int(value)}
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is neither a sequence number nor an ISO time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return {"deliver_policy": DeliverPolicy.BY_START_TIME, "opt_start_time": moment.astimezone(dt.UTC).isoformat()}


async def read_feed(
    nc: Any, district: str, start: dict[str, Any], limit: int, idle_s: float
) -> list[tuple[int, str, dict[str, Any]]]:
    """The district's feed from `start`: (stream sequence, subject, body), at most `limit`, until idle."""
    js = nc.jetstream()
    sub = await js.subscribe(
        f"district.{district}.>", stream=DISTRICT_STREAM, ordered_consumer=True, config=ConsumerConfig(**start)
    )
    found: list[tuple[int, str, dict[str, Any]]] = []
    try:
        while len(found) < limit:
            try:
                msg = await sub.next_msg(timeout=idle_s)
            except TimeoutError:
                break
            found.append((msg.metadata.sequence.stream, msg.subject, json.loads(msg.data)))
    finally:
        await sub.unsubscribe()
    return found


@app.command("list")
def list_districts() -> None:
    """The districts of the district list, with their NATS account, user and durable consumer."""
    table = Table(title="Districts")
    for column in ("id", "name", "account", "user", "consumer", "feed"):
        table.add_column(column)
    for d in load_districts():
        spec = district_consumer(d.id)
        table.add_row(d.id, d.name, district_account(d.id), district_user(d.id), spec.durable, spec.filter_subjects[0])
    console.print(table)


@app.command("feed")
def feed(
    district: Annotated[str, typer.Argument(help="The district id, e.g. noord.")],
    start: Annotated[str, typer.Option("--from", help="A stream sequence or an ISO time.")] = "1",
    limit: Annotated[int, typer.Option(help="At most this many entries.")] = 100,
) -> None:
    """Show what a district sees on its feed from a point (read-only: the district's own position stays)."""
    if district not in {d.id for d in load_districts()}:
        console.print(f"[red]{escape(district)} is not in the district list[/]")
        raise typer.Exit(1)
    begin = start_of(start)

    async def main() -> list[tuple[int, str, dict[str, Any]]]:
        nc = await connect(load_run_info())
        try:
            return await read_feed(nc, district, begin, limit, idle_s=1.0)
        finally:
            await nc.close()

    try:
        entries = asyncio.run(main())
    except NotRunningError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    table = Table(title=f"Feed of district {district}")
    for column in ("seq", "subject", "about", "title", "event id"):
        table.add_column(column)
    for seq, subject, body in entries:
        data = body.get("data", {})
        table.add_row(
            str(seq),
            subject,
            str(body.get("about", "")),
            escape(str(data.get("title", ""))),
            str(body.get("event_id", "")),
        )
    console.print(table)
