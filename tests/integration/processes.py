"""Run a service as a real OS process against the test NATS and PostgreSQL, and kill it.

Like `make run`, a test service connects as its schema's own runtime role (`<schema>_app`, with a
password), never as the administrator: `migrate` creates the roles through the administrator's
DSN, which only the migration sees. Like `make run` too, the migration runs in the test's own
process: a process for it would import the whole service again, about 2.5 s of CPU per schema.
The service's `migrate` command itself is tested in `test_service_cli.py`.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from deploy.run import DEMO_DIRECTORS, DEMO_STAFF
from shared.db.migrate import prepare_schema
from shared.db.roles import login_url, roles_for
from shared.service_cli import service_hooks
from tests.actors import actor_env

ROOT = Path(__file__).resolve().parents[2]

#: One runtime-role password per schema for the whole session: replicas of a service share it.
_PASSWORDS: dict[str, str] = {}
#: Alembic keeps one migration context per process, and PostgreSQL refuses two grants on one object
#: at once ("tuple concurrently updated"): the migrations of this process run one at a time.
_MIGRATING = threading.Lock()


def runtime_password(schema: str) -> str:
    """The password of `<schema>_app` in this test session."""
    return _PASSWORDS.setdefault(schema, f"test-{secrets.token_urlsafe(18)}")


def prepare_runtime_schema(migrations: Path, admin_dsn: str, schema: str) -> tuple[str, SecretStr]:
    """Roles, schema and migrations as `make run` prepares them; answers the runtime role's login.

    For tests that run a service's code in the test process: it then connects as the service would.
    """
    with _MIGRATING:
        prepare_schema(migrations, admin_dsn, schema, app_password=runtime_password(schema))
    return login_url(admin_dsn, roles_for(schema).app), SecretStr(runtime_password(schema))


@dataclass
class ServiceProcess:
    """One service, migrated into its own schema, started and stopped as a subprocess."""

    name: str
    nats_url: str
    password: str
    dsn: str
    """The administrator's DSN: used to create the schema's roles and migrate, never to run."""
    schema: str
    process: subprocess.Popen[bytes] | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    """More settings of this run, e.g. `RW_CLOCK_FILE` or an HTTP port."""
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"rw-test-{self.schema}.log"

    @property
    def app_dsn(self) -> str:
        """The runtime role's DSN (its password is `runtime_password(schema)`)."""
        return login_url(self.dsn, roles_for(self.schema).app)

    @property
    def env(self) -> dict[str, str]:
        """Environment of the service: its own schema and database role, its own NATS user, the demo's directors."""
        prefix = f"RW_{self.name.upper()}_"
        env = {k: v for k, v in os.environ.items() if not k.startswith("RW_")}
        env.update(DEMO_DIRECTORS)
        env.update(DEMO_STAFF)
        env.update(actor_env())
        env.update(
            {
                "RW_ENV": "test",
                f"{prefix}DATABASE_URL": self.app_dsn,
                f"{prefix}DATABASE_PASSWORD": runtime_password(self.schema),
                f"{prefix}DB_SCHEMA": self.schema,
                f"{prefix}NATS_URL": self.nats_url,
                f"{prefix}NATS_PASSWORD": self.password,
                f"{prefix}HTTP_PORT": "0",
                f"{prefix}LOG_JSON": "true",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def cli(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run `python -m services.<name> <args>` to its end; answers what it printed."""
        done = subprocess.run(
            [sys.executable, "-m", f"services.{self.name}", *args],
            cwd=ROOT,
            env=env or self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        return done.stdout.decode(errors="replace")

    def migrate(self) -> None:
        """Create the schema's roles and the schema, and migrate it as its owner (in this process)."""
        prepare_runtime_schema(service_hooks(self.name).migrations, self.dsn, self.schema)

    def seed(self) -> None:
        """Load the demo data this service owns."""
        self.cli("seed")

    def start(self) -> None:
        """Start `python -m services.<name> run`, logging to a file."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.name}", "run"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, no final ack, no final outbox update."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        """SIGTERM and wait; answers the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the service's log, for assertion messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""
