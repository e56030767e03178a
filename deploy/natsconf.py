"""The NATS server configuration, rendered from the declared topology (DESIGN §5).

One account `APP` holds a user per service (permissions from `shared.topology`), the `operator`
used by the `rw` command line, and `provisioner`, the only identity allowed to manage streams.
`SYS` is the system account. The file is JSON, which nats-server reads as configuration.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shared.topology import SERVICE_NAMES, operator_permissions, service_permissions

__all__ = ["USERS", "generate_passwords", "load_or_create_passwords", "render_nats_config"]

#: Every identity that needs a password: the services, the operator, provisioning, the system user.
USERS: tuple[str, ...] = (*SERVICE_NAMES, "operator", "provisioner", "sys")


def generate_passwords() -> dict[str, str]:
    """Fresh random passwords; the `dev-` prefix makes settings refuse them when RW_ENV=prod."""
    return {user: f"dev-{secrets.token_urlsafe(24)}" for user in USERS}


def load_or_create_passwords(path: Path) -> dict[str, str]:
    """Reuse the passwords of an earlier run (so a second `make run` keeps its users)."""
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        if set(USERS) <= set(stored):
            return stored
    passwords = generate_passwords()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(passwords, handle, indent=2)
    return passwords


def render_nats_config(
    *,
    host: str,
    port: int,
    http_port: int,
    store_dir: Path,
    passwords: Mapping[str, str],
    sync_always: bool = True,
) -> str:
    """The server configuration; raises `KeyError` naming a user without a password."""
    missing = [u for u in USERS if u not in passwords]
    if missing:
        raise KeyError(f"no password for: {', '.join(missing)}")
    users: list[dict[str, Any]] = [
        {"user": name, "password": passwords[name], "permissions": service_permissions(name)} for name in SERVICE_NAMES
    ]
    users.append({"user": "operator", "password": passwords["operator"], "permissions": operator_permissions()})
    users.append({"user": "provisioner", "password": passwords["provisioner"]})
    jetstream: dict[str, Any] = {"store_dir": str(store_dir)}
    if sync_always:
        # A single node acknowledges before fsync by default; "always" makes a PubAck durable.
        jetstream["sync_interval"] = "always"
    config = {
        "server_name": "raderwerk",
        "host": host,
        "port": port,
        "http": f"{host}:{http_port}",
        "max_payload": 1024 * 1024,
        "jetstream": jetstream,
        "accounts": {
            "APP": {"jetstream": "enabled", "users": users},
            "SYS": {"users": [{"user": "sys", "password": passwords["sys"]}]},
        },
        "system_account": "SYS",
    }
    return json.dumps(config, indent=2)
