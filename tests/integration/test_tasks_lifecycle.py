"""An adopted decision becomes tasks with owners; one goes overdue and escalates; all done executes the decision."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from typing import Any, TypeVar

from nats.aio.client import Client
from sqlalchemy import text
from typer.testing import CliRunner, Result

import cli.staff
import cli.tasks
from cli.main import app as rw_app
from shared.contracts.base import LegalEntity, Query, QueryReply
from shared.contracts.common import BodyKind, CommandReply, FollowUpAction, FollowUpKind
from shared.contracts.hr import DelegationGranted, DelegationPower, DelegationRevoked
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.organisation import (
    CompleteTask,
    ListMandates,
    ListMandatesReply,
    ListTasks,
    ListTasksReply,
    ScanOverdue,
    TaskLine,
)
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.messaging.envelope import Envelope
from shared.messaging.errors import NoAnswer
from tests.actors import acting_for, operator_env
from tests.factories import adopted_decision
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import eventually

SOURCE = "/raderwerk/tests"
R = TypeVar("R", bound=QueryReply)


async def publish_decision(nats_server: Any, event: DecisionAdopted) -> None:
    """Publish as the meetings service would (its own user, a CloudEvents envelope)."""
    nc = await nats_server.connect("meetings")
    try:
        envelope = Envelope(
            id=str(uuid.uuid4()),
            type=event.ce_type(),
            source="/raderwerk/meetings",
            time=dt.datetime.now(dt.UTC),
            correlation_id=str(uuid.uuid4()),
            confidentiality=event.confidentiality,
        )
        await nc.jetstream().publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())
    finally:
        await nc.close()


async def ask_when_up(nc: Client, command: Any) -> CommandReply | None:
    """The reply, or `None` while the service is still starting (no responder yet)."""
    try:
        return await send_command(nc, command, actor=acting_for(command, "p-ad"), source=SOURCE, timeout=2)
    except NoAnswer:
        return None


async def query_when_up(nc: Client, query: Query, reply_type: type[R]) -> R | None:
    """The typed reply, or `None` while the service is still starting (no responder yet)."""
    try:
        return await send_query(nc, query, reply_type, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=2)
    except NoAnswer:
        return None


def rw(nats_server: Any, *args: str) -> Result:
    """Run the `rw` command line as the operator against the test NATS."""
    env = {
        "RW_NATS_URL": nats_server.url,
        "RW_OPERATOR_NATS_PASSWORD": nats_server.passwords["operator"],
        **operator_env(),
    }
    for console in (cli.tasks.console, cli.staff.console):
        console.width = 240  # wide enough that no cell wraps
    return CliRunner().invoke(rw_app, ["--as", "p-ad", *args], env=env)


async def test_three_actions_overdue_escalation_and_execution(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_tasks_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("organisation", nats_server.url, nats_server.passwords["organisation"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.seed)
    today = dt.datetime.now(dt.UTC).date()
    decision = adopted_decision(
        body=BodyKind.VAST_BUREAU,
        adopted_at=dt.datetime.now(dt.UTC),
        follow_up_actions=(
            FollowUpAction(
                action_id="a",
                kind=FollowUpKind.EXECUTE,
                description="Contract opmaken",
                unit_code="RUIMTE",
                due_date=today + dt.timedelta(days=10),
            ),
            FollowUpAction(
                action_id="b",
                kind=FollowUpKind.NOTIFY,
                description="Aanvrager verwittigen",
                unit_code="WELZIJN",
                due_date=today + dt.timedelta(days=30),
            ),
            FollowUpAction(
                action_id="c",
                kind=FollowUpKind.REPORT,
                description="Rapporteren",
                unit_code="FIN",
                due_date=today + dt.timedelta(days=30),
            ),
        ),
    )
    engine = make_engine(pg_dsn, schema)
    nc: Client = await nats_server.connect("operator")

    async def ask(command: Any) -> CommandReply:
        return await send_command(nc, command, actor=acting_for(command, "p-ad"), source=SOURCE, timeout=10)

    async def decision_tasks() -> tuple[TaskLine, ...]:
        query = ListTasks(command_id=uuid.uuid4().hex, decision_id=decision.decision_id)
        return (
            await send_query(nc, query, ListTasksReply, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=10)
        ).tasks

    async def outbox(subject: str) -> list[dict[str, Any]]:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT payload, published_at FROM outbox WHERE subject = :s ORDER BY seq"), {"s": subject}
            )
            return [
                {**json.loads(r.payload), "_published": r.published_at is not None}
                for r in rows
                if str(decision.decision_id) in r.payload.decode()
            ]

    try:
        service.start()
        mandates = await eventually(
            lambda: query_when_up(
                nc,
                ListMandates(command_id=uuid.uuid4().hex, body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN),
                ListMandatesReply,
            ),
            lambda r: r is not None,
            timeout=60,
            what="the service to answer",
        )
        assert mandates is not None
        assert len(mandates.mandates) >= 9
        await publish_decision(nats_server, decision)
        tasks = await eventually(decision_tasks, lambda t: len(t) == 3, timeout=60, what="three tasks")
        by_action = {t.action_id: t for t in tasks}
        assert {a: (t.owner_person_id, t.entity, t.status) for a, t in by_action.items()} == {
            "a": ("p-ruimte", "ocmw", "open"),
            "b": ("p-welzijn", "ocmw", "open"),
            "c": ("p-fin", "ocmw", "open"),
        }

        listed = await asyncio.to_thread(rw, nats_server, "tasks", "list", "--unit", "RUIMTE", "--status", "open")
        assert listed.exit_code == 0, listed.output
        assert "Contract opmaken" in listed.output
        assert "p-ruimte" in listed.output

        scan = await ask(ScanOverdue(command_id=uuid.uuid4().hex, as_of=today + dt.timedelta(days=11)))
        assert scan.accepted, scan.message
        tasks = await decision_tasks()
        overdue = [t for t in tasks if t.status == "overdue"]
        assert [(t.action_id, t.owner_person_id, t.escalation_level) for t in overdue] == [("a", "p-ad", 1)]
        escalated = await eventually(
            lambda: outbox("organisation.task.escalated"), lambda e: bool(e and e[0]["_published"]), what="escalation"
        )
        assert (escalated[0]["from_person_id"], escalated[0]["to_person_id"]) == ("p-ruimte", "p-ad")
        assert [e["owner_person_id"] for e in await outbox("organisation.task.overdue")] == ["p-ruimte"]

        mine = await asyncio.to_thread(rw, nats_server, "tasks", "list", "--person", "p-ad", "--status", "overdue")
        assert mine.exit_code == 0, mine.output
        assert "Contract opmaken" in mine.output

        for action, person in (("b", "p-welzijn"), ("c", "p-fin")):
            done = await ask(
                CompleteTask(command_id=uuid.uuid4().hex, task_id=by_action[action].task_id, person_id=person)
            )
            assert done.accepted, done.message
        assert await outbox("organisation.decision.executed") == []
        refused = await ask(
            CompleteTask(command_id=uuid.uuid4().hex, task_id=by_action["a"].task_id, person_id="p-ruimte")
        )
        assert (refused.accepted, refused.code) == (False, "not_owner")
        done = await ask(CompleteTask(command_id=uuid.uuid4().hex, task_id=by_action["a"].task_id, person_id="p-ad"))
        assert done.accepted, done.message
        executed = await eventually(
            lambda: outbox("organisation.decision.executed"),
            lambda e: bool(e and e[0]["_published"]),
            what="decision.executed published",
        )
        assert [(e["task_count"], e["entity"]) for e in executed] == [(3, "ocmw")]
        assert service.stop() == 0, service.log_tail()
    finally:
        await nc.close()
        if service.process and service.process.poll() is None:
            service.kill()
        await engine.dispose()


async def _publish_hr(nats_server: Any, event: Any) -> None:
    nc = await nats_server.connect("hr")
    try:
        envelope = Envelope(
            id=str(uuid.uuid4()),
            type=event.ce_type(),
            source="/raderwerk/hr",
            time=dt.datetime.now(dt.UTC),
            correlation_id=str(uuid.uuid4()),
        )
        await nc.jetstream().publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())
    finally:
        await nc.close()


async def test_the_delegate_from_hr_owns_new_tasks_until_revoked(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_tasks_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("organisation", nats_server.url, nats_server.passwords["organisation"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.seed)
    nc: Client = await nats_server.connect("operator")
    granted = DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id="p-secr",
        power=DelegationPower.DECIDE,
        entity=LegalEntity.GEMEENTE,
        valid_from=dt.date(2025, 1, 1),
        valid_until=None,
    )

    def decision() -> DecisionAdopted:
        action = FollowUpAction(action_id="x", kind=FollowUpKind.EXECUTE, description="Opvolgen", unit_code="MT")
        return adopted_decision(adopted_at=dt.datetime.now(dt.UTC), follow_up_actions=(action,))

    async def owner_of(d: DecisionAdopted) -> str | None:
        reply = await query_when_up(
            nc, ListTasks(command_id=uuid.uuid4().hex, decision_id=d.decision_id), ListTasksReply
        )
        tasks = reply.tasks if reply is not None else ()
        return tasks[0].owner_person_id if tasks else None

    try:
        service.start()
        await _publish_hr(nats_server, granted)
        # The delegation is known once a decision after it goes to the delegate.
        first = decision()
        await publish_decision(nats_server, first)
        assert await eventually(lambda: owner_of(first), lambda o: o is not None, timeout=60, what="a task") in {
            "p-ad",
            "p-secr",
        }

        async def delegated_owner() -> str | None:
            probe = decision()
            await publish_decision(nats_server, probe)
            return await eventually(lambda: owner_of(probe), lambda o: o is not None, what="the probe task")

        assert await eventually(delegated_owner, lambda o: o == "p-secr", timeout=30, what="the delegate") == "p-secr"
        await _publish_hr(
            nats_server,
            DelegationRevoked(
                delegation_id=granted.delegation_id,
                to_person_id="p-secr",
                power=DelegationPower.DECIDE,
                revoked_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
                reason="einde",
            ),
        )
        assert await eventually(delegated_owner, lambda o: o == "p-ad", timeout=30, what="the head again") == "p-ad"
        assert service.stop() == 0, service.log_tail()
    finally:
        await nc.close()
        if service.process and service.process.poll() is None:
            service.kill()
