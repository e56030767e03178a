"""The whole system, started as `make run` starts it: the demo flow completes, Ctrl-C is clean."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import uuid
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs; used only to ask PostgreSQL directly
import httpx
from rich.console import Console

from cli.acting import operator_signer
from cli.connection import RunInfo, clock_of, connect
from cli.demo import run_demo
from cli.meeting_walk import WalkError, WalkResult, walk_council_meeting
from cli.status import consumer_table, service_table
from cli.trace import TraceTree, load_spans, trace_of
from shared.clock import advance_clock_file
from shared.contracts.finance import GetBudgetChanges, GetBudgetChangesReply, GetCreditUse, GetCreditUseReply
from shared.contracts.organisation import ListTasks, ListTasksReply
from shared.contracts.sessions import ScanPublicationTerms
from shared.messaging.commands import send_command, send_query
from shared.topology import CONSUMERS, SERVICE_NAMES
from tests.e2e.system import RunningSystem
from tests.integration.waiting import eventually


def _run_info(system: RunningSystem) -> RunInfo:
    info: Any = system.run_info
    return RunInfo(
        nats_url=info["nats_url"],
        user=info.get("operator_user", "operator"),
        password=info["operator_password"],
        services={n: int(s["http_port"]) for n, s in info["services"].items()},
        clock_file=Path(info["clock_file"]),
        actor_key_file=Path(info["operator_actor_key_file"]),
    )


def test_ready_line_says_where_to_look(system: RunningSystem) -> None:
    assert "nats://" in system.ready_line
    info: Any = system.run_info
    assert set(info["services"]) == set(SERVICE_NAMES)


async def test_a_decision_flows_through_every_service(system: RunningSystem) -> None:
    info = _run_info(system)
    nc = await connect(info)
    try:
        result = await run_demo(nc, operator_signer(info), timeout=60, clock=clock_of(info))
    finally:
        await nc.close()
    types = [".".join(str(r.type).split(".")[2:-1]) for r in result.trail]
    assert types.count("meetings.decision.adopted") == 1
    assert types.count("finance.commitment.recorded") == 1
    assert types.count("organisation.task.created") == 3
    assert types.count("notifications.inbox_entry.created") == 3
    # The commands that started the flow are in the ledger under the same correlation id.
    assert any(t.startswith("cmd.meetings.propose_agenda_item") for t in types)
    # The decision is the outcome of a vote in a college session: convened, opened, voted, closed.
    for step in ("schedule_meeting", "convene_meeting", "open_session", "vote_on_item", "close_meeting"):
        assert any(t.startswith(f"cmd.meetings.{step}") for t in types), step
    assert types.count("meetings.meeting.closed") == 1
    assert {r.service for r in result.trail} >= {"meetings", "finance", "organisation", "notifications"}
    owners = {t["unit_code"]: t["owner_person_id"] for t in result.tasks}
    assert owners == {"RUIMTE": "p-ruimte", "SECR": "p-secr", "FIN": "p-fin"}
    assert result.credit is not None
    assert result.credit["committed"] != "0.00"
    seqs = [r.seq for r in result.trail]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)


async def test_the_demo_plan_is_in_force_for_six_years_adopted_and_in_balance(system: RunningSystem) -> None:
    info = _run_info(system)
    year = clock_of(info)().year
    director = operator_signer(info).acting_as("p-fd")
    nc = await connect(info)
    try:
        changes = await send_query(
            nc, GetBudgetChanges(command_id="q-e2e-plan"), GetBudgetChangesReply, actor=director, source="/e2e"
        )
        use = await send_query(
            nc, GetCreditUse(command_id="q-e2e-credits"), GetCreditUseReply, actor=director, source="/e2e"
        )
    finally:
        await nc.close()
    plans = {(c.entity.value, c.kind, c.status, c.balanced) for c in changes.changes if c.kind == "plan"}
    assert plans == {("gemeente", "plan", "applied", True), ("ocmw", "plan", "applied", True)}
    ocmw = next(c for c in changes.changes if c.entity.value == "ocmw" and c.kind == "plan")
    assert ocmw.adopted_by is not None, "the RMW adopted it before the gemeenteraad approved it"
    for entity in ("gemeente", "ocmw"):
        years = {c.financial_year for c in use.credits if c.entity.value == entity}
        assert set(range(year, year + 6)) <= years, entity
    assert [y.financial_year for y in changes.balance][-6:] == list(range(year, year + 6))
    assert all(y.available_result >= 0 for y in changes.balance)
    assert changes.balance[-1].self_financing_margin >= 0


async def test_rw_meeting_walk_runs_a_council_meeting_on_the_demo_council(system: RunningSystem) -> None:
    info = _run_info(system)
    assert info.clock_file is not None
    clock_file = info.clock_file
    nc = await connect(info)
    try:
        # organisation's seed announces the demo mandates; meetings builds its council from them.
        result = await eventually(
            lambda: _walk(nc, info, clock_file),
            lambda r: r is not None,
            timeout=60,
            what="meetings to know the demo council",
        )
    finally:
        await nc.close()
    assert result is not None
    assert result.decision_list is not None
    outcomes = ["closed" if line.closed else line.outcome for line in result.decision_list.items]
    assert outcomes == ["adopted", "postponed", "closed"]
    assert {d["kind"] for d in result.published} == {"decision_list", "minutes", "regulation", "extract"}
    assert result.register is not None
    assert result.register.broken is None
    assert result.history == [
        ("college", "prepared"),
        ("gemeenteraadscommissie", "advised"),
        ("gemeenteraad", "adopted"),
    ], "the regulation's one history: the college prepared it, a committee advised, the council decided"


async def test_an_unpublished_decision_list_gives_the_secretariat_a_task_before_its_term_runs_out(
    system: RunningSystem,
) -> None:
    """On the run's shared clock: a college decision's list stays unpublished; eight days after the session
    (two before the ten-day term runs out) the scan raises the follow-up task, which organisation gives to
    the secretariat."""
    info = _run_info(system)
    assert info.clock_file is not None
    nc = await connect(info)
    try:
        demo = await run_demo(nc, operator_signer(info), timeout=60, clock=clock_of(info))
        assert demo.meeting_id is not None
        director = operator_signer(info).acting_as("p-ad")
        # organisation files the task under an id of its own for the meeting's decision list.
        task_key = uuid.uuid5(uuid.UUID(demo.meeting_id), "publication:decision_list")
        advance_clock_file(info.clock_file, clock_of(info)() + dt.timedelta(days=8, hours=1))
        scanned = await send_command(
            nc, ScanPublicationTerms(command_id=uuid.uuid4().hex), actor=director, source="/raderwerk/test", timeout=10
        )
        assert scanned.accepted, scanned.message
        assert isinstance(scanned.data["nearing"], int)
        assert scanned.data["nearing"] >= 1

        async def publish_tasks() -> list[Any]:
            query = ListTasks(command_id=uuid.uuid4().hex, decision_id=task_key)
            reply = await send_query(nc, query, ListTasksReply, actor=director, source="/raderwerk/test", timeout=10)
            return [t for t in reply.tasks if t.kind == "publish" and "besluitenlijst" in t.title]

        tasks = await eventually(publish_tasks, bool, timeout=30, what="organisation to raise the publish task")
    finally:
        await nc.close()
    [task] = tasks
    today = clock_of(info)().date()
    assert task.due_date - today <= dt.timedelta(days=2), "raised two days before the term runs out"
    assert task.due_date >= today, "and not after"


async def _walk(nc: Any, info: RunInfo, clock_file: Path) -> WalkResult | None:
    try:
        return await walk_council_meeting(nc, operator_signer(info), clock_file)
    except WalkError as exc:
        if "no sitting council members" in str(exc):
            return None
        raise


async def test_status_shows_every_service_ready_and_every_consumer(system: RunningSystem) -> None:
    info = _run_info(system)
    console = Console(record=True, width=200)
    table, not_ready = await service_table(info)
    assert not_ready == {}
    console.print(table)
    nc = await connect(info)
    try:
        console.print(await consumer_table(nc))
    finally:
        await nc.close()
    text = console.export_text()
    for name in info.services:
        row = next(line for line in text.splitlines() if f" {name} " in line)
        assert " yes " in row, row
    for spec in CONSUMERS:
        assert spec.durable in text


async def test_every_service_connects_to_postgresql_as_its_own_role(system: RunningSystem) -> None:
    info: Any = system.run_info
    services = set(info["services"])
    # run.json's database URL is the administrator's: only the launcher (and we) use it.
    admin = await asyncpg.connect(info["database_url"])
    query = (
        "SELECT a.application_name, a.usename, r.rolsuper FROM pg_stat_activity a"
        " JOIN pg_roles r ON r.oid = a.usesysid"
        " WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()"
    )
    try:
        rows = await eventually(
            lambda: admin.fetch(query),
            lambda rows: services <= {row["application_name"] for row in rows},
            timeout=30,
            what="a database connection of every service",
        )
    finally:
        await admin.close()
    for row in rows:
        if row["application_name"] in services or row["usename"].endswith("_app"):
            assert row["usename"] == f"{row['application_name']}_app", dict(row)
            assert not row["rolsuper"], dict(row)
    for name, service in info["services"].items():
        env = _environment(int(service["pid"]))
        assert env[f"RW_{name.upper()}_DATABASE_URL"].startswith(f"postgresql://{name}_app@"), name
        assert "RW_DATABASE_URL" not in env, f"{name} was given the administrator's database URL"


def test_rw_names_a_stopped_service_in_one_line(system: RunningSystem) -> None:
    # SIGSTOP, not a kill: the launcher restarts a service that died, and a stopped one is exactly
    # "running but not answering". It is continued before the test ends whatever happens.
    info: Any = system.run_info
    pid = int(info["services"]["finance"]["pid"])
    os.kill(pid, signal.SIGSTOP)
    try:
        results = {command: system.rw(command, timeout=60) for command in ("status", "demo")}
    finally:
        os.kill(pid, signal.SIGCONT)
    for command, result in results.items():
        assert result.returncode == 1, f"rw {command}: {result.stdout}{result.stderr}"
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, f"rw {command}: {result.stderr}"
        assert "Traceback" not in result.stderr
        assert "finance" in lines[0], lines[0]
        assert "not ready" in lines[0], lines[0]


async def test_a_decisions_trace_covers_every_service_with_parent_child_links(system: RunningSystem) -> None:
    info = _run_info(system)
    nc = await connect(info)
    try:
        result = await run_demo(nc, operator_signer(info), timeout=60, clock=clock_of(info))
    finally:
        await nc.close()
    store = system.data_dir / "traces"
    wanted = {"meetings", "finance", "organisation", "notifications", "audit"}

    def reached_from_meetings(tree: TraceTree) -> set[str]:
        """Services with a span whose chain of parents leads, through messages, to a span of meetings."""
        reached = set()
        for span in tree.spans.values():
            parent = tree.parent_of(span)
            while parent is not None and parent.service != "meetings":
                parent = tree.parent_of(parent)
            if parent is not None and span.service != "meetings":
                reached.add(span.service)
        return reached

    async def probe() -> TraceTree:
        return trace_of(result.correlation_id, load_spans(store))

    tree = await eventually(
        probe, lambda t: wanted - {"meetings"} <= reached_from_meetings(t), timeout=30, what="a decision's trace"
    )
    assert wanted <= tree.services()
    # The link crosses the outbox: a finance span's parent is meetings' relay publishing the event.
    finance = [s for s in tree.spans.values() if s.service == "finance" and s.name.endswith("process")]
    parents = {p.name for s in finance if (p := tree.parent_of(s)) is not None}
    assert any(name.startswith("meetings.") and name.endswith(" publish") for name in parents), parents
    # `rw trace` prints the same tree from the span store.
    shown = await asyncio.to_thread(system.rw, "trace", result.correlation_id, "--dir", str(store), timeout=60)
    assert shown.returncode == 0, shown.stderr
    for service in wanted:
        assert service in shown.stdout


def test_the_ready_line_names_the_api_and_rw_users_lists_the_demo_accounts(system: RunningSystem) -> None:
    info: Any = system.run_info
    assert f"API {info['api_url']}" in system.ready_line
    assert "rw users" in system.ready_line
    listed = system.rw("users", timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "p-fd" in listed.stdout


async def test_a_demo_person_signs_in_at_the_gateway_and_asks_a_service(system: RunningSystem) -> None:
    info: Any = system.run_info
    accounts = json.loads(await asyncio.to_thread(Path(info["gateway_accounts_file"]).read_text))
    async with httpx.AsyncClient(base_url=info["api_url"], timeout=30) as client:
        query = {"command_id": uuid.uuid4().hex}
        assert (await client.post("/api/v1/queries/hr/list_staff", json=query)).status_code == 401
        credentials = {"username": "p-fd", "password": accounts["p-fd"]["password"]}
        signed_in = await client.post("/auth/local/sign-in", json=credentials)
        assert signed_in.status_code == 200, signed_in.text
        session = {
            "Cookie": f"rw_session={signed_in.cookies['rw_session']}",
            "X-CSRF-Token": signed_in.json()["csrf_token"],
        }
        staff = await client.post("/api/v1/queries/hr/list_staff", json=query, headers=session)
    assert staff.status_code == 200, staff.text
    assert "p-fd" in {s["person_id"] for s in staff.json()["staff"]}


def test_an_operator_issues_an_api_token_that_works_until_revoked(system: RunningSystem) -> None:
    info: Any = system.run_info

    def rw(*args: str) -> subprocess.CompletedProcess[str]:
        return system.rw("tokens", *args, timeout=90)

    created = rw("create", "p-fd", "--name", "e2e export")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("rwt_"), created.stdout
    token_id = token.split("_")[1]
    listed = rw("list")
    assert listed.returncode == 0, listed.stderr
    assert token_id in listed.stdout
    assert "e2e export" in listed.stdout
    query = {"command_id": uuid.uuid4().hex}
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=info["api_url"], timeout=30) as client:
        assert client.post("/api/v1/queries/hr/list_staff", json=query, headers=bearer).status_code == 200
        revoked = rw("revoke", token_id)
        assert revoked.returncode == 0, revoked.stderr
        refused = client.post("/api/v1/queries/hr/list_staff", json=query, headers=bearer)
    assert refused.status_code == 401, refused.text
    assert "invalid_token" in refused.text


# Last: it stops the module's system.
def test_ctrl_c_stops_everything(system: RunningSystem) -> None:
    info: Any = system.run_info
    pids = [int(s["pid"]) for s in info["services"].values()]
    system.process.send_signal(signal.SIGINT)
    assert system.process.wait(timeout=60) == 0, "".join(system.output[-40:])
    alive = [pid for pid in pids if _alive(pid)]
    assert not alive, f"service processes left behind: {alive}"
    leftovers = subprocess.run(
        ["pgrep", "-f", str(system.data_dir)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert not leftovers, f"processes still using {system.data_dir}: {leftovers}"
    assert not (system.data_dir / "run.json").exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes; it only waits for its parent to reap it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _environment(pid: int) -> dict[str, str]:
    """The environment a process was started with."""
    items = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in items if b"=" in item)
