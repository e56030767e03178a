"""Contracts: versioned types, strict bodies, exact money."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from pydantic import ValidationError

import shared.contracts  # noqa: F401 - registers every contract
from shared.contracts.base import LegalEntity, event_types
from shared.contracts.common import FinancialImpact
from shared.topology import SERVICE_NAMES

SUBJECT = re.compile(r"^[a-z]+\.[a-z_]+\.[a-z_]+$")


def _impact(amount: str = "18500.10") -> FinancialImpact:
    return FinancialImpact(
        entity=LegalEntity.GEMEENTE,
        amount=Decimal(amount),
        economic_account="6140000",
        policy_field="0119",
        financial_year=2026,
    )


def test_every_event_type_is_versioned_and_named_by_its_subject() -> None:
    types = event_types()
    assert types
    for ce_type, model in types.items():
        assert SUBJECT.match(model.SUBJECT), model.SUBJECT
        assert model.SUBJECT.split(".")[0] in SERVICE_NAMES
        assert ce_type == f"be.raderwerk.{model.SUBJECT}.v{model.VERSION}"
        assert model.model_config.get("frozen")
        assert model.model_config.get("extra") == "forbid"


def test_money_travels_as_an_exact_string() -> None:
    body = json.loads(_impact("0.10").model_dump_json())
    assert body["amount"] == "0.10"
    assert FinancialImpact.model_validate(body).amount == Decimal("0.10")


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "1e400", "NaN"])
def test_bad_amounts_are_refused(amount: str) -> None:
    with pytest.raises(ValidationError):
        _impact(amount)


def test_unknown_fields_are_refused() -> None:
    body = json.loads(_impact().model_dump_json())
    body["vat"] = "21"
    with pytest.raises(ValidationError, match="vat"):
        FinancialImpact.model_validate(body)


def test_contracts_are_immutable() -> None:
    impact = _impact()
    with pytest.raises(ValidationError):
        impact.amount = Decimal(1)  # type: ignore[misc]
