"""Tables of the `hr` schema."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, MetaData, Table, Text, Uuid

from shared.db.tables import messaging_tables

__all__ = ["hr_effects", "metadata", "staff", "tables"]

metadata = MetaData()
tables = messaging_tables(metadata)

hr_effects = Table(
    "hr_effects",
    metadata,
    Column("effect_id", Uuid, primary_key=True),
    Column("decision_id", Uuid, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    comment="What adopted decisions ask of HR (appointments for now), one row per decision.",
)

staff = Table(
    "staff",
    metadata,
    Column("person_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("entity", Text, nullable=False, comment="Employer: gemeente or ocmw."),
    Column("statute", Text, nullable=False),
    Column("role", Text, nullable=False),
    CheckConstraint("statute IN ('statutory', 'contractual')", name="staff_statute"),
    CheckConstraint("entity IN ('gemeente', 'ocmw')", name="staff_entity"),
    comment="Staff members of both entities.",
)
