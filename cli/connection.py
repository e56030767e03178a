"""Where the running system is: `.rw/run.json` written by `make run`, or the environment."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import nats
import nats.errors
from nats.aio.client import Client

from shared.clock import Clock, FileClock, system_clock
from shared.topology import inbox_prefix

__all__ = ["NotRunningError", "RunInfo", "clock_of", "connect", "load_run_info"]

_REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class RunInfo:
    """How to reach NATS as the operator, and the services' health ports."""

    nats_url: str
    user: str
    password: str
    monitor_url: str | None = None
    services: dict[str, int] = field(default_factory=dict)
    run_file: Path | None = None
    """The `run.json` this came from; None when the environment named an external system."""
    clock_file: Path | None = None
    """The deployment's shared clock file (development and test runs only)."""
    actor_key_file: Path | None = None
    """The operator's actor signing key (`rw --as`): `make run` generates it into its data folder."""


class NotRunningError(RuntimeError):
    """Neither a running `make run` nor environment settings were found, or NATS does not answer."""


def load_run_info() -> RunInfo:
    """Read `RW_NATS_URL` + `RW_OPERATOR_NATS_PASSWORD`, else `<data dir>/run.json`.

    The operator's actor key is `RW_OPERATOR_ACTOR_KEY_FILE`, else the one `run.json` names.
    """
    url = os.environ.get("RW_NATS_URL")
    password = os.environ.get("RW_OPERATOR_NATS_PASSWORD")
    if url and password:
        clock = os.environ.get("RW_CLOCK_FILE")
        key = os.environ.get("RW_OPERATOR_ACTOR_KEY_FILE")
        return RunInfo(
            nats_url=url,
            user="operator",
            password=password,
            clock_file=Path(clock) if clock else None,
            actor_key_file=Path(key) if key else None,
        )
    data_dir = Path(os.environ.get("RW_DATA_DIR", _REPO / ".rw"))
    path = data_dir / "run.json"
    if not path.exists():
        raise NotRunningError(
            f"Raderwerk is not running here ({path} does not exist): start it with `make run`, "
            "or set RW_NATS_URL and RW_OPERATOR_NATS_PASSWORD for an external deployment."
        )
    info = json.loads(path.read_text())
    clock_file = info.get("clock_file")
    key_file = os.environ.get("RW_OPERATOR_ACTOR_KEY_FILE") or info.get("operator_actor_key_file")
    return RunInfo(
        nats_url=info["nats_url"],
        user=info.get("operator_user", "operator"),
        password=info["operator_password"],
        monitor_url=info.get("monitor_url"),
        services={name: int(s["http_port"]) for name, s in info.get("services", {}).items()},
        run_file=path,
        clock_file=Path(clock_file) if clock_file else None,
        actor_key_file=Path(key_file) if key_file else None,
    )


async def _quiet(_error: Exception) -> None:
    """nats-py prints a traceback for every failed attempt unless it is given an error callback."""


async def connect(info: RunInfo) -> Client:
    """Connect as the operator user (it may send commands and read stream state, nothing else)."""
    try:
        return await nats.connect(
            info.nats_url,
            user=info.user,
            password=info.password,
            inbox_prefix=inbox_prefix(info.user),
            name="raderwerk-cli",
            connect_timeout=3,
            max_reconnect_attempts=2,
            reconnect_time_wait=0.2,
            error_cb=_quiet,
        )
    except (nats.errors.NoServersError, OSError, TimeoutError) as exc:
        if info.run_file is not None:
            raise NotRunningError(
                f"Raderwerk is not running: NATS at {info.nats_url} does not answer, so {info.run_file} is left "
                "from a run that has stopped. Start it with `make run`."
            ) from exc
        raise NotRunningError(
            f"NATS at {info.nats_url} (RW_NATS_URL) does not answer: check the address and that the server runs."
        ) from exc


def clock_of(info: RunInfo) -> Clock:
    """The time the run's services read, so the CLI plans with the same day they judge by."""
    return FileClock(info.clock_file) if info.clock_file is not None else system_clock
