"""Create or update every stream and durable consumer declared in `shared.topology`.

Idempotent: a second run reports everything `unchanged`. Services never declare streams or
consumers themselves (they run with `declare=False`), so this is the one place they are made.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import nats
import typer
from nats.aio.client import Client
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamSource,
)
from nats.js.errors import NotFoundError
from rich.console import Console
from rich.table import Table

from shared.districts import District, load_districts
from shared.topology import CONSUMERS, STREAMS, ConsumerSpec, StreamSpec, district_consumer

__all__ = ["ProvisionReport", "consumer_config", "provision", "stream_config"]


@dataclass
class ProvisionReport:
    """What provisioning did to each stream and consumer: created, updated or unchanged."""

    actions: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, kind: str, name: str, action: str) -> None:
        """Record one outcome."""
        self.actions.append((kind, name, action))

    @property
    def changed(self) -> bool:
        """Whether anything was created or updated."""
        return any(action != "unchanged" for _, _, action in self.actions)


def stream_config(spec: StreamSpec, replicas: int = 1) -> StreamConfig:
    """The JetStream configuration of a declared stream, at `replicas` (3 on a three-node cluster)."""
    return StreamConfig(
        name=spec.name,
        description=spec.description,
        subjects=list(spec.subjects) or None,
        sources=[StreamSource(name=s) for s in spec.sources] or None,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=float(spec.max_age_s),
        duplicate_window=float(spec.duplicate_window_s),
        no_ack=spec.no_ack,
        deny_delete=spec.deny_delete,
        deny_purge=spec.deny_purge,
        num_replicas=replicas,
    )


def consumer_config(spec: ConsumerSpec) -> ConsumerConfig:
    """The durable pull consumer of a declared consumer."""
    filters = list(spec.filter_subjects)
    return ConsumerConfig(
        name=spec.durable,
        durable_name=spec.durable,
        description=spec.description,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=spec.ack_wait_s,
        max_deliver=spec.max_deliver,
        max_ack_pending=spec.max_ack_pending,
        filter_subject=filters[0] if len(filters) == 1 else None,
        filter_subjects=filters if len(filters) > 1 else None,
    )


def _differs(wanted: dict[str, Any], actual: dict[str, Any]) -> bool:
    return any(actual.get(k) != v for k, v in wanted.items() if v is not None)


async def provision(nc: Client, districts: Sequence[District] | None = None, *, replicas: int = 1) -> ProvisionReport:
    """Make the server match the declared topology, with a feed consumer per district of the list.

    `replicas`: copies of every stream (its consumers follow the stream); a stream provisioned
    before at another count is updated to it.
    """
    if districts is None:
        districts = load_districts()
    js = nc.jetstream()
    report = ProvisionReport()
    for spec in STREAMS:
        wanted = stream_config(spec, replicas)
        try:
            info = await js.stream_info(spec.name)
        except NotFoundError:
            await js.add_stream(wanted)
            report.add("stream", spec.name, "created")
            continue
        compare = {
            "subjects": wanted.subjects,
            "max_age": wanted.max_age,
            "duplicate_window": wanted.duplicate_window,
            "no_ack": wanted.no_ack,
            "description": wanted.description,
            "num_replicas": wanted.num_replicas,
        }
        actual = {
            "subjects": info.config.subjects,
            "max_age": info.config.max_age,
            "duplicate_window": info.config.duplicate_window,
            "no_ack": info.config.no_ack,
            "description": info.config.description,
            "num_replicas": info.config.num_replicas,
        }
        sources = sorted(s.name for s in info.config.sources or [])
        if _differs(compare, actual) or sources != sorted(spec.sources):
            await js.update_stream(wanted)
            report.add("stream", spec.name, "updated")
        else:
            report.add("stream", spec.name, "unchanged")
    for cspec in (*CONSUMERS, *(district_consumer(d.id) for d in districts)):
        wanted_c = consumer_config(cspec)
        try:
            cinfo = await js.consumer_info(cspec.stream, cspec.durable)
        except NotFoundError:
            await js.add_consumer(cspec.stream, wanted_c)
            report.add("consumer", f"{cspec.stream}/{cspec.durable}", "created")
            continue
        c = cinfo.config
        current = {
            "filter_subject": c.filter_subject,
            "filter_subjects": c.filter_subjects,
            "max_deliver": c.max_deliver,
            "ack_wait": c.ack_wait,
            "max_ack_pending": c.max_ack_pending,
            "description": c.description,
        }
        target = {
            "filter_subject": wanted_c.filter_subject,
            "filter_subjects": wanted_c.filter_subjects,
            "max_deliver": wanted_c.max_deliver,
            "ack_wait": wanted_c.ack_wait,
            "max_ack_pending": wanted_c.max_ack_pending,
            "description": wanted_c.description,
        }
        if _differs(target, current):
            # Adding a consumer with the same name and a changed config updates it in place.
            await js.add_consumer(cspec.stream, wanted_c)
            report.add("consumer", f"{cspec.stream}/{cspec.durable}", "updated")
        else:
            report.add("consumer", f"{cspec.stream}/{cspec.durable}", "unchanged")
    return report


def main(
    url: str = typer.Option("nats://127.0.0.1:4222", envvar="RW_NATS_URL", help="NATS server URL."),
    user: str = typer.Option("provisioner", help="A user allowed to manage streams."),
    password: str = typer.Option(..., envvar="RW_PROVISIONER_NATS_PASSWORD", help="Its password."),
    replicas: int = typer.Option(1, min=1, max=5, help="Copies of every stream: 3 on a three-node cluster."),
) -> None:
    """Provision streams and consumers and print what changed."""

    async def run() -> ProvisionReport:
        nc = await nats.connect(url, user=user, password=password, connect_timeout=5, max_reconnect_attempts=3)
        try:
            return await provision(nc, replicas=replicas)
        finally:
            await nc.close()

    report = asyncio.run(run())
    table = Table(title="JetStream topology")
    for column in ("kind", "name", "action"):
        table.add_column(column)
    for row in report.actions:
        table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
