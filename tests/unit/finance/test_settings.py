"""The council's visum rules and the financial director come from settings, not code."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.finance.bootstrap import FinanceSettings, policy_of
from services.finance.domain.policy import FinancePolicy
from shared.settings import load_settings


@pytest.fixture(autouse=True)
def _connection(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RW_FINANCIAL_DIRECTOR_PERSON_ID", "RW_FINANCE_FINANCIAL_DIRECTOR_PERSON_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RW_DATABASE_URL", "postgresql://x/db")
    monkeypatch.setenv("RW_NATS_URL", "nats://x:4222")
    monkeypatch.setenv("RW_FINANCE_NATS_PASSWORD", "dev-secret")


def test_the_financial_director_is_required() -> None:
    with pytest.raises(ValidationError, match="financial_director_person_id"):
        load_settings(FinanceSettings, "finance")


def test_the_deployments_financial_director_and_the_legal_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_FINANCIAL_DIRECTOR_PERSON_ID", "p-fd")
    policy = policy_of(load_settings(FinanceSettings, "finance"))
    assert policy == FinancePolicy(financial_director="p-fd"), "every exemption keeps the policy's default"
    assert policy.visum_exempt_below == Decimal("15000.00")
    assert not policy.visum_required(amount=Decimal("14999.99"), economic_account="6140000", kind="decision")
    assert policy.visum_required(amount=Decimal("15000.00"), economic_account="6140000", kind="decision")


def test_the_council_sets_its_own_exemptions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RW_FINANCIAL_DIRECTOR_PERSON_ID", "p-fd")
    monkeypatch.setenv("RW_FINANCE_FINANCIAL_DIRECTOR_PERSON_ID", "p-123")
    monkeypatch.setenv("RW_FINANCE_VISUM_EXEMPT_BELOW", "30000")
    monkeypatch.setenv("RW_FINANCE_VISUM_EXEMPT_ACCOUNTS", '["62"]')
    monkeypatch.setenv("RW_FINANCE_VISUM_EXEMPT_KINDS", '["appointment"]')
    policy = policy_of(load_settings(FinanceSettings, "finance"))
    assert policy.financial_director == "p-123", "the service's own setting wins over the deployment's"
    assert not policy.visum_required(amount=Decimal("29999.99"), economic_account="6140000", kind="decision")
    assert not policy.visum_required(amount=Decimal("90000"), economic_account="6200000", kind="decision")
    assert not policy.visum_required(amount=Decimal("90000"), economic_account="6140000", kind="appointment")
    assert policy.visum_required(amount=Decimal("90000"), economic_account="6140000", kind="decision")
