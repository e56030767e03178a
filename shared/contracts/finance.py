"""Contracts of the `finance` service: plan, budget checks, visum, commitments, payments, reports."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, LegalEntity, Money, Query, QueryReply
from shared.contracts.common import BodyKind, FinancialImpact
from shared.vocabulary import EconomicAccount, Flow, PlanCode, PolicyField

__all__ = [
    "AdjustCredits",
    "AppliedChange",
    "AppliedEstimate",
    "BalanceYearLine",
    "BudgetChangeAdopted",
    "BudgetChangeApplied",
    "BudgetChangeLine",
    "BudgetChangeProposed",
    "BudgetChangeRefused",
    "BudgetCheckFailed",
    "BudgetCheckPassed",
    "BudgetHolderLine",
    "CarryOverCredit",
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
    "Flow",
    "GetBudgetChanges",
    "GetBudgetChangesReply",
    "GetBudgetHolderReport",
    "GetBudgetHolderReportReply",
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
    "ProposeCarryOver",
    "ReceiptRecorded",
    "RecordCommitment",
    "RefuseVisum",
    "RequestVisum",
    "TotalFigure",
    "TotalLine",
    "VisumCounts",
    "VisumGranted",
    "VisumLine",
    "VisumOverruled",
    "VisumRefused",
    "VisumRequested",
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
    """`no_credit` or `insufficient_credit`; for an item that puts a staged plan before a body, the
    code of the rule that keeps it off the agenda (`plan_not_in_balance`, `not_adopted_by_rmw`, …)."""


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
    credit_required: bool = True
    """False for an expense that needs no credit (a debt repayment, 42x): `credit_key` is then its
    coding and `remaining` is 0.00."""


class ReceiptRecorded(Event):
    """An adopted decision's receipt, recorded as a receipt (never as a credit to spend).

    A loan taken up (17x) uses the council's limitative loan-receipts total: `credit_key` and
    `remaining` say how much borrowing it still allows. Other receipts need no credit.
    """

    SUBJECT = "finance.receipt.recorded"

    receipt_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    economic_account: str
    policy_field: str
    action: str | None
    financial_year: int
    amount: Money
    third_party: str | None
    credit_key: str | None
    remaining: Money | None


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


class VisumRequested(Event):
    """A budget holder asked the financial director's visum on an intended commitment."""

    SUBJECT = "finance.visum.requested"

    visum_id: uuid.UUID
    request_id: uuid.UUID
    """Name it in `grant_visum` / `refuse_visum` (`item_id`), in `record_commitment`, and in a
    college's `visum_overruling` item (`overrules_item_id`)."""
    person_id: str
    """The budget holder."""
    entity: LegalEntity
    amount: Money
    credit_key: str
    third_party: str


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
    """A signed change of one credit's (or estimate's) amount (a new key creates it)."""

    credit: CreditCoding
    change: Annotated[Decimal, Field(max_digits=15, decimal_places=2, allow_inf_nan=False)]
    """Euro, positive raises the credit, negative lowers it (never below what is committed)."""
    investment_project: PlanCode | None = None
    description: str = ""
    """Description of a credit the change creates."""
    flow: Flow = Flow.EXPENSE
    """`receipt` for a receipt estimate (or the loan-receipts total, 17x); `expense` otherwise."""


class ImportPlan(Command):
    """Stage the multi-year plan, or a change of it, from CSV (see docs/finance.md).

    Nothing is in force until the council adopts it: the reply names, per entity, the staged plan
    or change (`budget_change_id`) and its balance test. Errors name the line and column.
    """

    NAME = "import_plan"
    SERVICE = "finance"
    VERSION = 2

    csv: Annotated[str, Field(min_length=1, max_length=5_000_000)]


class ProposeBudgetChange(Command):
    """Prepare a budget change (aanpassing); the council (or RMW) applies it by adopting it."""

    NAME = "propose_budget_change"
    SERVICE = "finance"
    VERSION = 2

    entity: LegalEntity
    title: Annotated[str, Field(min_length=3, max_length=300)]
    changes: Annotated[tuple[CreditChange, ...], Field(min_length=1)]


