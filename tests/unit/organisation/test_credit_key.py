"""A credit key is bounded by its contract, so the follow-up task built from it always fits its own."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.organisation.domain.policy import TaskPolicy
from shared.contracts.finance import CreditExhausted
from shared.vocabulary import LegalEntity


def _exhausted(credit_key: str) -> CreditExhausted:
    return CreditExhausted(
        decision_id=uuid.uuid4(),
        entity=LegalEntity.GEMEENTE,
        amount=Decimal("9999999999999.99"),
        available=Decimal("-9999999999999.99"),
        credit_key=credit_key,
        reason="insufficient_credit",
    )


def test_a_credit_key_longer_than_any_credit_has_is_refused_at_the_door() -> None:
    # It once passed, and organisation's follow-up description outgrew its 500 characters.
    with pytest.raises(ValidationError, match="at most 200 characters"):
        _exhausted("€" * 5_000)


def test_the_longest_credit_key_still_makes_a_valid_follow_up() -> None:
    event = _exhausted("€" * 200)
    action = TaskPolicy().credit_follow_up(
        credit_key=event.credit_key, amount=event.amount, available=event.available, on=dt.date(2026, 12, 1)
    )
    assert event.credit_key in action.description
