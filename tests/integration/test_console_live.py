"""The console's live feed on the real nats-server: the gateway reads the event subjects it watches, as they pass."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from nats.aio.client import Client

from services.gateway.adapters.live import Change, LiveHub
from shared.topology import service
from tests.integration.test_nats_permissions import _violations


async def test_the_gateway_hears_the_events_its_pages_watch_with_their_correlation(nats_server: Any) -> None:
    gateway: Client = await nats_server.connect("gateway")
    organisation: Client = await nats_server.connect("organisation")
    hub = LiveHub(lambda: gateway)
    running = asyncio.create_task(hub.run())
    try:
        await asyncio.wait_for(hub.ready.wait(), timeout=10)
        correlation = uuid.uuid4().hex
        async with hub.listen(lambda c: c.correlation_id == correlation) as mine:
            await gateway.flush()
            task = f'{{"task_id": "{uuid.uuid4()}", "owner_person_id": "p-secr"}}'.encode()
            headers = {"ce-correlationid": correlation, "Nats-Msg-Id": uuid.uuid4().hex}
            await organisation.jetstream().publish("organisation.task.created", task, headers=headers)
            other = {"ce-correlationid": "another", "Nats-Msg-Id": uuid.uuid4().hex}
            await organisation.jetstream().publish("organisation.task.created", b"{}", headers=other)
            change = await asyncio.wait_for(mine.get(), timeout=10)
            assert isinstance(change, Change)
            assert (change.subject, change.correlation_id) == ("organisation.task.created", correlation)
            assert change.body["owner_person_id"] == "p-secr"
            await organisation.flush()
            assert mine.empty()
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await gateway.close()
        await organisation.close()


async def test_the_gateway_may_watch_only_the_subjects_the_topology_names(nats_server: Any) -> None:
    assert service("gateway").watches
    for subject in ("hr.delegation.granted", "records.letter.registered", "audit.consume.recorded"):

        async def overhear(nc: Any, subject: str = subject) -> None:
            await nc.subscribe(subject)

        errors = await _violations("gateway", nats_server, overhear)
        assert any("permissions violation" in e.lower() for e in errors), (subject, errors)
    # And it still publishes no event, not even on a subject it watches.
    errors = await _violations("gateway", nats_server, lambda nc: nc.publish("finance.visum.granted", b"{}"))
    assert any("permissions violation" in e.lower() for e in errors), errors
