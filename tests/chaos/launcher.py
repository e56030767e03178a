"""Start the launcher exactly as `make run` does and watch it, its output and its folder's processes."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nats.aio.client import Client

from cli.acting import operator_signer
from cli.connection import RunInfo, connect
from shared.actor import ActorSigner

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 180
T = TypeVar("T")

__all__ = [
    "Launch",
    "kill_everything_using",
    "pid_alive",
    "processes_using",
    "start_launcher",
    "until",
]


def until(probe: Callable[[], T], done: Callable[[T], bool], *, timeout: float, what: str) -> T:
    """Poll `probe` until `done(value)`; fail with the last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last value: {value!r}")
        time.sleep(0.05)


def pid_alive(pid: int) -> bool:
    """Whether `pid` exists and is no zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def processes_using(folder: Path) -> dict[int, str]:
    """Live processes whose arguments or working directory point into `folder`: pid -> command line.

    Read straight from /proc, independently of the launcher's own search, so the tests check it.
    """
    pattern = re.compile(re.escape(str(folder.resolve())) + r"(/|$|\s)")
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid() or not pid_alive(int(entry.name)):
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        try:
            directory = str((entry / "cwd").readlink())
        except OSError:
            directory = ""
        if pattern.search(command) or pattern.search(directory):
            found[int(entry.name)] = f"{command} (cwd {directory})"
    return found


def kill_everything_using(folder: Path) -> None:
    """SIGKILL what still uses `folder`: the tests' own safety net, never the thing under test."""
    for pid in processes_using(folder):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@dataclass
class Launch:
    """One `deploy.run` process, its output line by line, and its data folder."""

    process: subprocess.Popen[str]
    data_dir: Path
    output: list[str] = field(default_factory=list)
    _lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    ready_line: str = ""

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in iter(self.process.stdout.readline, ""):
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def tail(self, lines: int = 60) -> str:
        """The last lines it printed, for assertion messages."""
        return "".join(self.output[-lines:])

    def wait_for_line(self, wanted: Callable[[str], bool], *, timeout: float, what: str) -> str:
        """The next line that satisfies `wanted`; fails when the output ends or time runs out first."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line with {what} within {timeout:.0f} s:\n{self.tail()}")
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self._lines.put(None)  # stays at the end for later waits
                raise AssertionError(f"the launcher's output ended before {what}:\n{self.tail()}")
            if wanted(line):
                return line

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> str:
        """Its `Raderwerk ready` line."""
        self.ready_line = self.wait_for_line(lambda s: s.startswith("Raderwerk ready"), timeout=timeout, what="ready")
        return self.ready_line

    @property
    def run_info(self) -> dict[str, Any]:
        """The `run.json` it wrote."""
        info: dict[str, Any] = json.loads((self.data_dir / "run.json").read_text())
        return info

    def operator_info(self) -> RunInfo:
        """What `rw` reads, to connect as the operator."""
        info = self.run_info
        return RunInfo(
            nats_url=info["nats_url"],
            user=info["operator_user"],
            password=info["operator_password"],
            services={n: int(s["http_port"]) for n, s in info["services"].items()},
            actor_key_file=Path(info["operator_actor_key_file"]),
        )

    def signer(self) -> ActorSigner:
        """The operator's actor signer of this run, as `rw --as` uses it."""
        return operator_signer(self.operator_info())

    async def operator(self) -> Client:
        """A NATS connection as the operator, like `rw`."""
        return await connect(self.operator_info())

    def services_ready(self) -> dict[str, bool]:
        """Each service's `/readyz` verdict now."""
        verdicts: dict[str, bool] = {}
        for name, port in self.operator_info().services.items():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
                    verdicts[name] = bool(json.loads(resp.read()).get("ready"))
            except (urllib.error.URLError, OSError, ValueError):
                verdicts[name] = False
        return verdicts

    def wait_services_ready(self, timeout: float = 60) -> None:
        """Until every service says it is ready (NATS connected, PostgreSQL answering)."""
        until(self.services_ready, lambda v: all(v.values()), timeout=timeout, what="every service ready")

    def wait_exit(self, timeout: float) -> int:
        """Its exit code."""
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Ctrl-C, as a user stops it; SIGKILL if that does not end it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def hangup_as_from_a_terminal() -> None:
    """SIGHUP at its default in the child, as a terminal starts `make run`.

    Under `nohup` (a CI runner, a detached session) the tests inherit SIGHUP ignored, and the
    launcher then keeps running on purpose when its terminal closes; the tests that send it SIGHUP
    mean the interactive case.
    """
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def start_launcher(data_dir: Path, *args: str) -> Launch:
    """`python -m deploy.run --data-dir <data_dir>` from the repository, as `make run` runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RW_")}
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.run", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=hangup_as_from_a_terminal,  # noqa: PLW1509 - one signal() between fork and exec
    )
    launched = Launch(process, data_dir)
    threading.Thread(target=launched._pump, daemon=True).start()
    return launched
