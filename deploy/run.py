"""`make run`: NATS, PostgreSQL, provisioning, migrations, seven services and demo data.

Uses external servers when `RW_DATABASE_URL` / `RW_NATS_URL` are set. The database URL is the
administrator's (or a migrator's) login; every service connects as its own role (deploy/roles.py).
Ctrl-C stops everything it started, services first, and exits 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Annotated

import nats
import typer

from deploy.embedded import NatsProcess, PostgresHandle, free_port, start_nats, start_postgres, wait_http_ok
from deploy.natsconf import USERS
from deploy.provision import provision
from deploy.roles import DatabaseLogin, database_logins, secure_local_auth, verify_logins
from deploy.supervisor import Supervisor
from shared.db.migrate import prepare_schema
from shared.service_cli import service_hooks
from shared.settings import load_settings
from shared.topology import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[1]
BASE_HTTP_PORT = 8101


def _say(message: str) -> None:
    print(f"\x1b[1mraderwerk\x1b[0m  {message}" if sys.stdout.isatty() else f"raderwerk  {message}", flush=True)


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
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(info, handle, indent=2)


def main(  # noqa: PLR0912, PLR0915 - one linear start-up sequence reads best in one place
    data_dir: Annotated[Path, typer.Option(help="Where NATS and PostgreSQL keep their data.")] = ROOT / ".rw",
    demo: Annotated[bool, typer.Option(help="Load the demo municipality.")] = True,
) -> None:
    """Start everything; print a ready line; stop everything on Ctrl-C."""
    started = time.monotonic()
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    nats_proc: NatsProcess | None = None
    pg: PostgresHandle | None = None
    supervisor = Supervisor()
    run_file = data_dir / "run.json"
    _deployment_settings(data_dir, demo=demo)
    try:
        if os.environ.get("RW_NATS_URL"):
            nats_url, monitor_url, passwords = os.environ["RW_NATS_URL"], None, _external_passwords()
            _say(f"using external NATS at {nats_url}")
        else:
            nats_proc = start_nats(data_dir / "nats")
            nats_url, monitor_url, passwords = nats_proc.url, nats_proc.monitor_url, nats_proc.passwords
            _say(f"nats-server ready at {nats_url} (monitoring {monitor_url})")
        if os.environ.get("RW_DATABASE_URL"):
            dsn = os.environ["RW_DATABASE_URL"]
            _say("using external PostgreSQL from RW_DATABASE_URL")
        else:
            pg = start_postgres(data_dir / "postgres")
            dsn = pg.dsn
            secure_local_auth(pg.data_dir, dsn)
            _say(f"PostgreSQL ready ({dsn.split('?')[-1]}; services log in with their own roles and passwords)")
        logins = database_logins(dsn, data_dir)
        _say(f"topology provisioned: {asyncio.run(_provision(nats_url, passwords['provisioner']))}")
        ports = {name: free_port(preferred=BASE_HTTP_PORT + i) for i, name in enumerate(SERVICE_NAMES)}
        envs = {
            name: _service_env(name, login=logins[name], nats_url=nats_url, password=passwords[name], port=ports[name])
            for name in SERVICE_NAMES
        }
        # Migrations and demo data in this process: starting a Python process per service only to
        # import the same libraries again cost most of the start-up time.
        for name in SERVICE_NAMES:
            _say(
                _prepare(
                    name, admin_dsn=dsn, login=logins[name], nats_url=nats_url, password=passwords[name], demo=demo
                )
            )
        try:
            verify_logins(logins)
        except RuntimeError as exc:
            raise SystemExit(str(exc)) from exc
        for name in SERVICE_NAMES:
            supervisor.start(name, [sys.executable, "-m", f"services.{name}", "run"], envs[name])
        for name in SERVICE_NAMES:
            child = supervisor.children[name]
            try:
                wait_http_ok(f"http://127.0.0.1:{ports[name]}/readyz", 60, process=child.process)
            except (TimeoutError, RuntimeError) as exc:
                lines = "\n  ".join(child.last_lines[-15:])
                raise SystemExit(f"{name} did not become ready: {exc}\n  {lines}") from exc
        _write_run_info(
            run_file,
            {
                "nats_url": nats_url,
                "monitor_url": monitor_url,
                "operator_user": "operator",
                "operator_password": passwords["operator"],
                "database_url": dsn,
                "environment": os.environ["RW_ENV"],
                "clock_file": os.environ.get("RW_CLOCK_FILE"),
                "services": {
                    n: {"pid": c.process.pid if c.process else None, "http_port": ports[n]}
                    for n, c in supervisor.children.items()
                },
            },
        )
        health = " ".join(f"{n}:{p}" for n, p in ports.items())
        print(
            f"Raderwerk ready in {time.monotonic() - started:.1f} s — NATS {nats_url}"
            + (f" (monitoring {monitor_url})" if monitor_url else "")
            + f" · health http://127.0.0.1:<port>/readyz for {health}"
            + " · try `.venv/bin/rw demo` and `.venv/bin/rw status` in another terminal · Ctrl-C stops",
            flush=True,
        )
        while not stop.wait(timeout=1.0):
            for note in supervisor.check():
                _say(note)
    finally:
        _say("stopping services")
        supervisor.stop()
        if nats_proc is not None:
            nats_proc.stop()
        if pg is not None:
            pg.stop()
        run_file.unlink(missing_ok=True)
        _say("stopped")


if __name__ == "__main__":
    typer.run(main)
