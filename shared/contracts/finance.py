"""Contracts of the `finance` service: plan, budget checks, visum, commitments, payments, reports."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, LegalEntity, Money, Query, QueryReply
from shared.contracts.common import BodyKind, FinancialImpact
from shared.vocabulary import EconomicAccount, PlanCode, PolicyField

__all__ = [
    "AdjustCredits",
    "AppliedChange",
    "BudgetChangeApplied",
    "BudgetChangeProposed",
    "BudgetChangeRefused",
    "BudgetCheckFailed",
    "BudgetCheckPassed",
    "CarryOverInvestmentCredits",
    "CommitmentBlocked",
    "CommitmentLine",
    "CommitmentRecorded",
    "CommitmentRecordedUnderDelegation",
    "CreditChange",
    "CreditCoding",
    "CreditExhausted",
    "CreditLine",
    "CreditsAdjusted",
    "ExportReport",
    "ExportReportReply",
    "GetCommitments",
    "GetCommitmentsReply",
    "GetCreditUse",
    "GetCreditUseReply",
    "GetPolicyFieldUse",
    "GetPolicyFieldUseReply",
    "GetTotals",
    "GetTotalsReply",
    "GetVisumReport",
    "GetVisumReportReply",
    "GrantVisum",
    "ImportPlan",
    "InvestmentCreditsCarriedOver",
    "MarkPaid",
    "OrderPayment",
    "PaymentMade",
    "PaymentOrdered",
    "PlanImported",
    "PolicyFieldLine",
    "ProposeBudgetChange",
    "RecordCommitment",
    "RefuseVisum",
    "TotalFigure",
    "TotalLine",
    "VisumCounts",
    "VisumGranted",
    "VisumLine",
    "VisumOverruled",
    "VisumRefused",
]


#: `entity/year/account/policy field/action` of a credit: short by construction, bounded so a
#: reader that puts it into a text of its own (a task's description) cannot be overrun.
CreditKey = Annotated[str, Field(min_length=1, max_length=200)]


class BudgetCheckPassed(Event):
    """Enough credit is available for a proposed item."""

    SUBJECT = "finance.budget_check.passed"

    item_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    available: Money
    credit_key: CreditKey
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
    credit_key: CreditKey
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
    credit_key: CreditKey
    remaining: Money
    """Credit still available after this commitment."""


class CreditExhausted(Event):
    """An adopted decision no longer fits its credit: nothing was committed."""

    SUBJECT = "finance.credit.exhausted"

    decision_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    available: Money
    credit_key: CreditKey
    reason: str


class CreditLine(Contract):
    """One credit of the plan with what is committed on it and what is still available."""

    credit_key: CreditKey
    """`entity/year/account/policy field/action` (`-` for no action)."""
    entity: LegalEntity
    total: str
    """`operating`, `investment`, `financing` or `loan_receipts`."""
    financial_year: int
    amount: Money
    committed: Money
    available: Money
    description: str


class GetCreditUseReply(QueryReply):
    """Every credit (of one entity), by credit key."""

    credits: tuple[CreditLine, ...]


class GetCreditUse(Query):
    """Query: credits with amount, committed and available, optionally for one entity."""

    NAME = "get_credit_use"
    SERVICE = "finance"
    Reply = GetCreditUseReply

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


# --- multi-year plan, budget changes, adjustments -------------------------------------------

Year = Annotated[int, Field(ge=2000, le=2100)]
PersonId = Annotated[str, Field(min_length=1, max_length=64)]


class CreditCoding(Contract):
    """Which credit: entity, financial year, economic account, policy field and action."""

    entity: LegalEntity
    financial_year: Year
    economic_account: EconomicAccount
    """Algemene rekening; it decides the limitative total (see docs/finance.md)."""
    policy_field: PolicyField
    action: PlanCode | None = None


class CreditChange(Contract):
    """A signed change of one credit's estimate (a new key creates the credit)."""

    credit: CreditCoding
    change: Annotated[Decimal, Field(max_digits=15, decimal_places=2, allow_inf_nan=False)]
    """Euro, positive raises the credit, negative lowers it (never below what is committed)."""
    investment_project: PlanCode | None = None
    description: str = ""
    """Description of a credit the change creates."""


class ImportPlan(Command):
    """Load the multi-year plan from CSV (see docs/finance.md); errors name the line and column."""

    NAME = "import_plan"
    SERVICE = "finance"

    csv: Annotated[str, Field(min_length=1, max_length=5_000_000)]


class ProposeBudgetChange(Command):
    """Prepare a budget change (aanpassing); the council (or RMW) applies it by adopting it."""

    NAME = "propose_budget_change"
    SERVICE = "finance"

    entity: LegalEntity
    title: Annotated[str, Field(min_length=3, max_length=300)]
    changes: Annotated[tuple[CreditChange, ...], Field(min_length=1)]
    proposed_by: PersonId


