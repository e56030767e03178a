"""The gateway's settings: local accounts only outside production, production's secrets required."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from services.gateway.bootstrap import GatewaySettings, seed

BASE: dict[str, Any] = {
    "service_name": "gateway",
    "database_url": "postgresql://gateway_app@db/raderwerk",
    "nats_url": "nats://nats:4222",
}


def _settings(**values: Any) -> GatewaySettings:
    return GatewaySettings.model_validate({**BASE, "nats_password": "dev-gw", **values})


def test_local_accounts_work_in_development_and_test_only() -> None:
    assert _settings(environment="dev").local_accounts
    assert _settings(environment="test").local_accounts
    prod = _settings(environment="prod", nats_password="a-real-one", state_secret="a-real-secret")
    assert not prod.local_accounts


async def test_the_demo_seed_makes_no_local_account_in_production(tmp_path: Path) -> None:
    prod = _settings(
        environment="prod",
        nats_password="a-real-one",
        state_secret="a-real-secret",
        demo_accounts_file=tmp_path / "accounts.json",
    )
    assert await seed(prod) == "no local accounts in prod"
    assert not (tmp_path / "accounts.json").exists()


def test_production_needs_a_state_secret_and_secure_cookies() -> None:
    with pytest.raises(ValidationError, match="state_secret is required in prod"):
        _settings(environment="prod", nats_password="a-real-one")
    with pytest.raises(ValidationError, match="cookies are secure in prod"):
        _settings(environment="prod", nats_password="a-real-one", state_secret="s", cookie_secure=False)


def test_oidc_needs_issuer_client_and_secret_together() -> None:
    with pytest.raises(ValidationError, match="OIDC needs"):
        _settings(oidc_issuer="https://idp.example")
    full = _settings(oidc_issuer="https://idp.example", oidc_client_id="gw", oidc_client_secret="s")
    assert full.oidc_person_claim == "sub"
