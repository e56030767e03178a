"""nats-server and PostgreSQL killed under the launcher come back by themselves, and a flow completes."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import pytest

from tests.chaos.flows import assert_intact, demo
from tests.chaos.launcher import Launch, pid_alive, until


def _restarted(launched: Launch, name: str, old_pid: int) -> int:
    """The new pid of `name` once the launcher restarted it (run.json follows restarts)."""

    def current() -> int:
        pid = launched.run_info["processes"][name]
        return int(pid) if pid else 0

    return until(current, lambda pid: pid not in (0, old_pid) and pid_alive(pid), timeout=60, what=f"{name} back")


@pytest.mark.timeout(420)
async def test_killed_servers_are_restarted_and_the_services_carry_on(launch: Callable[..., Launch]) -> None:
    launched = launch()
    launched.wait_ready()
    before = await demo(launched)
    processes = launched.run_info["processes"]

    os.kill(processes["nats-server"], signal.SIGKILL)
    line = launched.wait_for_line(lambda s: "restarting nats-server" in s, timeout=10, what="nats-server's restart")
    assert "killed by SIGKILL" in line, line
    assert "(restart 1 of 5 restarts per 60 s)" in line, line
    _restarted(launched, "nats-server", processes["nats-server"])
    launched.wait_services_ready(timeout=60)

    os.kill(processes["PostgreSQL"], signal.SIGKILL)
    line = launched.wait_for_line(lambda s: "restarting PostgreSQL" in s, timeout=10, what="PostgreSQL's restart")
    assert f"its postmaster (pid {processes['PostgreSQL']}) is gone" in line, line
    _restarted(launched, "PostgreSQL", processes["PostgreSQL"])
    launched.wait_services_ready(timeout=60)

    # A burst of decisions under the same kills goes here; one decision shows that the flow works.
    after = await demo(launched)
    assert after.decision_id != before.decision_id
    await assert_intact(launched, before)
    await assert_intact(launched, after)
    assert not [s for s in launched.output if "leaving it stopped" in s]
