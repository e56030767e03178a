"""nats-server and PostgreSQL killed under the launcher come back by themselves, and a flow completes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.chaos.flows import assert_intact, demo
from tests.chaos.kills import kill_and_await_restart
from tests.chaos.launcher import Launch


@pytest.mark.timeout(420)
async def test_killed_servers_are_restarted_and_the_services_carry_on(launch: Callable[..., Launch]) -> None:
    launched = launch()
    launched.wait_ready()
    before = await demo(launched)
    processes = launched.run_info["processes"]

    line = await kill_and_await_restart(launched, "nats-server")
    assert "killed by SIGKILL (restart 1 of 5 restarts per 60 s)" in line, line
    line = await kill_and_await_restart(launched, "PostgreSQL")
    assert f"its postmaster (pid {processes['PostgreSQL']}) is gone (restart 1 of 5" in line, line
    line = await kill_and_await_restart(launched, "watchdog")
    assert "killed by SIGKILL" in line, line

    # The chaos burst runs here, beside the kills (see tests.chaos.kills); one decision shows the flow works.
    after = await demo(launched)
    assert after.decision_id != before.decision_id
    await assert_intact(launched, before)
    await assert_intact(launched, after)
    assert not [s for s in launched.output if "leaving it stopped" in s]
