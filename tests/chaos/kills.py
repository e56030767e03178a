"""Killing a server under the launcher and waiting, without blocking the event loop, until it is back.

Async so that a burst of decisions can run beside it:
`await asyncio.gather(burst(...), kill_and_await_restart(launched, "nats-server"))`.
"""

from __future__ import annotations

import asyncio
import os
import signal

from tests.chaos.launcher import Launch, pid_alive, until

__all__ = ["kill_and_await_restart"]


def _current(launched: Launch, name: str) -> int:
    info = launched.run_info
    pid = info["processes"].get(name) or info["services"].get(name, {}).get("pid")
    return int(pid) if pid else 0


async def kill_and_await_restart(launched: Launch, name: str, *, timeout: float = 60) -> str:
    """SIGKILL `name` (a service, `nats-server`, `PostgreSQL`, `watchdog`) and answer the launcher's restart line.

    Returns once the launcher restarted it (`run.json` names a new, live pid) and every service
    says it is ready again.
    """
    old = _current(launched, name)
    os.kill(old, signal.SIGKILL)
    line = await asyncio.to_thread(
        launched.wait_for_line, lambda s: f"restarting {name} " in s, timeout=timeout, what=f"{name}'s restart"
    )
    await asyncio.to_thread(
        until,
        lambda: _current(launched, name),
        lambda pid: pid not in (0, old) and pid_alive(pid),
        timeout=timeout,
        what=f"{name} back",
    )
    await asyncio.to_thread(launched.wait_services_ready, timeout)
    return line
