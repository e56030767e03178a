"""The generated NATS configuration: one user per service, permissions from the topology."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from deploy.natsconf import USERS, generate_passwords, load_or_create_passwords, render_nats_config
from shared.topology import SERVICE_NAMES, operator_permissions, service_permissions


def _config(tmp_path: Path) -> dict[str, object]:
    text = render_nats_config(
        host="127.0.0.1", port=4222, http_port=8222, store_dir=tmp_path, passwords=generate_passwords()
    )
    config: dict[str, object] = json.loads(text)
    return config


def _users(config: dict[str, object]) -> dict[str, dict[str, object]]:
    accounts = config["accounts"]
    assert isinstance(accounts, dict)
    return {u["user"]: u for u in accounts["APP"]["users"]}


def test_every_service_has_its_own_user_with_the_declared_permissions(tmp_path: Path) -> None:
    users = _users(_config(tmp_path))
    for name in SERVICE_NAMES:
        assert users[name]["permissions"] == service_permissions(name)
    assert users["operator"]["permissions"] == operator_permissions()


def test_only_the_provisioner_has_unrestricted_rights(tmp_path: Path) -> None:
    users = _users(_config(tmp_path))
    unrestricted = [name for name, user in users.items() if "permissions" not in user]
    assert unrestricted == ["provisioner"]
    for name, user in users.items():
        perms = user.get("permissions")
        if isinstance(perms, dict):
            assert ">" not in perms["publish"]["allow"], name


def test_jetstream_acknowledges_only_what_is_on_disk(tmp_path: Path) -> None:
    jetstream = _config(tmp_path)["jetstream"]
    assert isinstance(jetstream, dict)
    assert jetstream["sync_interval"] == "always"


def test_a_missing_password_is_named(tmp_path: Path) -> None:
    passwords = generate_passwords()
    del passwords["finance"]
    with pytest.raises(KeyError, match="finance"):
        render_nats_config(host="h", port=1, http_port=2, store_dir=tmp_path, passwords=passwords)


def test_passwords_are_kept_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    first = load_or_create_passwords(path)
    assert set(first) == set(USERS)
    assert all(p.startswith("dev-") for p in first.values())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_passwords(path) == first
