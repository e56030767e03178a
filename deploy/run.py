"""`make run`: NATS, PostgreSQL, provisioning, migrations, seven services and demo data.

Uses external servers when `RW_DATABASE_URL` / `RW_NATS_URL` are set. The database URL is the
administrator's (or a migrator's) login; every service connects as its own role (deploy/roles.py).
Ctrl-C, SIGTERM and a closed terminal stop everything it started, services first, and exit 0; when
the launcher dies without stopping them, its children stop by themselves (`deploy.parent_death`,
`deploy.watchdog`). One launcher per data folder (`deploy.lock`); leftovers of a crashed run are
stopped first (`deploy.leftovers`); children that die are restarted within a budget
(`deploy.supervisor`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType
from typing import Annotated

import nats
import typer

from deploy.children import NatsChild, PostgresChild, ServiceChild, write_line
from deploy.embedded import free_port, start_nats, start_postgres
from deploy.leftovers import find_leftovers, stop_leftovers
from deploy.lock import AlreadyRunningError, RunLock
from deploy.natsconf import USERS
from deploy.provision import provision
from deploy.roles import DatabaseLogin, database_logins, secure_local_auth, verify_logins
from deploy.supervisor import Supervised, Supervisor
from deploy.terminal import stop_when_terminal_hangs_up
from deploy.watchdog import Watchdog
from shared.db.migrate import prepare_schema
from shared.service_cli import service_hooks
from shared.settings import load_settings
from shared.supervised import SUPERVISOR_DATA_DIR, SUPERVISOR_PID
from shared.topology import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[1]
BASE_HTTP_PORT = 8101
#: How often the supervisor looks at its children (a restart that is due may be sooner).
_POLL_S = 0.5
#: How often a service is started on another port when its chosen one was taken meanwhile.
_PORT_ATTEMPTS = 3
_COLOURS = ("36", "33", "32", "35", "34", "31", "96", "93")


def _say(message: str) -> None:
    try:
        tty = sys.stdout.isatty()
    except (OSError, ValueError):
        tty = False
    write_line(sys.stdout, f"\x1b[1mraderwerk\x1b[0m  {message}" if tty else f"raderwerk  {message}")


def _external_passwords() -> dict[str, str]:
    passwords = {u: os.environ.get(f"RW_{u.upper()}_NATS_PASSWORD", "") for u in USERS if u != "sys"}
    missing = [f"RW_{u.upper()}_NATS_PASSWORD" for u, p in passwords.items() if not p]
    if missing:
        raise SystemExit(f"RW_NATS_URL is set, so these passwords are needed too: {', '.join(missing)}")
    return passwords


async def _provision(url: str, password: str) -> str:
    nc = await nats.connect(url, user="provisioner", password=password, connect_timeout=5)
    try:
        report = await provision(nc)
    finally:
        await nc.close()
    counts: dict[str, int] = {}
    for _, _, action in report.actions:
        counts[action] = counts.get(action, 0) + 1
    return ", ".join(f"{n} {a}" for a, n in sorted(counts.items()))


#: People the rules name in several services, as the demo municipality has them.
DEMO_DIRECTORS = {"RW_ALGEMEEN_DIRECTEUR_PERSON_ID": "p-ad", "RW_FINANCIAL_DIRECTOR_PERSON_ID": "p-fd"}


def _deployment_settings(data_dir: Path, *, demo: bool) -> None:
    """Settings every service of this run shares, unless the environment names them already.

    The demo's directors when the demo is loaded; and outside production a clock file under the
    data folder, so `rw clock` can move the time of every service at once.
    """
    if demo:
        for variable, person_id in DEMO_DIRECTORS.items():
            os.environ.setdefault(variable, person_id)
    if os.environ.setdefault("RW_ENV", "dev") != "prod":
        os.environ.setdefault("RW_CLOCK_FILE", str(data_dir / "clock.json"))


def _service_env(name: str, *, login: DatabaseLogin, nats_url: str, password: str, port: int) -> dict[str, str]:
    prefix = f"RW_{name.upper()}_"
    # The administrator's DSN stays with the launcher: a service knows its own login only.
    env = {k: v for k, v in os.environ.items() if k not in {"RW_DATABASE_URL", "RW_MIGRATION_DATABASE_URL"}}
    env.update(
        {
            f"{prefix}DATABASE_URL": login.url,
            f"{prefix}DATABASE_PASSWORD": login.password,
            f"{prefix}NATS_URL": nats_url,
            f"{prefix}NATS_PASSWORD": password,
            f"{prefix}HTTP_PORT": str(port),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _prepare(name: str, *, admin_dsn: str, login: DatabaseLogin, nats_url: str, password: str, demo: bool) -> str:
    hooks = service_hooks(name)
    cfg = load_settings(
        hooks.settings_cls,
        name,
        database_url=login.url,
        database_password=login.password,
        nats_url=nats_url,
        nats_password=password,
    )
    try:
        # Roles and migrations as the administrator and the schema's owner; the demo data as the
        # service itself, through its own runtime role.
        prepare_schema(hooks.migrations, admin_dsn, cfg.db_schema, app_password=login.password)
        summary = asyncio.run(hooks.seed(cfg)) if demo and hooks.seed is not None else "schema at head"
    except Exception as exc:
        raise SystemExit(f"{name}: preparing the schema failed: {type(exc).__name__}: {exc}") from exc
    return f"{name}: {summary}"


def _write_run_info(path: Path, info: dict[str, object]) -> None:
    # Rewritten after restarts while `rw` may be reading it: write aside, then rename over it.
    aside = path.with_name(f".{path.name}.tmp")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(info, handle, indent=2)
    aside.replace(path)


def _shown(folder: Path) -> str:
    """`.rw` for the folder under the current directory, the full path otherwise."""
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


class StopRequestedError(BaseException):
    """SIGINT, SIGTERM or SIGHUP: stop everything, wherever start-up or supervision is.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        self.signal = signal.Signals(signum)
        super().__init__(self.signal.name)


