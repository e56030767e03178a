"""PostgreSQL's watchdog: stops the embedded cluster when the launcher is gone, however it went.

`pg_ctl` starts the postmaster detached, so neither a parent-death signal nor the launcher's own
clean-up reaches it when the launcher is killed. The watchdog is a small process of its own
session that holds the read end of a pipe whose write end only the launcher holds: the kernel
closes that end when the launcher ends for any reason, the watchdog's read returns end-of-file,
and it stops PostgreSQL with a fast shutdown (a checkpoint, no recovery needed next time).
No polling: it sleeps in `read` until then.

    python -m deploy.watchdog --pgdata .rw/postgres --fd 5
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from deploy import pgctl, procfs
from deploy.supervisor import exit_reason

__all__ = ["Watchdog", "main"]

#: How long it waits for a `pg_ctl start` of the launcher that was under way when it died.
_STARTING_GRACE_S = 10.0


class _Stop(Exception):
    """SIGTERM: someone (the leftover clean-up of a new launcher) wants it done now."""


def _on_term(_signum: int, _frame: FrameType | None) -> None:
    raise _Stop


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"raderwerk  watchdog: {line}", flush=True)


def _starting(pgdata: Path) -> list[int]:
    """`pg_ctl … start` processes for this folder: a start the launcher began before it died."""
    found = []
    for pid in procfs.all_pids():
        args = procfs.cmdline(pid)
        if args and Path(args[0]).name == "pg_ctl" and "start" in args and str(pgdata) in args:
            found.append(pid)
    return found


def stop_postgres(pgdata: Path) -> str:
    """Stop the cluster, including one whose start was under way; answers what was done."""
    outcomes = [pgctl.stop_cluster(pgdata)]
    deadline = time.monotonic() + _STARTING_GRACE_S
    while (starting := _starting(pgdata)) and time.monotonic() < deadline:
        procfs.wait_gone(starting, max(0.1, deadline - time.monotonic()))
        outcomes.append(pgctl.stop_cluster(pgdata))
    done = [o for o in outcomes if o != "not running"]
    return "; ".join(done) if done else "not running"


def main(argv: list[str] | None = None) -> int:
    """Wait for end-of-file on `--fd`, then stop the cluster in `--pgdata`."""
    parser = argparse.ArgumentParser(prog="python -m deploy.watchdog", description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, required=True, help="the cluster's data folder")
    parser.add_argument("--fd", type=int, required=True, help="read end of the launcher's pipe")
    args = parser.parse_args(argv)
    pgdata: Path = args.pgdata.resolve()
    # Its own session already keeps the terminal's Ctrl-C and hang-up away; these are for a `kill`.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    why = "the launcher is gone"
    try:
        # The launcher never writes; only end-of-file (its end closed by the kernel) ends this.
        while os.read(args.fd, 64):
            pass
    except _Stop:
        why = "asked to stop"
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # now finish the job whatever comes
    outcome = stop_postgres(pgdata)
    if outcome != "not running":
        _say(f"{why}; PostgreSQL in {pgdata}: {outcome}")
    return 0


@dataclass
class Watchdog:
    """The launcher's side: starts the watchdog, holds the pipe's write end, closes it to release it."""

    pgdata: Path
    process: subprocess.Popen[bytes] | None = None
    _write_end: int | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return "watchdog"

    @property
    def pid(self) -> int | None:
        """Its process id."""
        return self.process.pid if self.process else None

    def start(self) -> None:
        """Start it before PostgreSQL, so no moment exists in which the cluster runs unwatched."""
        self._close()
        # os.pipe() makes both ends non-inheritable: no other child (a service, nats-server,
        # pg_ctl and through it the postmaster) gets a copy of the write end, which would keep
        # the pipe open after the launcher died. Only the read end is passed, to this child only.
        read_end, write_end = os.pipe()
        try:
            # No parent-death signal and a session of its own: it must outlive the launcher.
            pgdata = str(self.pgdata.resolve())
            self.process = subprocess.Popen(
                [sys.executable, "-m", "deploy.watchdog", "--pgdata", pgdata, "--fd", str(read_end)],
                stdin=subprocess.DEVNULL,
                pass_fds=(read_end,),
                start_new_session=True,
            )
        except BaseException:
            os.close(write_end)
            raise
        finally:
            os.close(read_end)
        self._write_end = write_end

    def _close(self) -> None:
        if self._write_end is not None:
            os.close(self._write_end)
            self._write_end = None

    def exit_reason(self) -> str | None:
        if self.process is None:
            return "not started"
        code = self.process.poll()
        return None if code is None else exit_reason(code)

    def request_stop(self) -> None:
        """Release it: end-of-file tells it the launcher is done (it stops PostgreSQL if still up)."""
        self._close()

    def wait_stopped(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.1, timeout))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def last_output(self) -> list[str]:
        return []


if __name__ == "__main__":
    sys.exit(main())
