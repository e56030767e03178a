"""The NATS server configuration, rendered from the declared topology (DESIGN §5).

One account `APP` holds a user per service (permissions from `shared.topology`), the `operator`
used by the `rw` command line, and `provisioner`, the only identity allowed to manage streams.
`SYS` is the system account. Each district of the district list (`shared.districts`) gets an
account of its own with one user: `APP` exports to it only its live feed (`district.<id>.>`) and
the next-message and ack calls of its own durable consumer (DESIGN §5). The file is JSON, which
nats-server reads as configuration.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from shared.districts import District
from shared.topology import (
    SERVICE_NAMES,
    district_account,
    district_consumer,
    district_permissions,
    district_user,
    operator_permissions,
    service_permissions,
)

__all__ = [
    "USERS",
    "district_accounts",
    "generate_passwords",
    "load_or_create_passwords",
    "render_nats_config",
    "users_of",
]

#: Every identity that needs a password: the services, the operator, provisioning, the system user.
USERS: tuple[str, ...] = (*SERVICE_NAMES, "operator", "provisioner", "sys")


def users_of(districts: Sequence[District] = ()) -> tuple[str, ...]:
    """Every identity: the fixed ones and one user per district."""
    return (*USERS, *(district_user(d.id) for d in districts))


def generate_passwords(districts: Sequence[District] = ()) -> dict[str, str]:
    """Fresh random passwords; the `dev-` prefix makes settings refuse them when RW_ENV=prod."""
    return {user: f"dev-{secrets.token_urlsafe(24)}" for user in users_of(districts)}


def load_or_create_passwords(path: Path, districts: Sequence[District] = ()) -> dict[str, str]:
    """Reuse the passwords of an earlier run (so a second `make run` keeps its users).

    A user new since then (a district added to the list) gets a fresh password; the others keep
    theirs, so adding a district changes nothing for anyone else.
    """
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    wanted = users_of(districts)
    if set(wanted) <= set(stored):
        return stored
    passwords = {**generate_passwords(districts), **stored}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(passwords, handle, indent=2)
    return passwords


def district_accounts(districts: Sequence[District], passwords: Mapping[str, str]) -> tuple[list[Any], dict[str, Any]]:
    """The exports `APP` gives the districts, and one account per district importing them.

    Each export is private to its district's account, so no district can import another's feed.
    """
    exports: list[Any] = []
    accounts: dict[str, Any] = {}
    for district in districts:
        account, spec = district_account(district.id), district_consumer(district.id)
        feed = spec.filter_subjects[0]
        next_message = f"$JS.API.CONSUMER.MSG.NEXT.{spec.stream}.{spec.durable}"
        acks = f"$JS.ACK.{spec.stream}.{spec.durable}.>"
        exports += [
            {"stream": feed, "accounts": [account]},
            {"service": next_message, "accounts": [account], "response_type": "stream"},
            {"service": acks, "accounts": [account]},
        ]
        user = district_user(district.id)
        accounts[account] = {
            "users": [{"user": user, "password": passwords[user], "permissions": district_permissions(district.id)}],
            "imports": [
                {"stream": {"account": "APP", "subject": feed}},
                {"service": {"account": "APP", "subject": next_message}},
                {"service": {"account": "APP", "subject": acks}},
            ],
        }
    return exports, accounts


def render_nats_config(
    *,
    host: str,
    port: int,
    http_port: int,
    store_dir: Path,
    passwords: Mapping[str, str],
    sync_always: bool = True,
    districts: Sequence[District] = (),
    server_name: str = "raderwerk",
    cluster: Mapping[str, Any] | None = None,
) -> str:
    """The server configuration; raises `KeyError` naming a user without a password.

    `cluster`: the `cluster` block of one node of a JetStream cluster (name, listen port, routes);
    every node then needs its own `server_name`.
    """
    missing = [u for u in users_of(districts) if u not in passwords]
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
    exports, district_accounts_ = district_accounts(districts, passwords)
    app: dict[str, Any] = {"jetstream": "enabled", "users": users}
    if exports:
        app["exports"] = exports
    config = {
        "server_name": server_name,
        "host": host,
        "port": port,
        "http": f"{host}:{http_port}",
        "max_payload": 1024 * 1024,
        "jetstream": jetstream,
        "accounts": {
            "APP": app,
            **district_accounts_,
            "SYS": {"users": [{"user": "sys", "password": passwords["sys"]}]},
        },
        "system_account": "SYS",
    }
    if cluster is not None:
        config["cluster"] = dict(cluster)
    return json.dumps(config, indent=2)
