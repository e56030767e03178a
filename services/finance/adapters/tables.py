"""Tables of the `finance` schema."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from shared.db.tables import messaging_tables

__all__ = ["commitment_table", "credit_table", "metadata", "tables"]

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
    Column("decision_id", Uuid, nullable=False, unique=True),
    Column("credit_id", Uuid, ForeignKey("credits.id"), nullable=False),
    Column("entity", Text, nullable=False),
    Column("economic_account", Text, nullable=False),
    Column("policy_field", Text, nullable=False),
    Column("action", Text),
    Column("financial_year", Integer, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("third_party", Text),
    Column("credit_key", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("amount > 0", name="ck_commitments_amount_positive"),
    comment="Vastleggingen: one per adopted decision with a financial impact.",
)
