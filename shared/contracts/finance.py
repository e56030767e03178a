"""Contracts of the `finance` service: budget checks and commitments (vastleggingen)."""

from __future__ import annotations

import datetime as dt
import uuid

from shared.contracts.base import Command, Event, LegalEntity, Money

__all__ = [
    "BudgetCheckFailed",
    "BudgetCheckPassed",
    "CommitmentRecorded",
    "CreditExhausted",
    "GetCreditUse",
    "VisumGranted",
    "VisumRefused",
]


class BudgetCheckPassed(Event):
    """Enough credit is available for a proposed item."""

    SUBJECT = "finance.budget_check.passed"

    item_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    available: Money
    credit_key: str
    """`entity/year/account/policy field/action` of the credit checked."""
    visum_required: bool = False
    """Whether the financial director's visum must follow before the item can be tabled."""


class BudgetCheckFailed(Event):
    """Not enough (or no) credit for a proposed item."""

    SUBJECT = "finance.budget_check.failed"

    item_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    available: Money
    credit_key: str
    reason: str
    """`no_credit` or `insufficient_credit`."""


class CommitmentRecorded(Event):
    """A vastlegging against one entity's credit for an adopted decision."""

    SUBJECT = "finance.commitment.recorded"

    commitment_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    economic_account: str
    policy_field: str
    action: str | None
    financial_year: int
    amount: Money
    third_party: str | None
    credit_key: str
    remaining: Money
    """Credit still available after this commitment."""


class CreditExhausted(Event):
    """An adopted decision no longer fits its credit: nothing was committed."""

    SUBJECT = "finance.credit.exhausted"

    decision_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    available: Money
    credit_key: str
    reason: str


class GetCreditUse(Command):
    """Query: credits with amount, committed and available, optionally for one entity."""

    NAME = "get_credit_use"
    SERVICE = "finance"

    entity: LegalEntity | None = None


class VisumGranted(Event):
    """The financial director grants the visum on an intended commitment, possibly with conditions."""

    SUBJECT = "finance.visum.granted"

    visum_id: uuid.UUID
    item_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    conditions: tuple[str, ...] = ()
    granted_by: str
    """Person id of the financial director."""
    granted_at: dt.datetime


class VisumRefused(Event):
    """The financial director refuses the visum, with reasons; only an overruling decision can pass it."""

    SUBJECT = "finance.visum.refused"

    visum_id: uuid.UUID
    item_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    reasons: tuple[str, ...]
    refused_by: str
    refused_at: dt.datetime
