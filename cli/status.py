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

__all__ = ["NotReady", "check_ready", "consumer_table", "service_table"]


class NotReady(RuntimeError):
    """Services of a run that do not answer their readiness check."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        listed = "; ".join(f"{name} ({why})" for name, why in sorted(problems.items()))
        noun = "service is" if len(problems) == 1 else "services are"
        super().__init__(f"{len(problems)} {noun} not ready: {listed}. `make run` starts every service.")


def _why(report: dict[str, Any]) -> str:
    error = str(report.get("error") or report.get("relay_error") or "")
    if "Connection refused" in error or "Errno 111" in error:
        return "not running"
    return error or f"NATS {report.get('nats', '?')}"


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


async def _reports(info: RunInfo) -> dict[str, dict[str, Any]]:
    names = sorted(info.services)
    found = await asyncio.gather(*(asyncio.to_thread(_readyz, info.services[n]) for n in names))
    return dict(zip(names, found, strict=True))


async def check_ready(info: RunInfo) -> None:
    """Raise `NotReady` naming each service of `run.json` that is not ready (none known: nothing to check)."""
    problems = {name: _why(r) for name, r in (await _reports(info)).items() if not r.get("ready")}
    if problems:
        raise NotReady(problems)


async def service_table(info: RunInfo) -> tuple[Table, dict[str, str]]:
    """Readiness of every service known from `run.json`, and why each one that is not ready is not."""
    table = Table(title="services")
    for col in ("service", "port", "ready", "nats", "outbox backlog", "published", "problem"):
        table.add_column(col)
    reports = await _reports(info)
    for name, r in reports.items():
        port = info.services[name]
        table.add_row(
            name,
            str(port),
            "[green]yes[/]" if r.get("ready") else "[red]no[/]",
            str(r.get("nats", "?")),
            str(r.get("outbox_backlog", "?")),
            str(r.get("outbox_published", "?")),
            str(r.get("error") or r.get("relay_error") or ""),
        )
    return table, {name: _why(r) for name, r in reports.items() if not r.get("ready")}


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
