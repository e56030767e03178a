"""`rw status`: each service's readiness and each durable consumer's lag."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

from nats.aio.client import Client
from rich.table import Table

from cli.connection import RunInfo
from shared.topology import CONSUMERS

__all__ = ["consumer_table", "service_table"]


def _readyz(port: int) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as resp:
            body: dict[str, Any] = json.loads(resp.read())
            return body
    except urllib.error.HTTPError as exc:
        body = json.loads(exc.read() or b"{}")
        return {"ready": False, **body}
    except (OSError, ValueError) as exc:
        return {"ready": False, "error": str(exc)}


async def service_table(info: RunInfo) -> Table:
    """Readiness of every service known from `run.json`."""
    table = Table(title="services")
    for col in ("service", "port", "ready", "nats", "outbox backlog", "published", "problem"):
        table.add_column(col)
    for name, port in sorted(info.services.items()):
        r = await asyncio.to_thread(_readyz, port)
        table.add_row(
            name,
            str(port),
            "[green]yes[/]" if r.get("ready") else "[red]no[/]",
            str(r.get("nats", "?")),
            str(r.get("outbox_backlog", "?")),
            str(r.get("outbox_published", "?")),
            str(r.get("error") or r.get("relay_error") or ""),
        )
    return table


async def consumer_table(nc: Client) -> Table:
    """Pending, unacknowledged and redelivered messages of every declared consumer."""
    js = nc.jetstream()
    table = Table(title="consumers")
    for col in ("consumer", "stream", "pending", "ack pending", "redelivered", "delivered"):
        table.add_column(col)
    for spec in CONSUMERS:
        try:
            ci = await js.consumer_info(spec.stream, spec.durable)
        except Exception as exc:  # noqa: BLE001 - show the problem in the row
            table.add_row(spec.durable, spec.stream, "[red]?[/]", "", "", str(exc))
            continue
        lag = ci.num_pending or 0
        table.add_row(
            spec.durable,
            spec.stream,
            f"[red]{lag}[/]" if lag else "0",
            str(ci.num_ack_pending or 0),
            str(ci.num_redelivered or 0),
            str(ci.delivered.stream_seq if ci.delivered else 0),
        )
    return table
