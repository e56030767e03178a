"""However the launcher ends, nothing of its run is left, and the next launch finds its data intact."""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Callable

import pytest

from cli.demo import DemoResult, run_demo, wait_for_trail
from shared.contracts.audit import VerifyLedger, VerifyLedgerReply
from shared.contracts.organisation import ListTasks, ListTasksReply
from shared.messaging.commands import send_query
from tests.chaos.launcher import Launch, pid_alive, processes_using, until

#: Done-when: within this many seconds of the launcher's end no process of its run is left.
GONE_WITHIN_S = 10.0
EFFECTS = {
    "meetings.decision.adopted": 1,
    "finance.commitment.recorded": 1,
    "organisation.task.created": 3,
    "notifications.inbox_entry.created": 3,
}


def _event_name(ce_type: str) -> str:
    """`be.raderwerk.meetings.decision.adopted.v1` -> `meetings.decision.adopted`."""
    return ".".join(ce_type.split(".")[2:-1])


async def _demo(launched: Launch) -> DemoResult:
    nc = await launched.operator()
    try:
        return await run_demo(nc, timeout=60)
    finally:
        await nc.close()


async def _assert_intact(launched: Launch, before: DemoResult) -> None:
    """The earlier flow's state, its ledger records and the ledger's hash chain survived."""
    nc = await launched.operator()
    try:
        tasks = await send_query(
            nc, ListTasks(command_id=str(uuid.uuid4()), decision_id=uuid.UUID(before.decision_id)), ListTasksReply,
            source="tests.chaos", timeout=10,
        )  # fmt: skip
        assert sorted(str(t.task_id) for t in tasks.tasks) == sorted(t["task_id"] for t in before.tasks)
        trail = await wait_for_trail(nc, before.correlation_id, EFFECTS, time.monotonic() + 30)
        # Records may have been added after the flow returned (its queries are audited too); none may be lost.
        assert {r.seq for r in before.trail} <= {r.seq for r in trail}, "the ledger lost records"
        effects = [_event_name(str(r.type)) for r in trail]
        assert {t: effects.count(t) for t in EFFECTS} == EFFECTS, "every effect exactly once"
        verdict = await send_query(
            nc, VerifyLedger(command_id=str(uuid.uuid4())), VerifyLedgerReply, source="tests.chaos", timeout=30
        )
        assert verdict.ok, verdict
    finally:
        await nc.close()


@pytest.mark.timeout(420)
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGKILL], ids=["SIGHUP", "SIGKILL"])
async def test_nothing_outlives_the_launcher_and_the_next_launch_finds_the_data(
    launch: Callable[..., Launch], sig: signal.Signals
) -> None:
    first = launch()
    first.wait_ready()
    before = await _demo(first)
    info = first.run_info
    service_pids = {name: int(s["pid"]) for name, s in info["services"].items()}
    servers = info["processes"]
    running = processes_using(first.data_dir)
    for name in ("nats-server", "PostgreSQL", "watchdog"):
        assert servers[name] in running, f"{name} ({servers[name]}) should use the data folder:\n{running}"

    killed_at = time.monotonic()
    first.process.send_signal(sig)
    left = until(
        lambda: {**processes_using(first.data_dir), **{p: n for n, p in service_pids.items() if pid_alive(p)}},
        lambda found: not found,
        timeout=GONE_WITHIN_S,
        what=f"every process of the run to end after {sig.name}",
    )
    gone_after = time.monotonic() - killed_at
    assert left == {}
    print(f"{sig.name}: every process of the run gone {gone_after:.1f} s after the signal")
    code = first.wait_exit(timeout=GONE_WITHIN_S)
    assert code == (0 if sig is signal.SIGHUP else -signal.SIGKILL), first.tail()
    if sig is signal.SIGKILL:
        # Nothing of the launcher ran: the watchdog, not the launcher, stopped PostgreSQL.
        assert any("watchdog: the launcher is gone" in line for line in first.output), first.tail()

    second = launch()
    second.wait_ready()
    stale = [line for line in second.output if "no longer runs" in line]
    if sig is signal.SIGKILL:
        assert stale, "a lock left by a killed launcher is reported and taken over"
    else:
        assert not stale, "a launcher stopped by SIGHUP released its lock cleanly"
    assert not [line for line in second.output if "leftover" in line], "nothing was left to clean up"
    await _assert_intact(second, before)
    after = await _demo(second)
    assert after.decision_id != before.decision_id
