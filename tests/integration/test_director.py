"""The management team of the demo municipality meets; its decision becomes follow-up tasks in organisation."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.common import BodyKind, FollowUpAction, FollowUpKind
from shared.contracts.organisation import ListTasks, ListTasksReply
from shared.db.engine import make_engine
from shared.messaging.commands import send_query
from tests.actors import as_person
from tests.factories import utc_today
from tests.integration.meeting_driver import MeetingDriver, meetings_process, seats_settled
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import eventually


@dataclass
class Stack:
    nc: Client
    meetings: MeetingDriver
    engines: dict[str, AsyncEngine]


@pytest.fixture
async def stack(nats_server: Any, pg_dsn: str, tmp_path: Path) -> AsyncIterator[Stack]:
    tag = uuid.uuid4().hex[:6]
    clock_file = tmp_path / "clock.json"
    organisation = ServiceProcess(
        "organisation", nats_server.url, nats_server.passwords["organisation"], pg_dsn, f"t_orga_{tag}"
    )
    meetings = meetings_process(nats_server, pg_dsn, f"t_meet_{tag}", clock_file)
    services = {"organisation": organisation, "meetings": meetings}
    await asyncio.to_thread(organisation.migrate)
    await asyncio.to_thread(organisation.seed)
    await asyncio.to_thread(meetings.migrate)
    engines = {name: make_engine(pg_dsn, s.schema) for name, s in services.items()}
    nc: Client = await nats_server.connect("operator")
    try:
        for service in services.values():
            service.start()
        stack = Stack(nc, MeetingDriver(nc, engines["meetings"], clock_file), engines)
        await stack.meetings.wait_ready()
        await seats_settled(nc, engines["organisation"])
        yield stack
        for service in services.values():
            assert service.stop() == 0, service.log_tail()
    finally:
        for service in services.values():
            if service.process and service.process.poll() is None:
                service.kill()
        await nc.close()
        for engine in engines.values():
            await engine.dispose()


async def test_a_management_team_session_decides_and_its_decision_becomes_tasks(stack: Stack) -> None:
    driver = stack.meetings
    team = await driver.voters(BodyKind.MANAGEMENTTEAM, at_least=5)
    assert team == ["p-ad", "p-fd", "p-fin", "p-ruimte", "p-welzijn"], "the financieel directeur is a member"
    advisory = await driver.rows("SELECT person_id, role FROM seats WHERE body = 'managementteam' AND NOT voting")
    assert [tuple(r) for r in advisory] == [("m-01", "member")], "the burgemeester attends with an advisory vote"

    item = await driver.propose(
        BodyKind.MANAGEMENTTEAM,
        "Afstemming: één loket voor premies van gemeente en OCMW",
        entity="ocmw",
        follow_up_actions=(
            FollowUpAction(
                action_id="loket",
                kind=FollowUpKind.EXECUTE,
                description="Werkproces premieloket uittekenen",
                unit_code="WELZIJN",
                due_date=utc_today() + dt.timedelta(days=30),
            ),
            FollowUpAction(
                action_id="college",
                kind=FollowUpKind.REPORT,
                description="Voorstel aan het vast bureau voorbereiden",
                unit_code="RUIMTE",
                due_date=utc_today() + dt.timedelta(days=14),
            ),
        ),
    )
    present = ["p-ad", "p-fd", "p-ruimte", "p-welzijn"]
    vote = await driver.decide(BodyKind.MANAGEMENTTEAM, item, present)
    assert vote.accepted, vote.message
    decision_id = uuid.UUID(str(vote.ids["decision_id"]))
    [record] = await driver.rows(
        "SELECT body, entity, record->>'confidentiality' AS confidentiality FROM decisions WHERE decision_id = :d",
        d=decision_id,
    )
    assert tuple(record) == ("managementteam", "ocmw", "closed")

    async def tasks() -> ListTasksReply:
        query = ListTasks(command_id=uuid.uuid4().hex, decision_id=decision_id)
        return await send_query(
            stack.nc, query, ListTasksReply, actor=as_person("p-ad"), source="/raderwerk/test", timeout=10
        )

    made = await eventually(tasks, lambda r: len(r.tasks) == 2, timeout=60, what="the two follow-up tasks")
    assert sorted((t.action_id, t.owner_person_id, t.entity) for t in made.tasks) == [
        ("college", "p-ruimte", "ocmw"),
        ("loket", "p-welzijn", "ocmw"),
    ]
