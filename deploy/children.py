"""The launcher's children as the supervisor sees them: services, nats-server and PostgreSQL.

Each can be started again, says why it is not running, and stops; `deploy.watchdog.Watchdog`
is the fourth kind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from deploy.embedded import NatsProcess, PostgresHandle
from deploy.parent_death import die_with_parent
from deploy.supervisor import exit_reason

__all__ = ["NatsChild", "PostgresChild", "ServiceChild", "write_line"]


def write_line(out: TextIO, line: str) -> None:
    """Print a line, and carry on when the terminal is gone.

    After SIGHUP writing to the terminal fails: the launcher must still stop its children (and
    keep draining their output, or they block on a full pipe).
    """
    with contextlib.suppress(OSError, ValueError):
        print(line, file=out, flush=True)


@dataclass
class ServiceChild:
    """A Python service: its own session, output prefixed with its name, dies with the launcher."""

    service: str
    argv: Sequence[str]
    env: Mapping[str, str]
    colour: str = "36"
    out: TextIO = field(default_factory=lambda: sys.stdout)
    lock: threading.Lock = field(default_factory=threading.Lock)
    process: subprocess.Popen[bytes] | None = None
    lines: list[str] = field(default_factory=list)
    _output_ended: threading.Event = field(default_factory=threading.Event, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.service

    @property
    def pid(self) -> int | None:
        """The current process id (it changes at each restart)."""
        return self.process.pid if self.process else None

    def start(self) -> None:
        # Its own session: Ctrl-C at the terminal reaches only the launcher, which stops the
        # services first and the servers after them. The parent-death signal covers the case
        # where the launcher cannot do that.
        self.process = subprocess.Popen(
            list(self.argv),
            env=dict(self.env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(),  # noqa: PLW1509 - only prctl and getppid run between fork and exec
        )
        self._output_ended = threading.Event()
        threading.Thread(
            target=self._pump, args=(self.process, self._output_ended), daemon=True, name=f"pump-{self.name}"
        ).start()

    def _pump(self, process: subprocess.Popen[bytes], ended: threading.Event) -> None:
        try:
            self._copy_output(process)
        finally:
            ended.set()

    def _copy_output(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        tty = False
        with contextlib.suppress(OSError, ValueError):
            tty = self.out.isatty()
        prefix = f"\x1b[{self.colour}m{self.name:>13}\x1b[0m | " if tty else f"{self.name:>13} | "
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode(errors="replace").rstrip()
            self.lines = [*self.lines[-19:], line]
            with self.lock:
                write_line(self.out, prefix + line)

    def exit_reason(self) -> str | None:
        if self.process is None:
            return "not started"
        code = self.process.poll()
        return None if code is None else exit_reason(code)

    def request_stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)

    def wait_stopped(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.1, timeout))
        except subprocess.TimeoutExpired:
            _signal_group(self.process, signal.SIGKILL)
            self.process.wait()

    def last_output(self) -> list[str]:
        return list(self.lines)

    def wait_output(self, timeout: float) -> bool:
        """Until every line the current process wrote is read (it has exited); False after `timeout` s."""
        return self._output_ended.wait(timeout)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


@dataclass
class NatsChild:
    """nats-server, restarted on the same ports, configuration and store: clients reconnect by themselves."""

    server: NatsProcess
    label: str = "nats-server"
    """Its name under supervision: `nats-server`, or `nats-server-n2` for a cluster's node."""

    @property
    def name(self) -> str:
        return self.label

    @property
    def pid(self) -> int:
        """Its current process id."""
        return self.server.pid

    def start(self) -> None:
        self.server.restart()

    def exit_reason(self) -> str | None:
        code = self.server.process.poll()
        return None if code is None else exit_reason(code)

    def request_stop(self) -> None:
        # SIGTERM: JetStream flushes its store before the server exits.
        if self.server.process.poll() is None:
            self.server.process.terminate()

    def wait_stopped(self, timeout: float) -> None:
        self.server.stop(timeout=max(0.1, timeout))

    def last_output(self) -> list[str]:
        log = self.server.data_dir / "nats.log"
        with contextlib.suppress(OSError):
            return log.read_text(errors="replace").splitlines()[-10:]
        return []


@dataclass
class PostgresChild:
    """The embedded PostgreSQL: its postmaster is not our child, so it is watched through its pid file."""

    handle: PostgresHandle

    @property
    def name(self) -> str:
        return "PostgreSQL"

    @property
    def pid(self) -> int | None:
        """The postmaster's process id."""
        return self.handle.pid

    def start(self) -> None:
        self.handle.restart()

    def exit_reason(self) -> str | None:
        if self.handle.running():
            return None
        return f"its postmaster (pid {self.handle.pid}) is gone"

    def request_stop(self) -> None:
        """Nothing to do without waiting: `wait_stopped` runs the fast shutdown."""

    def wait_stopped(self, timeout: float) -> None:
        self.handle.stop(timeout=max(1.0, timeout))

    def last_output(self) -> list[str]:
        log = self.handle.data_dir / "log"
        with contextlib.suppress(OSError):
            return log.read_text(errors="replace").splitlines()[-10:]
        return []