class _Signals:
    """Turns a stop signal into `StopRequestedError` in the main thread, once; later ones are noted."""

    def __init__(self) -> None:
        self.stopping = False
        # `nohup make run` ignores SIGHUP on purpose: then a closed terminal does not stop it.
        self.hangup_stops = signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN
        for sig in (signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if self.hangup_stops else [])):
            signal.signal(sig, self._handle)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.stopping:
            # Straight to the file descriptor: the main thread may be inside a print right now.
            with contextlib.suppress(OSError, ValueError):
                os.write(sys.stdout.fileno(), f"raderwerk  {signal.Signals(signum).name}: already stopping\n".encode())
            return
        self.stopping = True
        raise StopRequestedError(signum)


def main(
    data_dir: Annotated[Path, typer.Option(help="Where NATS and PostgreSQL keep their data.")] = ROOT / ".rw",
    demo: Annotated[bool, typer.Option(help="Load the demo municipality.")] = True,
) -> None:
    """Start everything; print a ready line; stop everything on Ctrl-C, SIGTERM or SIGHUP."""
    started = time.monotonic()
    signals = _Signals()
    if signals.hangup_stops:
        stop_when_terminal_hangs_up()
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = RunLock(data_dir)
    try:
        stale = lock.acquire()
    except AlreadyRunningError as exc:
        holder = exc.holder
        who = f"pid {holder.pid}, started {holder.started}" if holder else "it is starting"
        kill = f"`kill {holder.pid}`" if holder else "`kill` on its process"
        print(
            f"Raderwerk already runs from {_shown(data_dir)} ({who}): stop it with Ctrl-C in its terminal or {kill}",
            file=sys.stderr,
            flush=True,
        )
        raise typer.Exit(1) from None
    try:
        if stale is not None:
            _say(
                f"{_shown(lock.path)} names pid {stale.pid} (started {stale.started}), which no longer runs: "
                "that run did not stop cleanly; taking the lock over"
            )
        _run(data_dir, demo=demo, started=started, signals=signals)
    except StopRequestedError as stop:  # before anything was started (while leftovers were stopped)
        _say(f"{stop.signal.name} received")
    finally:
        lock.release()


