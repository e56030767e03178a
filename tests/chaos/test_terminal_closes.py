"""Closing the terminal `make run` runs in stops everything, even when the launcher is not told by a signal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tests.chaos.launcher import (
    READY_TIMEOUT_S,
    ROOT,
    hangup_as_from_a_terminal,
    kill_everything_using,
    pid_alive,
    processes_using,
    until,
)

GONE_WITHIN_S = 10.0


class Terminal:
    """A pseudo-terminal whose screen a thread keeps reading (a full screen would block the writers)."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self.screen = bytearray()
        self._closing = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._closing.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:
                    break
        # Only this thread uses the master, so closing it here really hangs the terminal up.
        os.close(self.master)

    def close(self) -> None:
        """The terminal window is closed."""
        self._closing.set()
        self._reader.join(timeout=5)


def _take_the_terminal() -> None:
    # After setsid (start_new_session): the pty becomes this session's controlling terminal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    # And the hang-up signal at its default, as a terminal gives it (the tests may run under nohup).
    hangup_as_from_a_terminal()


@pytest.mark.timeout(300)
def test_closing_the_terminal_leaves_no_process_of_the_run(data_dir: Path) -> None:
    terminal = Terminal()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RW_")} | {"PYTHONUNBUFFERED": "1"}
    # A session leader that, like make under `ssh -t host make run`, takes the hang-up signal and
    # waits for its child: nobody passes the signal on, so the launcher must notice the closed
    # terminal itself. (A shell with a trap runs it only once the command it waits for ended.)
    leader = subprocess.Popen(
        ["/bin/sh", "-c", f"trap 'exit 0' HUP; '{sys.executable}' -m deploy.run --data-dir '{data_dir}'"],
        stdin=terminal.slave,
        stdout=terminal.slave,
        stderr=terminal.slave,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        preexec_fn=_take_the_terminal,  # noqa: PLW1509 - one ioctl between fork and exec
    )
    os.close(terminal.slave)
    try:
        until(lambda: b"Raderwerk ready" in terminal.screen, bool, timeout=READY_TIMEOUT_S, what="the ready line")
        launcher = int(json.loads((data_dir / "run.json").read_text())["processes"]["launcher"])
        closed_at = time.monotonic()
        terminal.close()
        left = until(
            lambda: {**processes_using(data_dir), **({launcher: "the launcher"} if pid_alive(launcher) else {})},
            lambda found: not found,
            timeout=GONE_WITHIN_S,
            what="every process of the run to end after the terminal closed",
        )
        assert left == {}
        print(f"terminal closed: every process of the run gone after {time.monotonic() - closed_at:.1f} s")
    finally:
        terminal.close()
        kill_everything_using(data_dir)  # the launcher (its arguments name the folder) and what it left
        if leader.poll() is None:
            leader.kill()
        leader.wait()