class AdjustCredits(Command):
    """Internal credit adjustment: move estimates between credits inside one limitative total."""

    NAME = "adjust_credits"
    SERVICE = "finance"
    VERSION = 2

    entity: LegalEntity
    changes: Annotated[tuple[CreditChange, ...], Field(min_length=2)]
    reason: str = ""


class GrantVisum(Command):
    """The financial director grants the visum on a proposed item, possibly with conditions.

    Version 2: the financial director is the signed actor, no longer a `person_id` in the body.
    """

    NAME = "grant_visum"
    SERVICE = "finance"
    VERSION = 2

    item_id: uuid.UUID
    conditions: tuple[Annotated[str, Field(min_length=1, max_length=1000)], ...] = ()


class RefuseVisum(Command):
    """The financial director refuses the visum on a proposed item, with reasons."""

    NAME = "refuse_visum"
    SERVICE = "finance"
    VERSION = 2

    item_id: uuid.UUID
    reasons: Annotated[tuple[Annotated[str, Field(min_length=1, max_length=1000)], ...], Field(min_length=1)]


class RequestVisum(Command):
    """A budget holder asks the financial director's visum on an intended commitment above the threshold.

    Answers `request_id`; the delegation must cover the commitment and the credit must suffice.
    """

    NAME = "request_visum"
    SERVICE = "finance"
    VERSION = 2

    impact: FinancialImpact
    third_party: Annotated[str, Field(min_length=1, max_length=300)]
    reason: str = ""


class RecordCommitment(Command):
    """A budget holder (the signed actor) commits a credit under a valid `budget_holder` delegation.

    Above the council's visum threshold the financial director's visum on this very commitment
    must be granted (or overruled by the college or vast bureau): name it in `visum_request_id`.
    """

    NAME = "record_commitment"
    SERVICE = "finance"
    VERSION = 2

    impact: FinancialImpact
    third_party: Annotated[str, Field(min_length=1, max_length=300)]
    reason: str = ""
    visum_request_id: uuid.UUID | None = None


class OrderPayment(Command):
    """Order a payment against a commitment (never more than committed minus already ordered)."""

    NAME = "order_payment"
    SERVICE = "finance"
    VERSION = 2

    commitment_id: uuid.UUID
    amount: Money = Field(gt=0)
    reference: str = ""
    """Invoice number or other reference."""


class MarkPaid(Command):
    """Record that an ordered payment was paid."""

    NAME = "mark_paid"
    SERVICE = "finance"

    payment_order_id: uuid.UUID
    paid_on: dt.date | None = None
    """Defaults to today."""


class CarryOverCredit(Contract):
    """One credit to carry over, with the amount (none: all that is unused)."""

    credit: CreditCoding
    amount: Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2, allow_inf_nan=False)] | None = None


class ProposeCarryOver(Command):
    """Prepare the carry-over of unused investment and financing credits of `from_year` to the next year.

    Nothing moves until the college (gemeente) or vast bureau (OCMW) decides it before 1 March
    (a `carry_over` item naming the answered `budget_change_id`). No credits named: every investment
    and financing credit of the year with something unused, all of it.
    """

    NAME = "propose_carry_over"
    SERVICE = "finance"
    VERSION = 2

    entity: LegalEntity
    from_year: Year
    credits: tuple[CarryOverCredit, ...] = ()


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
    year: int | None = Field(default=None, ge=2000, le=2100)
    """Only the visums requested in this year: the financial director's yearly report (given, refused,
    overruled); every visum when left out."""


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


class BudgetHolderLine(Contract):
    """What one budget holder committed under one delegation on one credit in one financial year."""

    person_id: str
    delegation_id: uuid.UUID
    entity: LegalEntity
    credit_key: str
    commitments: int
    amount: Money


class GetBudgetHolderReportReply(QueryReply):
    """The budget holders' commitments of one year, by person, delegation and credit, and per person."""

    financial_year: int
    lines: tuple[BudgetHolderLine, ...]
    totals: dict[str, Money]
    """Person id -> what that budget holder committed in the year."""


class GetBudgetHolderReport(Query):
    """Query: the yearly report to the council of the commitments budget holders made under their
    delegations: who, how much, on which credits."""

    NAME = "get_budget_holder_report"
    SERVICE = "finance"
    Reply = GetBudgetHolderReportReply

    financial_year: Year
    entity: LegalEntity | None = None


