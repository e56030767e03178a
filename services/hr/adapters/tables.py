"""Tables of the `hr` schema."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, Date, DateTime, MetaData, Table, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from shared.db.tables import messaging_tables

__all__ = [
    "consultations",
    "delegations",
    "disciplinary_cases",
    "employments",
    "evaluations",
    "hr_effects",
    "metadata",
    "staff",
    "tables",
]

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
    Column("reason", Text, comment="Rejection code when refused or flagged."),
    Column("detail", Text, nullable=False, server_default=""),
    comment="What adopted decisions asked of HR and what came of it, one row per decision.",
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

employments = Table(
    "employments",
    metadata,
    Column("employment_id", Uuid, primary_key=True),
    Column("person_id", Text, nullable=False, index=True),
    Column("person_name", Text, nullable=False),
    Column("entity", Text, nullable=False, comment="Employer: gemeente or ocmw."),
    Column("position", Text, nullable=False),
    Column("unit_code", Text),
    Column("grade", Text, nullable=False),
    Column("statutory", Boolean, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("decision_id", Uuid, unique=True, comment="The appointing decision (none for the initial load)."),
    Column("dismissal_decision_id", Uuid),
    Column("works_for", ARRAY(Text), nullable=False, server_default="{}", comment="Entities served."),
    CheckConstraint("entity IN ('gemeente', 'ocmw')", name="employment_entity"),
    comment="Employments per entity; a person may be employed by one entity and work for both.",
)

delegations = Table(
    "delegations",
    metadata,
    Column("delegation_id", Uuid, primary_key=True),
    Column("from_body", Text),
    Column("from_person_id", Text),
    Column("to_person_id", Text, nullable=False, index=True),
    Column("to_body", Text),
    Column("power", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date),
    Column("budget_scope", JSONB),
    Column("scope", JSONB, nullable=False, server_default="{}"),
    Column("decision_id", Uuid),
    Column("parent_delegation_id", Uuid, index=True),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoke_reason", Text, nullable=False, server_default=""),
    CheckConstraint("(from_body IS NULL) <> (from_person_id IS NULL)", name="delegation_one_grantor"),
    comment="Delegated powers: time-bounded, revocable, subdelegations point to the delegation they rest on.",
)

consultations = Table(
    "consultations",
    metadata,
    Column("consultation_id", Uuid, primary_key=True),
    Column("topic", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("invitation_sent_on", Date, nullable=False),
    Column("meeting_on", Date, nullable=False),
    Column("protocol_reference", Text),
    Column("concluded_on", Date),
    comment="Union consultation (BOC) files for changes of staff rules.",
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("evaluation_id", Uuid, primary_key=True),
    Column("person_id", Text, nullable=False, index=True),
    Column("entity", Text, nullable=False),
    Column("evaluator_person_id", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("result", Text),
    Column("note", Text, nullable=False, server_default=""),
    comment="Evaluations of staff members (personal data: never published).",
)

disciplinary_cases = Table(
    "disciplinary_cases",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("person_id", Text, nullable=False, index=True),
    Column("entity", Text, nullable=False),
    Column("facts", Text, nullable=False),
    Column("opened_by", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("sanction", Text),
    Column("history", JSONB, nullable=False, server_default="[]"),
    Column("employment_id", Uuid, comment="The statutory employment the case is about."),
    Column("heard_on", Date),
    Column("defence", Text, nullable=False, server_default=""),
    Column("decision_id", Uuid, comment="The decision that imposed the sanction (a body's, or the AD's own)."),
    Column("authority", Text, comment="The body's code, or algemeen_directeur."),
    Column("reasons", Text, nullable=False, server_default=""),
    Column("decided_on", Date),
    comment="Disciplinary procedures against statutory staff (personal data: never published).",
)
