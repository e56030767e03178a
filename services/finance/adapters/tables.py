"""Tables of the `finance` schema."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import messaging_tables

__all__ = [
    "action_plan_table",
    "action_table",
    "adjustment_table",
    "budget_change_table",
    "commitment_table",
    "credit_table",
    "delegation_table",
    "estimate_table",
    "metadata",
    "opening_table",
    "overruling_table",
    "payment_order_table",
    "policy_objective_table",
    "receipt_table",
    "tables",
    "total_table",
    "visum_table",
]

metadata = MetaData()
tables = messaging_tables(metadata)

credit_table = Table(
    "credits",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("entity", Text, nullable=False),
    Column("financial_year", Integer, nullable=False),
    Column("total", Text, nullable=False),
    Column("economic_account", Text, nullable=False),
    Column("policy_field", Text, nullable=False),
    Column("action", Text, nullable=False, comment="'' when the credit has no action"),
    Column("investment_project", Text),
    Column("description", Text, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("committed", Numeric(15, 2), nullable=False),
    UniqueConstraint("entity", "financial_year", "economic_account", "policy_field", "action", name="uq_credits_key"),
    CheckConstraint("committed >= 0 AND committed <= amount", name="ck_credits_committed_within_amount"),
    CheckConstraint("entity IN ('gemeente', 'ocmw')", name="ck_credits_entity"),
    CheckConstraint("total IN ('operating', 'investment', 'financing', 'loan_receipts')", name="ck_credits_total"),
    comment="Credits of the multi-year plan, limitative per entity.",
)

commitment_table = Table(
    "commitments",
    metadata,
    Column("commitment_id", Uuid, primary_key=True),
    Column("decision_id", Uuid, unique=True, comment="NULL for a budget holder's commitment"),
    Column("credit_id", Uuid, ForeignKey("credits.id"), comment="NULL for an expense that needs no credit (42x)"),
    Column("entity", Text, nullable=False),
    Column("economic_account", Text, nullable=False),
    Column("policy_field", Text, nullable=False),
    Column("action", Text),
    Column("financial_year", Integer, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("third_party", Text),
    Column("credit_key", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("item_id", Uuid),
    Column("investment_project", Text),
    Column("delegation_id", Uuid, comment="The budget-holder delegation used, if any"),
    Column("recorded_by", Text),
    Column("reason", Text, nullable=False, server_default=""),
    Column("ordered", Numeric(15, 2), nullable=False, server_default=text("0")),
    Column("paid", Numeric(15, 2), nullable=False, server_default=text("0")),
    Column(
        "credit_required",
        Boolean,
        nullable=False,
        server_default=text("true"),
        comment="False for an expense that needs no credit (a debt repayment)",
    ),
    CheckConstraint("amount > 0", name="ck_commitments_amount_positive"),
    CheckConstraint("credit_id IS NOT NULL OR NOT credit_required", name="ck_commitments_credit_when_required"),
    CheckConstraint("ordered >= 0 AND ordered <= amount", name="ck_commitments_ordered_within_amount"),
    CheckConstraint("paid >= 0 AND paid <= ordered", name="ck_commitments_paid_within_ordered"),
    CheckConstraint(
        "decision_id IS NOT NULL OR delegation_id IS NOT NULL", name="ck_commitments_decision_or_delegation"
    ),
    comment="Vastleggingen: one per adopted decision with a financial impact, or by a budget holder.",
)

total_table = Table(
    "limitative_totals",
    metadata,
    Column("entity", Text, primary_key=True),
    Column("financial_year", Integer, primary_key=True),
    Column("total", Text, primary_key=True),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("committed", Numeric(15, 2), nullable=False),
    CheckConstraint("committed >= 0 AND committed <= amount", name="ck_totals_committed_within_amount"),
    comment="The four limitative totals per entity and year: sums of their credits, locked on every change.",
)

payment_order_table = Table(
    "payment_orders",
    metadata,
    Column("payment_order_id", Uuid, primary_key=True),
    Column("commitment_id", Uuid, ForeignKey("commitments.commitment_id"), nullable=False, index=True),
    Column("entity", Text, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("ordered_by", Text, nullable=False),
    Column("reference", Text, nullable=False),
    Column("ordered_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("paid_on", Date),
    CheckConstraint("amount > 0", name="ck_payment_orders_amount_positive"),
    CheckConstraint("status IN ('ordered', 'paid')", name="ck_payment_orders_status"),
    comment="Betaalopdrachten against commitments.",
)

visum_table = Table(
    "visums",
    metadata,
    Column("visum_id", Uuid, primary_key=True),
    Column("item_id", Uuid, nullable=False, unique=True),
    Column("entity", Text, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("credit_key", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("conditions", JSONB, nullable=False),
    Column("reasons", JSONB, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("blocked_decision_id", Uuid),
    Column("blocked_impact", Text),
    Column("intended", Text, comment="A budget holder's intended commitment (JSON), when the visum is for one"),
    Column("commitment_id", Uuid, comment="The budget holder's commitment made under this visum"),
    CheckConstraint("status IN ('requested', 'granted', 'refused', 'overruled')", name="ck_visums_status"),
    comment="The financial director's visum per proposed item that needs one.",
)

overruling_table = Table(
    "visum_overrulings",
    metadata,
    Column("overruling_id", Uuid, primary_key=True),
    Column("visum_id", Uuid, ForeignKey("visums.visum_id"), nullable=False, unique=True),
    Column("item_id", Uuid, nullable=False),
    Column("decision_id", Uuid, nullable=False, unique=True),
    Column("body", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("overruled_at", DateTime(timezone=True), nullable=False),
    comment="Overrulings of a refused visum by the college or vast bureau: reportable decisions.",
)

budget_change_table = Table(
    "budget_changes",
    metadata,
    Column("budget_change_id", Uuid, primary_key=True),
    Column("entity", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("changes", JSONB, nullable=False, comment="CreditChange contracts; amounts as strings"),
    Column("status", Text, nullable=False),
    Column("proposed_by", Text, nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("decision_id", Uuid),
    Column("decided_at", DateTime(timezone=True)),
    Column("refusal", Text),
    Column("kind", Text, nullable=False, server_default="change"),
    Column("opening", JSONB, comment="A plan's opening result: entity, year, amount"),
    Column("adopted_by", Uuid, comment="The RMW's adoption of an OCMW part awaiting the gemeenteraad's approval"),
    Column("balanced", Boolean, comment="The balance test when staged; NULL for a carry-over"),
    CheckConstraint("status IN ('proposed', 'adopted', 'applied', 'refused')", name="ck_budget_changes_status_v2"),
    CheckConstraint("kind IN ('plan', 'change', 'carry_over')", name="ck_budget_changes_kind"),
    comment="Plans, plan changes (aanpassingen) and carry-overs staged in finance, in force by a body's decision.",
)

estimate_table = Table(
    "plan_estimates",
    metadata,
    Column("entity", Text, primary_key=True),
    Column("financial_year", Integer, primary_key=True),
    Column("economic_account", Text, primary_key=True),
    Column("policy_field", Text, primary_key=True),
    Column("action", Text, primary_key=True, comment="'' when none"),
    Column("flow", Text, primary_key=True),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    CheckConstraint("flow IN ('expense', 'receipt')", name="ck_plan_estimates_flow"),
    CheckConstraint("amount >= 0", name="ck_plan_estimates_amount"),
    comment="Lines of the plan in force without a credit: receipts and debt repayments (the balance test).",
)

opening_table = Table(
    "opening_results",
    metadata,
    Column("entity", Text, primary_key=True),
    Column("financial_year", Integer, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    comment="The cumulated budgetary result before the first year of each entity's plan in force.",
)

receipt_table = Table(
    "receipts",
    metadata,
    Column("receipt_id", Uuid, primary_key=True),
    Column("decision_id", Uuid, nullable=False, unique=True),
    Column("entity", Text, nullable=False),
    Column("economic_account", Text, nullable=False),
    Column("policy_field", Text, nullable=False),
    Column("action", Text),
    Column("financial_year", Integer, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("third_party", Text),
    Column("credit_key", Text, comment="The loan-receipts total used, for a loan taken up (17x)"),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("amount > 0", name="ck_receipts_amount_positive"),
    comment="Receipts of adopted decisions, recorded as receipts (never as credits to spend).",
)

adjustment_table = Table(
    "credit_adjustments",
    metadata,
    Column("adjustment_id", Uuid, primary_key=True),
    Column("entity", Text, nullable=False),
    Column("changes", JSONB, nullable=False),
    Column("decided_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("adjusted_at", DateTime(timezone=True), nullable=False),
    comment="Internal credit adjustments: estimates moved inside one limitative total.",
)

delegation_table = Table(
    "budget_holder_delegations",
    metadata,
    Column("delegation_id", Uuid, primary_key=True),
    Column("to_person_id", Text, nullable=False, index=True),
    Column("entity", Text, comment="NULL while only the revocation is known"),
    Column("valid_from", Date),
    Column("valid_until", Date),
    Column("policy_field", Text),
    Column("economic_account", Text),
    Column("action", Text),
    Column("max_amount", Numeric(15, 2)),
    Column("revoked_at", DateTime(timezone=True)),
    comment="Budget-holder delegations from hr, checked on every commitment by a person.",
)

policy_objective_table = Table(
    "policy_objectives",
    metadata,
    Column("code", Text, primary_key=True),
    Column("title", Text, nullable=False),
    comment="Beleidsdoelstellingen of the integrated multi-year plan.",
)

action_plan_table = Table(
    "action_plans",
    metadata,
    Column("code", Text, primary_key=True),
    Column("objective_code", Text, ForeignKey("policy_objectives.code"), nullable=False),
    Column("title", Text, nullable=False),
    comment="Actieplannen under a policy objective.",
)

action_table = Table(
    "actions",
    metadata,
    Column("code", Text, primary_key=True),
    Column("action_plan_code", Text, ForeignKey("action_plans.code"), nullable=False),
    Column("title", Text, nullable=False),
    comment="Acties under an action plan; credits are coded on them.",
)
