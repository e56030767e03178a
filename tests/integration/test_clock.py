"""The shared clock file moves the time a running service's rules read, across processes."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from deploy.embedded import free_port
from shared.clock import ClockSetting, write_clock_file
from shared.contracts.organisation import TaskCreated
from shared.db.engine import make_engine
from shared.messaging.envelope import Envelope
from shared.vocabulary import FollowUpKind, LegalEntity
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import eventually

FROZEN = dt.datetime(2031, 3, 3, 9, 30, tzinfo=dt.UTC)


def _readyz(port: int) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
            body: dict[str, Any] = json.loads(resp.read())
            return body
    except OSError:
        return {}


async def test_a_frozen_clock_file_is_the_time_of_a_running_service(
    nats_server: Any, pg_dsn: str, tmp_path: Path
) -> None:
    clock_file = tmp_path / "clock.json"
    port = free_port()
    schema = f"t_clock_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess(
        "notifications",
        nats_server.url,
        nats_server.passwords["notifications"],
        pg_dsn,
        schema,
        extra_env={"RW_CLOCK_FILE": str(clock_file), "RW_NOTIFICATIONS_HTTP_PORT": str(port)},
    )
    await asyncio.to_thread(service.migrate)
    service.start()
    engine = make_engine(pg_dsn, schema)
    try:
        before = await eventually(
            lambda: asyncio.to_thread(_readyz, port), lambda r: bool(r.get("ready")), timeout=60, what="readiness"
        )
        assert abs(dt.datetime.fromisoformat(before["time"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)

        write_clock_file(clock_file, ClockSetting(frozen_at=FROZEN))
        frozen = await eventually(
            lambda: asyncio.to_thread(_readyz, port),
            lambda r: r.get("time") == FROZEN.isoformat(),
            timeout=30,
            what="the service to read the frozen time",
        )
        assert frozen["ready"]

        # A rule's effect carries the controlled time: the inbox entry of a new task.
        task = TaskCreated(
            task_id=uuid.uuid4(),
            decision_id=uuid.uuid4(),
            action_id="a",
            kind=FollowUpKind.EXECUTE,
            title="Klok",
            entity=LegalEntity.GEMEENTE,
            unit_code="SECR",
            owner_person_id="p-klok",
            owner_name="Klok",
            due_date=dt.date(2031, 3, 10),
        )
        nc = await nats_server.connect("organisation")
        try:
            envelope = Envelope(
                id=str(uuid.uuid4()),
                type=task.ce_type(),
                source="/raderwerk/organisation",
                time=dt.datetime.now(dt.UTC),
                correlation_id=str(uuid.uuid4()),
            )
            await nc.jetstream().publish(task.SUBJECT, task.model_dump_json().encode(), headers=envelope.to_headers())
        finally:
            await nc.close()

        async def created_at() -> dt.datetime | None:
            async with engine.connect() as conn:
                value: dt.datetime | None = await conn.scalar(
                    text("SELECT created_at FROM inbox_entries WHERE person_id = 'p-klok'")
                )
            return value

        assert await eventually(created_at, lambda v: v is not None, timeout=60, what="the inbox entry") == FROZEN
    finally:
        assert service.stop() == 0, service.log_tail()
        await engine.dispose()