class AdjustCredits(Command):
    """Internal credit adjustment: move estimates between credits inside one limitative total."""

    NAME = "adjust_credits"
    SERVICE = "finance"

    entity: LegalEntity
    changes: Annotated[tuple[CreditChange, ...], Field(min_length=2)]
    decided_by: PersonId
    reason: str = ""


class GrantVisum(Command):
    """The financial director grants the visum on a proposed item, possibly with conditions."""

    NAME = "grant_visum"
    SERVICE = "finance"

    item_id: uuid.UUID
    person_id: PersonId
    conditions: tuple[Annotated[str, Field(min_length=1, max_length=1000)], ...] = ()


class RefuseVisum(Command):
    """The financial director refuses the visum on a proposed item, with reasons."""

    NAME = "refuse_visum"
    SERVICE = "finance"

    item_id: uuid.UUID
    person_id: PersonId
    reasons: Annotated[tuple[Annotated[str, Field(min_length=1, max_length=1000)], ...], Field(min_length=1)]


class RecordCommitment(Command):
    """A budget holder commits a credit under a valid `budget_holder` delegation."""

    NAME = "record_commitment"
    SERVICE = "finance"

    person_id: PersonId
    impact: FinancialImpact
    third_party: Annotated[str, Field(min_length=1, max_length=300)]
    reason: str = ""


class OrderPayment(Command):
    """Order a payment against a commitment (never more than committed minus already ordered)."""

    NAME = "order_payment"
    SERVICE = "finance"

    commitment_id: uuid.UUID
    amount: Money = Field(gt=0)
    ordered_by: PersonId
    reference: str = ""
    """Invoice number or other reference."""


class MarkPaid(Command):
    """Record that an ordered payment was paid."""

    NAME = "mark_paid"
    SERVICE = "finance"

    payment_order_id: uuid.UUID
    paid_on: dt.date | None = None
    """Defaults to today."""


class CarryOverInvestmentCredits(Command):
    """Move unused investment credits of `from_year` to the next year (before 1 March)."""

    NAME = "carry_over_investment_credits"
    SERVICE = "finance"

    entity: LegalEntity
    from_year: Year
    decision_id: uuid.UUID | None = None
    """The college or vast bureau decision that decided the carry-over."""


class TotalLine(Contract):
    """One limitative total of one entity and year."""

    entity: LegalEntity
    financial_year: int
    total: str
    """`operating`, `investment`, `financing` or `loan_receipts`."""
    amount: Money
    committed: Money
    available: Money


class GetTotalsReply(QueryReply):
    """The totals by entity, year and total."""

    totals: tuple[TotalLine, ...]


class GetTotals(Query):
    """Query: the four limitative totals per entity and year with amount, committed, available."""

    NAME = "get_totals"
    SERVICE = "finance"
    Reply = GetTotalsReply

    entity: LegalEntity | None = None
    financial_year: Year | None = None


class PolicyFieldLine(Contract):
    """The credits of one entity, year and policy field, summed."""

    entity: LegalEntity
    financial_year: int
    policy_field: str
    amount: Money
    committed: Money
    available: Money


class GetPolicyFieldUseReply(QueryReply):
    """Credit use by entity, year and policy field."""

    policy_fields: tuple[PolicyFieldLine, ...]


class GetPolicyFieldUse(Query):
    """Query: credit use summed per entity, year and policy field."""

    NAME = "get_policy_field_use"
    SERVICE = "finance"
    Reply = GetPolicyFieldUseReply

    entity: LegalEntity | None = None


class VisumLine(Contract):
    """One visum with its outcome and any overruling."""

    visum_id: uuid.UUID
    item_id: uuid.UUID
    entity: LegalEntity
    credit_key: CreditKey
    amount: Money
    status: str
    """`requested`, `granted`, `refused` or `overruled`."""
    conditions: tuple[str, ...]
    reasons: tuple[str, ...]
    decided_by: str | None
    """Person id of the financial director, once decided."""
    decided_at: dt.datetime | None
    overruled_by: BodyKind | None
    """The college or vast bureau that overruled a refusal."""
    overruling_decision_id: uuid.UUID | None


class VisumCounts(Contract):
    """How many visums are in each state."""

    requested: int
    granted: int
    refused: int
    overruled: int


class GetVisumReportReply(QueryReply):
    """Every visum, oldest request first, and a count per status."""

    visums: tuple[VisumLine, ...]
    summary: VisumCounts


class GetVisumReport(Query):
    """Query: every visum (requested, granted, refused, overruled) for the council's report."""

    NAME = "get_visum_report"
    SERVICE = "finance"
    Reply = GetVisumReportReply

    entity: LegalEntity | None = None


