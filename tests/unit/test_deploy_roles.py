"""What the launcher adds around the role model: passwords, logins, local authentication, the DBA script."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from deploy.roles import (
    DATABASE_SECRETS,
    database_logins,
    dba_script,
    load_or_create_database_passwords,
    local_auth_files,
)
from shared.topology import SERVICE_NAMES


def test_passwords_are_generated_once_kept_private_and_refused_in_prod(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_SECRETS
    first = load_or_create_database_passwords(path)
    assert set(first) == set(SERVICE_NAMES)
    assert all(p.startswith("dev-") and len(p) > 30 for p in first.values())
    assert len(set(first.values())) == len(first)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_database_passwords(path) == first


def test_a_new_service_gets_a_password_and_the_others_keep_theirs(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_SECRETS
    first = load_or_create_database_passwords(path, ["hr"])
    both = load_or_create_database_passwords(path, ["hr", "finance"])
    assert both["hr"] == first["hr"]
    assert both["finance"] != first["hr"]


def test_each_service_logs_in_as_its_own_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RW_HR_DATABASE_PASSWORD", raising=False)
    monkeypatch.setenv("RW_FINANCE_DATABASE_PASSWORD", "given-by-the-dba")
    logins = database_logins("postgresql://postgres:@/postgres?host=/tmp/rw", tmp_path)
    assert set(logins) == set(SERVICE_NAMES)
    assert logins["hr"].url == "postgresql://hr_app@/postgres?host=/tmp/rw"
    assert logins["hr"].password.startswith("dev-")
    assert logins["finance"].password == "given-by-the-dba"
    assert {login.role for login in logins.values()} == {f"{name}_app" for name in SERVICE_NAMES}


def test_only_the_administrator_is_let_in_without_a_password() -> None:
    files = local_auth_files("postgres", "alice")
    rules = [line.split() for line in files["pg_hba.conf"].splitlines() if line and not line.startswith("#")]
    assert rules == [
        ["local", "all", "postgres", "peer", "map=raderwerk"],
        ["local", "all", "all", "scram-sha-256"],
    ]
    assert "trust" not in files["pg_hba.conf"].replace("#", "").split()
    maps = [line.split() for line in files["pg_ident.conf"].splitlines() if line and not line.startswith("#")]
    assert maps == [["raderwerk", "alice", "postgres"]]


def test_the_dba_script_makes_every_role_and_a_migrator_that_can_only_act_as_owners() -> None:
    script = dba_script("raderwerk", "raderwerk_migrator", {name: name for name in SERVICE_NAMES})
    assert script.splitlines()[2] == "BEGIN;"
    assert "COMMIT;" in script
    assert 'REVOKE ALL ON DATABASE "raderwerk" FROM PUBLIC;' in script
    for name in SERVICE_NAMES:
        assert f'CREATE SCHEMA IF NOT EXISTS "{name}" AUTHORIZATION "{name}_owner";' in script
        assert f'GRANT "{name}_owner" TO "raderwerk_migrator";' in script
        assert f'\\password "{name}_app"' in script
    assert "SUPERUSER " not in script.replace("NOSUPERUSER", "")
    assert "PASSWORD '" not in script, "passwords are set with \\password, never written in the script"


def test_a_service_started_by_make_run_knows_its_own_login_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from deploy.roles import DatabaseLogin
    from deploy.run import _service_env

    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://admin:secret@db.example/raderwerk")
    monkeypatch.setenv("RW_MIGRATION_DATABASE_URL", "postgresql://migrator:secret@db.example/raderwerk")
    login = DatabaseLogin("hr_app", "postgresql://hr_app@db.example/raderwerk", "dev-hr")
    env = _service_env("hr", login=login, nats_url="nats://x:4222", password="dev-nats", port=8102)
    assert env["RW_HR_DATABASE_URL"] == login.url
    assert env["RW_HR_DATABASE_PASSWORD"] == "dev-hr"
    assert "RW_DATABASE_URL" not in env
    assert "RW_MIGRATION_DATABASE_URL" not in env
    assert not any("secret" in value for value in env.values())
