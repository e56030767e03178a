"""Where the running system is: `.rw/run.json` written by `make run`, or the environment."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import nats
from nats.aio.client import Client

from shared.topology import inbox_prefix

__all__ = ["RunInfo", "connect", "load_run_info"]

_REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class RunInfo:
    """How to reach NATS as the operator, and the services' health ports."""

    nats_url: str
    user: str
    password: str
    monitor_url: str | None = None
    services: dict[str, int] = field(default_factory=dict)


class NotRunningError(RuntimeError):
    """Neither a running `make run` nor environment settings were found."""


def load_run_info() -> RunInfo:
    """Read `RW_NATS_URL` + `RW_OPERATOR_NATS_PASSWORD`, else `<data dir>/run.json`."""
    url = os.environ.get("RW_NATS_URL")
    password = os.environ.get("RW_OPERATOR_NATS_PASSWORD")
    if url and password:
        return RunInfo(nats_url=url, user="operator", password=password)
    data_dir = Path(os.environ.get("RW_DATA_DIR", _REPO / ".rw"))
    path = data_dir / "run.json"
    if not path.exists():
        raise NotRunningError(
            f"Raderwerk is not running here: {path} does not exist. Start it with `make run`, "
            "or set RW_NATS_URL and RW_OPERATOR_NATS_PASSWORD for an external deployment."
        )
    info = json.loads(path.read_text())
    return RunInfo(
        nats_url=info["nats_url"],
        user=info.get("operator_user", "operator"),
        password=info["operator_password"],
        monitor_url=info.get("monitor_url"),
        services={name: int(s["http_port"]) for name, s in info.get("services", {}).items()},
    )


async def connect(info: RunInfo) -> Client:
    """Connect as the operator user (it may send commands and read stream state, nothing else)."""
    return await nats.connect(
        info.nats_url,
        user=info.user,
        password=info.password,
        inbox_prefix=inbox_prefix(info.user),
        name="raderwerk-cli",
        connect_timeout=3,
        max_reconnect_attempts=2,
    )
