"""A consumer killed mid-stream and restarted creates every follow-up task exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import text

from shared.contracts.common import FollowUpAction, FollowUpKind
from shared.contracts.meetings import DecisionAdopted
from shared.db.engine import make_engine
from shared.messaging.envelope import Envelope
from tests.factories import adopted_decision
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import eventually


def _decision() -> DecisionAdopted:
    return adopted_decision(
        adopted_at=dt.datetime.now(dt.UTC),
        follow_up_actions=(
            FollowUpAction(action_id="a", kind=FollowUpKind.EXECUTE, description="Uitvoeren", unit_code="RUIMTE"),
            FollowUpAction(action_id="b", kind=FollowUpKind.NOTIFY, description="Melden", unit_code="SECR"),
        ),
    )


async def _publish_decisions(nats_server: Any, count: int) -> set[uuid.UUID]:
    nc = await nats_server.connect("meetings")
    js = nc.jetstream()
    ids: set[uuid.UUID] = set()
    try:
        for _ in range(count):
            event = _decision()
            envelope = Envelope(
                id=str(uuid.uuid4()),
                type=event.ce_type(),
                source="/raderwerk/meetings",
                time=dt.datetime.now(dt.UTC),
                correlation_id=str(uuid.uuid4()),
            )
            await js.publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())
            ids.add(event.decision_id)
    finally:
        await nc.close()
    return ids


async def test_sigkill_of_a_consumer_loses_and_doubles_no_task(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_orgkill_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("organisation", nats_server.url, nats_server.passwords["organisation"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.seed)
    decisions = await _publish_decisions(nats_server, 300)
    engine = make_engine(pg_dsn, schema)
    wanted = [str(d) for d in decisions]

    async def task_count() -> int:
        async with engine.connect() as conn:
            value = await conn.scalar(
                text("SELECT count(*) FROM tasks WHERE decision_id::text = ANY(:ids)"), {"ids": wanted}
            )
        return int(value or 0)

    try:
        service.start()
        at_kill = await eventually(task_count, lambda n: n > 0, timeout=60, what="the first task")
        service.kill()
        service.start()
        await eventually(task_count, lambda n: n >= 2 * len(decisions), timeout=120, what="every task")
        assert service.stop() == 0, service.log_tail()
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT count(*), count(DISTINCT (decision_id, action_id)) FROM tasks"
                        " WHERE decision_id::text = ANY(:ids)"
                    ),
                    {"ids": wanted},
                )
            ).one()
            events = await conn.scalar(text("SELECT count(*) FROM outbox WHERE subject = 'organisation.task.created'"))
        assert tuple(rows) == (2 * len(decisions), 2 * len(decisions)), "a task was lost or doubled"
        assert events == 2 * len(decisions), "one task.created event per task"
        assert at_kill < 2 * len(decisions), "the kill should interrupt the consumer mid-way"
    finally:
        if service.process and service.process.poll() is None:
            service.kill()
        await engine.dispose()