def _clear_what_a_crash_left(data_dir: Path) -> None:
    """Stop an earlier run's leftover processes and drop its `run.json`: nothing it names runs any more."""
    leftovers = find_leftovers(data_dir)
    if leftovers:
        stop_leftovers(data_dir, leftovers, _say, _shown(data_dir))
    (data_dir / "run.json").unlink(missing_ok=True)


def _run(data_dir: Path, *, demo: bool, started: float, signals: _Signals) -> None:
    _clear_what_a_crash_left(data_dir)
    run_file = data_dir / "run.json"
    run_info: dict[str, object] = {}
    ports: dict[str, int] = {}

    def restarted(_child: Supervised) -> None:
        if run_info:  # the pids in run.json follow restarts once the system was ready
            _write_run_info(run_file, run_info | _pids(supervisor, ports))

    supervisor = Supervisor(on_restarted=restarted)
    _deployment_settings(data_dir, demo=demo)
    try:
        if os.environ.get("RW_NATS_URL"):
            nats_url, monitor_url, passwords = os.environ["RW_NATS_URL"], None, _external_passwords()
            _say(f"using external NATS at {nats_url}")
        else:
            nats_proc = start_nats(data_dir / "nats", die_with_parent=True)
            supervisor.adopt(NatsChild(nats_proc), tier=1)
            nats_url, monitor_url, passwords = nats_proc.url, nats_proc.monitor_url, nats_proc.passwords
            _say(f"nats-server ready at {nats_url} (monitoring {monitor_url})")
        if os.environ.get("RW_DATABASE_URL"):
            dsn = os.environ["RW_DATABASE_URL"]
            _say("using external PostgreSQL from RW_DATABASE_URL")
        else:
            # The watchdog first: from the moment the postmaster exists, someone stops it if we die.
            supervisor.start(Watchdog(data_dir / "postgres"), tier=0)
            pg = start_postgres(data_dir / "postgres")
            supervisor.adopt(PostgresChild(pg), tier=1)
            dsn = pg.dsn
            secure_local_auth(pg.data_dir, dsn)
            _say(f"PostgreSQL ready ({dsn.split('?')[-1]}; services log in with their own roles and passwords)")
        logins = database_logins(dsn, data_dir)
        _say(f"topology provisioned: {asyncio.run(_provision(nats_url, passwords['provisioner']))}")
        _prepare_all(admin_dsn=dsn, logins=logins, nats_url=nats_url, passwords=passwords, demo=demo)
        # Ports chosen just before the services bind them: another run on this machine could take
        # one that was free a few seconds (of migrations) earlier.
        ports.update({name: free_port(preferred=BASE_HTTP_PORT + i) for i, name in enumerate(SERVICE_NAMES)})
        envs = {
            name: _service_env(name, login=logins[name], nats_url=nats_url, password=passwords[name], port=ports[name])
            | {SUPERVISOR_PID: str(os.getpid()), SUPERVISOR_DATA_DIR: str(data_dir)}
            for name in SERVICE_NAMES
        }
        _start_services(supervisor, envs, ports)
        run_info.update(
            {
                "nats_url": nats_url,
                "monitor_url": monitor_url,
                "operator_user": "operator",
                "operator_password": passwords["operator"],
                "database_url": dsn,
                "environment": os.environ["RW_ENV"],
                "clock_file": os.environ.get("RW_CLOCK_FILE"),
            }
        )
        _write_run_info(run_file, run_info | _pids(supervisor, ports))
        health = " ".join(f"{n}:{p}" for n, p in ports.items())
        write_line(
            sys.stdout,
            f"Raderwerk ready in {time.monotonic() - started:.1f} s — NATS {nats_url}"
            + (f" (monitoring {monitor_url})" if monitor_url else "")
            + f" · health http://127.0.0.1:<port>/readyz for {health}"
            + " · try `.venv/bin/rw demo` and `.venv/bin/rw status` in another terminal · Ctrl-C stops",
        )
        _supervise(supervisor)
    except StopRequestedError as stop:
        # Ctrl-C, `kill` and a closed terminal are how a user stops `make run`: exit 0.
        _say(f"{stop.signal.name} received")
    finally:
        signals.stopping = True
        _say("stopping services")
        supervisor.stop()
        run_file.unlink(missing_ok=True)
        _say("stopped")


