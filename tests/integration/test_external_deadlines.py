"""On the real stack and the clock the test moves: a church council's multi-year plan left undecided for
100 days is approved by silence, with its event, and organisation gives the secretariat its task."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from nats.aio.client import Client
from sqlalchemy import text

from shared.clock import ClockSetting, write_clock_file
from shared.contracts.external import (
    FileChurchDocument,
    ListExternalDeadlines,
    ListExternalDeadlinesReply,
    RegisterExternalEntity,
    ScanExternalDeadlines,
)
from shared.contracts.organisation import ListTasks, ListTasksReply
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import NoAnswer
from shared.vocabulary import DeadlineKind, DeadlineOutcome, DeadlineStatus, Involvement, LegalForm
from tests.actors import acting_for, as_person
from tests.integration.processes import ServiceProcess
from tests.integration.test_tasks_lifecycle import SOURCE, ask_when_up
from tests.integration.waiting import eventually

#: The day the representative organ advised on the plan: the council's 100 days run from it.
ADVISED = dt.datetime(2031, 9, 1, 9, 30, tzinfo=dt.UTC)
LAST_DAY = ADVISED.date() + dt.timedelta(days=100)


async def test_a_multi_year_plan_undecided_for_100_days_is_approved_by_silence_on_the_moved_clock(
    nats_server: Any, pg_dsn: str, tmp_path: Path
) -> None:
    clock_file = tmp_path / "clock.json"
    write_clock_file(clock_file, ClockSetting(frozen_at=ADVISED))
    suffix = uuid.uuid4().hex[:8]
    clock_env = {"RW_CLOCK_FILE": str(clock_file)}
    external = ServiceProcess(
        "external",
        nats_server.url,
        nats_server.passwords["external"],
        pg_dsn,
        f"t_ext_{suffix}",
        extra_env={**clock_env, "RW_EXTERNAL_DEADLINE_SCAN_INTERVAL_S": "0.5"},
    )
    organisation = ServiceProcess(
        "organisation",
        nats_server.url,
        nats_server.passwords["organisation"],
        pg_dsn,
        f"t_org_{suffix}",
        extra_env={**clock_env, "RW_ORGANISATION_OVERDUE_SCAN_INTERVAL_S": "0"},
    )
    await asyncio.gather(asyncio.to_thread(external.migrate), asyncio.to_thread(organisation.migrate))
    await asyncio.to_thread(organisation.seed)
    engine = make_engine(pg_dsn, external.schema)
    nc: Client = await nats_server.connect("operator")
    code = f"kf-{suffix}"
    try:
        external.start()
        organisation.start()
        register = RegisterExternalEntity(
            command_id=uuid.uuid4().hex,
            code=code,
            name="Kerkfabriek Sint-Martinus",
            legal_form=LegalForm.KERKFABRIEK,
            kbo="0207.451.227",
            involvements=frozenset({Involvement.SUPERVISING, Involvement.CO_FINANCING}),
        )
        registered = await eventually(
            lambda: ask_when_up(nc, register), lambda r: r is not None, timeout=60, what="external to answer"
        )
        assert registered is not None
        assert registered.accepted, registered
        filed = await send_command(
            nc,
            FileChurchDocument(
                command_id=uuid.uuid4().hex,
                entity_code=code,
                kind=DeadlineKind.MULTI_YEAR_PLAN,
                title="Meerjarenplan 2032-2037",
                received_on=ADVISED.date() - dt.timedelta(days=30),
                advised_on=ADVISED.date(),
            ),
            actor=as_person("p-ad"),
            source=SOURCE,
            timeout=10,
        )
        assert filed.accepted, filed
        assert filed.data["due_on"] == LAST_DAY.isoformat()
        deadline_id = uuid.UUID(filed.ids["deadline_id"])

        async def tasks() -> list[tuple[str, str, dt.date]]:
            query = ListTasks(command_id=uuid.uuid4().hex, decision_id=deadline_id)
            try:
                reply = await send_query(
                    nc, query, ListTasksReply, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=5
                )
            except NoAnswer:  # organisation still starting
                return []
            return sorted((t.action_id, t.unit_code or "", t.due_date) for t in reply.tasks)

        # The term gives the secretariat a task due on its last day.
        assert await eventually(tasks, lambda ts: len(ts) == 1, timeout=60, what="the task to prepare the plan") == [
            ("deadline-prepare", "SECR", LAST_DAY)
        ]

        async def deadline() -> Any:
            query = ListExternalDeadlines(command_id=uuid.uuid4().hex, entity_code=code)
            [line] = (
                await send_query(
                    nc, query, ListExternalDeadlinesReply, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=5
                )
            ).deadlines
            return line

        # On the last day the council can still decide: a scan as of that day leaves the plan open.
        write_clock_file(clock_file, ClockSetting(frozen_at=dt.datetime.combine(LAST_DAY, ADVISED.timetz())))
        scan = ScanExternalDeadlines(command_id=uuid.uuid4().hex, as_of=LAST_DAY)
        scanned = await send_command(nc, scan, actor=acting_for(scan, "p-ad"), source=SOURCE, timeout=10)
        assert (scanned.accepted, scanned.data["lapsed"]) == (True, 0), scanned
        assert (await deadline()).status is DeadlineStatus.OPEN

        # The day after, silence approves it.
        day_after = dt.datetime.combine(LAST_DAY + dt.timedelta(days=1), ADVISED.timetz())
        write_clock_file(clock_file, ClockSetting(frozen_at=day_after))
        lapsed = await eventually(deadline, lambda d: d.status is DeadlineStatus.LAPSED, timeout=30, what="silence")
        assert (lapsed.outcome, lapsed.closed_on) == (DeadlineOutcome.APPROVED_BY_SILENCE, day_after.date())

        async def lapsed_events() -> list[dict[str, Any]]:
            async with engine.connect() as conn:
                rows = await conn.execute(text("SELECT payload FROM outbox WHERE subject = 'external.deadline.lapsed'"))
                return [json.loads(r.payload) for r in rows]

        [event] = await lapsed_events()
        assert (event["deadline_id"], event["outcome"], event["lapsed_on"]) == (
            str(deadline_id),
            "approved_by_silence",
            day_after.date().isoformat(),
        )
        final = await eventually(tasks, lambda ts: len(ts) == 2, timeout=60, what="the task after silence")
        assert final[0] == ("deadline-lapsed", "SECR", day_after.date() + dt.timedelta(days=10))
    finally:
        await nc.close()
        assert external.stop() == 0, external.log_tail()
        assert organisation.stop() == 0, organisation.log_tail()
        await engine.dispose()