class CommitmentLine(Contract):
    """One commitment (vastlegging) with what is ordered and paid against it."""

    commitment_id: uuid.UUID
    entity: LegalEntity
    credit_key: CreditKey
    financial_year: int
    amount: Money
    ordered: Money
    paid: Money
    third_party: str | None
    investment_project: str | None
    decision_id: uuid.UUID | None
    """The adopted decision, or None for a budget holder's commitment."""
    delegation_id: uuid.UUID | None
    """The budget-holder delegation used, if any."""
    recorded_by: str | None


class GetCommitmentsReply(QueryReply):
    """Commitments, oldest first."""

    commitments: tuple[CommitmentLine, ...]


class GetCommitments(Query):
    """Query: commitments with ordered and paid amounts."""

    NAME = "get_commitments"
    SERVICE = "finance"
    Reply = GetCommitmentsReply

    entity: LegalEntity | None = None


class ExportReportReply(QueryReply):
    """One report as CSV: a header line, then one line per row (amounts with two decimals)."""

    csv: str
    rows: int


class ExportReport(Query):
    """Query: one report as CSV text."""

    NAME = "export_report"
    SERVICE = "finance"
    Reply = ExportReportReply

    report: Literal["credits", "totals", "policy_fields", "visums", "commitments"]
    entity: LegalEntity | None = None


class TotalFigure(Contract):
    """One limitative total of one entity and year after a change."""

    entity: LegalEntity
    financial_year: int
    total: str
    """`operating`, `investment`, `financing` or `loan_receipts`."""
    amount: Money
    committed: Money


class AppliedChange(Contract):
    """One credit after a change."""

    credit_key: CreditKey
    total: str
    change: Annotated[Decimal, Field(max_digits=15, decimal_places=2, allow_inf_nan=False)]
    amount: Money
    """The credit's estimate after the change."""


class BudgetChangeProposed(Event):
    """A budget change was prepared; it waits for the council's (or RMW's) decision."""

    SUBJECT = "finance.budget_change.proposed"

    budget_change_id: uuid.UUID
    entity: LegalEntity
    title: str
    changes: tuple[CreditChange, ...]
    proposed_by: str


class BudgetChangeApplied(Event):
    """The council adopted the budget change: credits and limitative totals changed."""

    SUBJECT = "finance.budget_change.applied"

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    changes: tuple[AppliedChange, ...]
    totals: tuple[TotalFigure, ...]


class BudgetChangeRefused(Event):
    """An adopted budget-change decision could not be applied; nothing changed."""

    SUBJECT = "finance.budget_change.refused"

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    reason: str
    message: str


class CreditsAdjusted(Event):
    """An internal credit adjustment moved estimates inside one limitative total."""

    SUBJECT = "finance.credits.adjusted"

    adjustment_id: uuid.UUID
    entity: LegalEntity
    changes: tuple[AppliedChange, ...]
    decided_by: str
    reason: str


class InvestmentCreditsCarriedOver(Event):
    """Unused investment credits moved from one year to the next."""

    SUBJECT = "finance.credits.carried_over"

    entity: LegalEntity
    from_year: int
    to_year: int
    changes: tuple[AppliedChange, ...]
    decision_id: uuid.UUID | None = None


class PlanImported(Event):
    """Credits of the multi-year plan were loaded."""

    SUBJECT = "finance.plan.imported"

    credits_added: int
    credits_unchanged: int


class VisumOverruled(Event):
    """The college or vast bureau overruled a refused visum: a separate, reportable decision."""

    SUBJECT = "finance.visum.overruled"

    overruling_id: uuid.UUID
    visum_id: uuid.UUID
    item_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    amount: Money
    refusal_reasons: tuple[str, ...]
    overruled_at: dt.datetime


class CommitmentBlocked(Event):
    """An adopted decision was not committed: its visum was refused and not overruled."""

    SUBJECT = "finance.commitment.blocked"

    decision_id: uuid.UUID
    item_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    reason: str
    """`visum_refused`."""


class CommitmentRecordedUnderDelegation(Event):
    """A budget holder committed a credit under a delegation (no council or college decision)."""

    SUBJECT = "finance.commitment.recorded_under_delegation"

    commitment_id: uuid.UUID
    delegation_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    economic_account: str
    policy_field: str
    action: str | None
    financial_year: int
    amount: Money
    third_party: str
    credit_key: CreditKey
    remaining: Money
    reason: str = ""


class PaymentOrdered(Event):
    """A payment order (betaalopdracht) against a commitment."""

    SUBJECT = "finance.payment.ordered"

    payment_order_id: uuid.UUID
    commitment_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    ordered_by: str
    remaining_to_order: Money


class PaymentMade(Event):
    """An ordered payment was paid."""

    SUBJECT = "finance.payment.paid"

    payment_order_id: uuid.UUID
    commitment_id: uuid.UUID
    entity: LegalEntity
    amount: Money
    paid_on: dt.date
