"""Settings fail fast and fall back to the shared connection variables."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.settings import Environment, ServiceSettings, load_settings


def test_missing_required_values_are_all_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("RW_DATABASE_URL", "RW_NATS_URL", "RW_FINANCE_NATS_PASSWORD", "RW_ENV"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(ValidationError) as info:
        load_settings(ServiceSettings, "finance")
    missing = {e["loc"][0] for e in info.value.errors()}
    assert missing == {"database_url", "nats_url", "nats_password"}


def test_service_values_win_over_shared_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://shared/db")
    monkeypatch.setenv("RW_FINANCE_DATABASE_URL", "postgresql://own/db")
    monkeypatch.setenv("RW_NATS_URL", "nats://shared:4222")
    monkeypatch.setenv("RW_FINANCE_NATS_PASSWORD", "dev-secret")
    cfg = load_settings(ServiceSettings, "finance")
    assert cfg.database_url == "postgresql://own/db"
    assert cfg.nats_url == "nats://shared:4222"
    assert (cfg.db_schema, cfg.nats_user) == ("finance", "finance")


def test_prod_refuses_a_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_ENV", "prod")
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://x/db")
    monkeypatch.setenv("RW_NATS_URL", "nats://x:4222")
    monkeypatch.setenv("RW_HR_NATS_PASSWORD", "dev-secret")
    with pytest.raises(ValidationError, match="development NATS password"):
        load_settings(ServiceSettings, "hr")
    monkeypatch.setenv("RW_HR_NATS_PASSWORD", "a-real-secret")
    assert load_settings(ServiceSettings, "hr").environment is Environment.PROD


def test_a_shared_clock_file_is_read_in_test_and_refused_in_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://x/db")
    monkeypatch.setenv("RW_NATS_URL", "nats://x:4222")
    monkeypatch.setenv("RW_HR_NATS_PASSWORD", "a-real-secret")
    monkeypatch.setenv("RW_CLOCK_FILE", "/tmp/rw/clock.json")
    monkeypatch.setenv("RW_ENV", "test")
    assert str(load_settings(ServiceSettings, "hr").clock_file) == "/tmp/rw/clock.json"
    monkeypatch.setenv("RW_ENV", "prod")
    with pytest.raises(ValidationError, match="controlled clock"):
        load_settings(ServiceSettings, "hr")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RW_HR_DATABASE_PASSWORD", "dev-generated"),
        ("RW_HR_DATABASE_URL", "postgresql://hr_app:dev-in-url@db/raderwerk"),
        ("RW_MIGRATION_DATABASE_URL", "postgresql://migrator:dev-migrator@db/raderwerk"),
    ],
)
def test_prod_refuses_a_development_database_password(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://hr_app@db/raderwerk")
    monkeypatch.setenv("RW_NATS_URL", "nats://x:4222")
    monkeypatch.setenv("RW_HR_NATS_PASSWORD", "a-real-secret")
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("RW_ENV", "dev")
    assert load_settings(ServiceSettings, "hr").environment is Environment.DEV
    monkeypatch.setenv("RW_ENV", "prod")
    with pytest.raises(ValidationError, match="development database password"):
        load_settings(ServiceSettings, "hr")


def test_the_database_password_is_a_secret_of_the_service_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://hr_app@db/raderwerk")
    monkeypatch.setenv("RW_NATS_URL", "nats://x:4222")
    monkeypatch.setenv("RW_HR_NATS_PASSWORD", "a-real-secret")
    monkeypatch.setenv("RW_DATABASE_PASSWORD", "shared-is-not-read")
    assert load_settings(ServiceSettings, "hr").database_password is None
    monkeypatch.setenv("RW_HR_DATABASE_PASSWORD", "its-own")
    cfg = load_settings(ServiceSettings, "hr")
    assert cfg.database_password is not None
    assert cfg.database_password.get_secret_value() == "its-own"
    assert "its-own" not in repr(cfg)
