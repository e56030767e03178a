"""However the launcher ends, nothing of its run is left, and the next launch finds its data intact."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import pytest

from tests.chaos.flows import assert_intact, demo
from tests.chaos.launcher import Launch, pid_alive, processes_using, until

#: Done-when: within this many seconds of the launcher's end no process of its run is left.
GONE_WITHIN_S = 10.0


@pytest.mark.timeout(420)
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGKILL], ids=["SIGHUP", "SIGKILL"])
async def test_nothing_outlives_the_launcher_and_the_next_launch_finds_the_data(
    launch: Callable[..., Launch], sig: signal.Signals
) -> None:
    first = launch()
    first.wait_ready()
    before = await demo(first)
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
    await assert_intact(second, before)
    after = await demo(second)
    assert after.decision_id != before.decision_id
