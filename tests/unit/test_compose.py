"""docker-compose.yml and the Dockerfile agree with the services and settings (no engine needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from typer.testing import CliRunner

from deploy import write_natsconf
from deploy.natsconf import users_of
from shared.districts import load_districts
from shared.topology import SERVICE_NAMES

USERS = users_of(load_districts())

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
ONE_SHOT = {"natsconf", "provision", "migrate", "seed"}


def _command(service: dict[str, Any]) -> str:
    command = service.get("command", [])
    return " ".join(command) if isinstance(command, list) else str(command)


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_service_runs_from_the_shared_image(name: str) -> None:
    assert name in SERVICES, f"docker-compose.yml has no service {name!r}"
    service = SERVICES[name]
    assert f"services.{name}" in _command(service), f"{name} does not run services.{name}"
    assert (ROOT / "services" / name).is_dir(), f"services/{name}/ does not exist"
    assert service["image"] == "raderwerk:latest", f"{name} uses another image"
    assert service["build"]["dockerfile"] == "deploy/Dockerfile", f"{name} builds another Dockerfile"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_service_has_its_own_settings(name: str) -> None:
    env = SERVICES[name]["environment"]
    prefix = f"RW_{name.upper()}_"
    for field in ("DATABASE_URL", "DATABASE_PASSWORD", "NATS_URL", "NATS_PASSWORD", "HTTP_PORT", "HTTP_HOST"):
        assert f"{prefix}{field}" in env, f"{name} lacks {prefix}{field}"
    assert env[f"{prefix}HTTP_HOST"] == "0.0.0.0", f"{name} must listen beyond its container's loopback"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_services_wait_for_healthy_infrastructure_and_one_shot_jobs(name: str) -> None:
    depends = SERVICES[name]["depends_on"]
    for infra in ("nats", "postgres"):
        assert depends[infra]["condition"] == "service_healthy", f"{name} must wait until {infra} is healthy"
    for job in ("provision", "migrate"):
        assert depends[job]["condition"] == "service_completed_successfully", f"{name} must wait for {job}"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_no_service_container_connects_as_the_superuser(name: str) -> None:
    superuser = SERVICES["postgres"]["environment"]["POSTGRES_USER"]
    env = SERVICES[name]["environment"]
    prefix = f"RW_{name.upper()}_"
    url = urlsplit(env[f"{prefix}DATABASE_URL"])
    assert url.username == f"{name}_app", f"{name} must log in as its own runtime role, not {url.username!r}"
    assert url.username != superuser
    assert url.password is None, f"{name}: the password is a setting of its own, not part of the URL"
    assert env[f"{prefix}DATABASE_PASSWORD"].startswith(f"${{{prefix}DATABASE_PASSWORD:-"), name
    leaked = {k for k in env if "DATABASE_URL" in k and not k.startswith(prefix)}
    assert not leaked, f"{name} is given another login's URL: {leaked}"


def test_only_the_migrate_job_knows_the_superuser() -> None:
    password_variable = "RW_POSTGRES_PASSWORD"
    for name, service in SERVICES.items():
        knows = password_variable in json.dumps(service.get("environment", {}))
        assert knows == (name in {"postgres", "migrate"}), f"{name} {'knows' if knows else 'lacks'} the superuser"
    migrate = SERVICES["migrate"]["environment"]
    superuser = SERVICES["postgres"]["environment"]["POSTGRES_USER"]
    assert urlsplit(migrate["RW_MIGRATION_DATABASE_URL"]).username == superuser
    assert "RW_DATABASE_URL" not in migrate, "the services' own URLs, not a shared one: each migrate creates its roles"
    for name in SERVICE_NAMES:
        # It creates each runtime role with the password that service will log in with.
        assert (
            migrate[f"RW_{name.upper()}_DATABASE_PASSWORD"]
            == SERVICES[name]["environment"][f"RW_{name.upper()}_DATABASE_PASSWORD"]
        )
        assert (
            SERVICES["seed"]["environment"][f"RW_{name.upper()}_DATABASE_URL"]
            == SERVICES[name]["environment"][f"RW_{name.upper()}_DATABASE_URL"]
        )
    assert "RW_MIGRATION_DATABASE_URL" not in SERVICES["seed"]["environment"], "demo data goes in as the services"


def test_every_long_running_container_has_a_health_check() -> None:
    for name, service in SERVICES.items():
        if name in ONE_SHOT:
            assert service.get("restart") == "no" or "profiles" in service, f"{name} is a one-shot job"
            continue
        assert "healthcheck" in service, f"{name} has no healthcheck"
        assert service["healthcheck"]["test"], f"{name} has an empty healthcheck"


def test_service_health_checks_use_readiness() -> None:
    for name in SERVICE_NAMES:
        assert "/readyz" in " ".join(SERVICES[name]["healthcheck"]["test"]), f"{name} should check /readyz"


def test_nats_health_needs_jetstream() -> None:
    assert "healthz?js-enabled-only=true" in " ".join(SERVICES["nats"]["healthcheck"]["test"])
    assert SERVICES["nats"]["image"].startswith("nats:")
    assert SERVICES["postgres"]["image"].startswith("postgres:")


def test_provisioning_and_migrations_cover_everything() -> None:
    assert "deploy.provision" in _command(SERVICES["provision"])
    assert SERVICES["provision"]["depends_on"]["nats"]["condition"] == "service_healthy"
    migrate = _command(SERVICES["migrate"])
    for name in SERVICE_NAMES:
        assert name in migrate, f"migrate does not migrate {name}"


def test_every_password_in_compose_is_in_the_env_example() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{(RW_[A-Z_]+_PASSWORD)", text))
    example = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line}
    assert used, "compose uses no password variables"
    assert used <= example, f".env.example lacks {sorted(used - example)}"
    assert {f"RW_{u.upper()}_NATS_PASSWORD" for u in USERS} <= used
    assert {f"RW_{name.upper()}_DATABASE_PASSWORD" for name in SERVICE_NAMES} <= used


def test_the_dockerfile_installs_from_the_lock_file_and_drops_root() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    for needed in ("pyproject.toml", "uv.lock"):
        assert needed in dockerfile, f"the Dockerfile does not copy {needed}"
        assert (ROOT / needed).exists()
    assert "--frozen" in dockerfile, "the image must install exactly the locked versions"
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users, "the Dockerfile has no USER line"
    assert users[-1] not in {"root", "0"}, "services must not run as root"


def _all_passwords(value: str) -> dict[str, str]:
    return {f"RW_{u.upper()}_NATS_PASSWORD": f"{value}-{u}" for u in USERS}


def test_write_natsconf_names_every_missing_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in _all_passwords("x"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RW_FINANCE_NATS_PASSWORD", "secret")
    result = CliRunner().invoke(_app(), ["--out", str(tmp_path / "nats.conf")])
    assert result.exit_code == 2
    assert "RW_HR_NATS_PASSWORD" in result.output
    assert "RW_FINANCE_NATS_PASSWORD" not in result.output


def test_write_natsconf_refuses_dev_passwords_in_prod(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var, value in _all_passwords("dev").items():
        monkeypatch.setenv(var, value)
    monkeypatch.setenv("RW_ENV", "prod")
    result = CliRunner().invoke(_app(), ["--out", str(tmp_path / "nats.conf")])
    assert result.exit_code == 2
    assert "refused in prod" in result.output


def test_write_natsconf_writes_every_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var, value in _all_passwords("strong").items():
        monkeypatch.setenv(var, value)
    monkeypatch.setenv("RW_ENV", "prod")
    out = tmp_path / "nats.conf"
    result = CliRunner().invoke(_app(), ["--out", str(out)])
    assert result.exit_code == 0, result.output
    config = json.loads(out.read_text())
    names = {u["user"] for account in config["accounts"].values() for u in account["users"]}
    assert names == set(USERS)


def _app() -> Any:
    import typer

    app = typer.Typer()
    app.command()(write_natsconf.main)
    return app
