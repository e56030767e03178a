"""A credit's coding in a message is what the BBC rules make it: ASCII digits and short plan codes.

An agenda item whose action ran to thousands of characters passed its contract; finance built the
credit key of its budget check from it, which outgrew the 200 characters a credit key may have,
and the check failed as unprocessable instead of refusing the item at the door.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.finance.domain.model import credit_key
from shared.contracts.finance import BudgetCheckPassed
from shared.vocabulary import BudgetHolderScope, FinancialImpact, LegalEntity


def _impact(**changes: object) -> FinancialImpact:
    fields: dict[str, object] = {
        "entity": "gemeente",
        "amount": "10.00",
        "economic_account": "6140000",
        "policy_field": "0119",
        "action": "AC-1.1.1",
        "financial_year": 2026,
    }
    return FinancialImpact.model_validate({**fields, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {"action": "é" * 65},
        {"investment_project": "x" * 65},
        {"third_party": "x" * 301},
        {"policy_field": "١٢٣٤"},  # Arabic-Indic digits: `\\d` matched them
        {"economic_account": "६१४००००"},
    ],
)
def test_a_coding_no_plan_has_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        _impact(**changes)


def test_the_longest_coding_makes_a_credit_key_a_message_can_carry() -> None:
    impact = _impact(economic_account="9" * 10, action="é" * 64, entity="gemeente")
    key = credit_key(impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, impact.action)
    check = BudgetCheckPassed.model_validate(
        {
            "item_id": "0b6f0c1e-0000-4000-8000-000000000001",
            "entity": "gemeente",
            "amount": "1.00",
            "available": "2.00",
            "credit_key": key,
        }
    )
    assert check.credit_key == key


def test_a_budget_holders_scope_has_the_same_coding() -> None:
    with pytest.raises(ValidationError):
        BudgetHolderScope(entity=LegalEntity.GEMEENTE, policy_field="٠١١٩", max_amount=Decimal("5.00"))