class BalanceYearLine(Contract):
    """One financial year of the balance test (schema M2)."""

    financial_year: int
    operating_balance: Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
    """I. exploitatiesaldo."""
    investment_balance: Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
    """II. investeringssaldo."""
    financing_balance: Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
    """IV. financieringssaldo."""
    budget_result: Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
    """V. budgettair resultaat van het boekjaar."""
    available_result: Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
    """IX. beschikbaar budgettair resultaat (not negative in any year)."""
    self_financing_margin: Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
    """Autofinancieringsmarge (not negative in the last year)."""


class BudgetChangeLine(Contract):
    """A staged plan, plan change or carry-over, and where it stands."""

    budget_change_id: uuid.UUID
    entity: LegalEntity
    kind: str
    """`plan`, `change` or `carry_over`."""
    title: str
    status: str
    """`proposed`, `adopted` (by the RMW, awaiting the gemeenteraad's approval), `applied` or `refused`."""
    balanced: bool | None
    lines: int
    proposed_at: dt.datetime
    adopted_by: uuid.UUID | None
    decision_id: uuid.UUID | None
    refusal: str | None


class GetBudgetChangesReply(QueryReply):
    """Staged plans, changes and carry-overs, newest first, with the balance test of the plan in force."""

    changes: tuple[BudgetChangeLine, ...]
    balance: tuple[BalanceYearLine, ...]
    """The plan in force (integrated, or the entity's when asked and tested per entity)."""


class GetBudgetChanges(Query):
    """Query: staged plans, plan changes and carry-overs, and the balance of the plan in force."""

    NAME = "get_budget_changes"
    SERVICE = "finance"
    Reply = GetBudgetChangesReply

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
    """A plan, plan change or carry-over was staged; it waits for the decision of its body.

    A plan or change carries its balance test: one that is not `balanced` cannot be put on an agenda.
    """

    SUBJECT = "finance.budget_change.proposed"

    budget_change_id: uuid.UUID
    entity: LegalEntity
    title: str
    changes: tuple[CreditChange, ...]
    proposed_by: str
    kind: str = "change"
    """`plan`, `change` or `carry_over`."""
    balanced: bool | None = None
    """The balance test of the plan in force with this change; None for a carry-over (not tested)."""
    balance: tuple[BalanceYearLine, ...] = ()
    refusal: str | None = None
    """Which norm an unbalanced plan breaks, and in which year."""
    opening_result: Money | None = None
    """A plan's opening result (gecumuleerd budgettair resultaat before its first year)."""


class BudgetChangeAdopted(Event):
    """The RMW adopted the OCMW's plan or change; it is in force once the gemeenteraad approves it."""

    SUBJECT = "finance.budget_change.adopted"

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity


class AppliedEstimate(Contract):
    """A receipt or an expense without credit, as a change left it."""

    key: str
    """`entity/year/account/policy field/action/flow`."""
    amount: Money


class BudgetChangeApplied(Event):
    """A plan or change came into force: credits, estimates and limitative totals changed."""

    SUBJECT = "finance.budget_change.applied"

    budget_change_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    changes: tuple[AppliedChange, ...]
    totals: tuple[TotalFigure, ...]
    estimates: tuple[AppliedEstimate, ...] = ()
    kind: str = "change"
    """`plan` or `change`."""


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
    """The college (vast bureau) carried unused investment and financing credits over to the next year."""

    SUBJECT = "finance.credits.carried_over"

    entity: LegalEntity
    from_year: int
    to_year: int
    changes: tuple[AppliedChange, ...]
    decision_id: uuid.UUID | None = None
    """The college's or vast bureau's decision."""
    budget_change_id: uuid.UUID | None = None
    """The carry-over finance prepared."""


class PlanImported(Event):
    """A plan CSV was read and staged (`budget_change_ids`); nothing is in force before adoption."""

    SUBJECT = "finance.plan.imported"

    credits_added: int
    """Lines of the staged plans and changes that create a credit or an estimate."""
    credits_unchanged: int
    budget_change_ids: tuple[uuid.UUID, ...] = ()


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