def _prepare_all(
    *, admin_dsn: str, logins: dict[str, DatabaseLogin], nats_url: str, passwords: dict[str, str], demo: bool
) -> None:
    """Every schema migrated (and seeded), then every service's login checked, before any service starts."""
    # Migrations and demo data in this process: starting a Python process per service only to
    # import the same libraries again cost most of the start-up time.
    for name in SERVICE_NAMES:
        _say(
            _prepare(
                name, admin_dsn=admin_dsn, login=logins[name], nats_url=nats_url, password=passwords[name], demo=demo
            )
        )
    try:
        verify_logins(logins)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from exc


def _start_services(supervisor: Supervisor, envs: dict[str, dict[str, str]], ports: dict[str, int]) -> None:
    """Start every service from the main thread (see `deploy.parent_death`) and wait until each is ready."""
    services: dict[str, ServiceChild] = {}
    output_lock = threading.Lock()
    for i, name in enumerate(SERVICE_NAMES):
        argv = [sys.executable, "-m", f"services.{name}", "run"]
        services[name] = ServiceChild(name, argv, envs[name], _COLOURS[i % len(_COLOURS)], lock=output_lock)
        supervisor.start(services[name], tier=2)
    for name, child in services.items():
        for attempt in range(1, _PORT_ATTEMPTS + 1):
            try:
                _wait_ready(ports[name], child, timeout=60)
                break
            except (TimeoutError, RuntimeError) as exc:
                taken = child.exit_reason() is not None and free_port(preferred=ports[name]) != ports[name]
                if taken and attempt < _PORT_ATTEMPTS:
                    # Another run on this machine bound the port between our choice and the service's bind.
                    ports[name] = free_port()
                    child.env = {**child.env, f"RW_{name.upper()}_HTTP_PORT": str(ports[name])}
                    _say(f"{name}: its port was taken by another process meanwhile; starting it on {ports[name]}")
                    child.start()
                    continue
                lines = "\n  ".join(child.last_output()[-15:])
                raise SystemExit(f"{name} did not become ready: {exc}\n  {lines}") from exc


def _wait_ready(port: int, child: ServiceChild, *, timeout: float) -> None:
    """Until the service's `/readyz` says ready, answered by this child (not another run's on the port)."""
    url = f"http://127.0.0.1:{port}/readyz"
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        code = child.process.poll() if child.process else None
        if code is not None:
            raise RuntimeError(f"it exited with {code} before {url} was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                answer = json.loads(resp.read())
            if answer.get("pid") == child.pid and answer.get("ready"):
                return
            last = f"{answer.get('service')} (pid {answer.get('pid')}) answered: ready={answer.get('ready')}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            last = str(exc)
        time.sleep(0.05)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s ({last})")


def _supervise(supervisor: Supervisor) -> None:
    """Restart what stops, until a signal ends it (`StopRequestedError`)."""
    while True:
        for note in supervisor.check():
            _say(note)
        due = supervisor.next_due()
        time.sleep(_POLL_S if due is None else min(_POLL_S, max(0.01, due - time.monotonic())))


def _pids(supervisor: Supervisor, ports: dict[str, int]) -> dict[str, object]:
    """The current process ids for run.json: each service's with its port; the servers' and watchdog's."""
    services: dict[str, object] = {}
    servers: dict[str, object] = {"launcher": os.getpid()}
    for name, child in supervisor.children.items():
        if isinstance(child, ServiceChild):
            services[name] = {"pid": child.pid, "http_port": ports[name]}
        elif isinstance(child, NatsChild | PostgresChild | Watchdog):
            servers[name] = child.pid
    return {"services": services, "processes": servers}


if __name__ == "__main__":
    typer.run(main)
