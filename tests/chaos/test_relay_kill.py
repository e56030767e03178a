"""The outbox relay killed with SIGKILL mid-way loses and doubles nothing when it starts again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.integration.outbox import fill_outbox, last_seq, stored_ids
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import eventually


async def test_sigkill_during_relay_loses_and_doubles_nothing(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_relaykill_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("meetings", nats_server.url, nats_server.passwords["meetings"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    count = 3000
    ids = await fill_outbox(pg_dsn, schema, count)
    admin = await nats_server.connect("provisioner")
    js = admin.jetstream()
    start = await last_seq(js)
    try:
        service.start()
        before_kill = await eventually(
            lambda: last_seq(js), lambda seq: seq > start, timeout=60, what="the relay's first publish"
        )
        service.kill()
        published_at_kill = await last_seq(js) - start
        service.start()
        await eventually(lambda: last_seq(js), lambda seq: seq - start >= count, timeout=120, what=f"{count} events")
        assert service.stop() == 0, service.log_tail()
        stored = await stored_ids(js, start)
        assert len(stored) == count, f"lost or doubled: {len(stored)} stored for {count} events"
        assert set(stored) == ids
        assert before_kill - start < count, "the kill should interrupt the relay mid-way"
        assert published_at_kill < count
    finally:
        if service.process and service.process.poll() is None:
            service.kill()
        await admin.close()
