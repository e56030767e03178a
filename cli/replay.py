"""`rw replay <consumer> --from <seq|time>`: re-drive one durable consumer's handlers over its stream.

The consumer's own position does not move; every message goes through its pipeline again, inbox
first, so what was handled before changes nothing (each one leaves a consume record, `via replay`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Annotated

import typer
from nats.aio.client import Client
from rich.console import Console

from cli.acting import operating
from cli.connection import connect, load_run_info
from shared.actor import ActorCredential
from shared.contracts.operations import OPERATION_SERVICES, operations_of
from shared.messaging.commands import send_command
from shared.messaging.errors import Rejected
from shared.topology import consumer as consumer_spec

__all__ = ["replay", "replay_consumer"]

console = Console()
SOURCE = "/raderwerk/cli"


def _start(value: str) -> tuple[int | None, dt.datetime | None]:
    if value.isdigit():
        return int(value), None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"--from takes a stream sequence or an ISO 8601 time, not {value!r}") from exc
    return None, moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def replay_consumer(
    nc: Client,
    durable: str,
    *,
    actor: ActorCredential,
    from_seq: int | None = None,
    from_time: dt.datetime | None = None,
    limit: int = 10_000,
) -> dict[str, object]:
    """Ask the consumer's service to replay it; the counts of what happened."""
    try:
        service = consumer_spec(durable).service
    except KeyError:
        raise typer.BadParameter(f"no durable consumer {durable}; `rw status` lists them") from None
    if service not in OPERATION_SERVICES:
        raise typer.BadParameter(f"{durable} is not replayed this way (it is {service}'s own reader)")
    command = operations_of(service).replay_consumer(
        command_id=uuid.uuid4().hex, consumer=durable, from_seq=from_seq, from_time=from_time, limit=limit
    )
    reply = await send_command(nc, command, actor=actor, source=SOURCE, timeout=300)
    if not reply.accepted:
        raise Rejected(reply.code, reply.message)
    return dict(reply.data)


def replay(
    consumer: Annotated[str, typer.Argument(help="The durable consumer, e.g. finance_decisions.")],
    start: Annotated[str, typer.Option("--from", help="A stream sequence (0 = the beginning) or an ISO 8601 time.")],
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many messages.")] = 10_000,
) -> None:
    """Re-drive one durable consumer from a sequence or a time; effects stay single (the inbox)."""
    from_seq, from_time = _start(start)

    async def run() -> dict[str, object]:
        nc = await connect(load_run_info())
        try:
            with console.status(f"replaying {consumer}…"):
                return await replay_consumer(
                    nc, consumer, actor=operating(), from_seq=from_seq, from_time=from_time, limit=limit
                )
        finally:
            await nc.close()

    data = asyncio.run(run())
    console.print(
        f"{consumer}: {data.get('messages')} messages, "
        f"stream seq {data.get('from_seq')} to {data.get('last_seq')}: "
        f"{data.get('acked')} took effect, {data.get('duplicate')} were handled before (unchanged), "
        f"{data.get('dead_lettered')} dead-lettered"
    )
    if data.get("stopped"):
        console.print(f"[yellow]{data['stopped']}[/]: run it again from there")
