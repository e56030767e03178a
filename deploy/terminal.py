"""Noticing that the launcher's terminal went away, whoever the kernel told.

Closing a terminal sends SIGHUP to its session leader. When that is an interactive shell, the
shell passes it on to its jobs and the launcher stops. But when `make` itself leads the session
(`ssh -t host make run`, `script -c "make run"`), only `make` hears it, and make waits for its
child: the launcher would run on with no terminal. So the launcher also waits for the hang-up
itself: `poll` for POLLHUP on its standard input, which reads nothing (a background job is not
stopped by SIGTTIN) and sleeps until the terminal is gone.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading

__all__ = ["stop_when_terminal_hangs_up"]


def _wait_for_hangup(fd: int) -> None:
    poller = select.poll()
    poller.register(fd, select.POLLHUP)
    while True:
        try:
            events = poller.poll()
        except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
            continue
        if any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events):
            break
    # The same as a hang-up signal: the main thread's handler stops everything in order.
    os.kill(os.getpid(), signal.SIGHUP)


def stop_when_terminal_hangs_up() -> bool:
    """Start the watch when standard input is a terminal; answers whether it was started."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = sys.stdin.fileno()
        if os.isatty(fd):
            threading.Thread(target=_wait_for_hangup, args=(fd,), daemon=True, name="terminal-hangup").start()
            return True
    return False
