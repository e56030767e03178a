"""Tables of the `external` schema."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import messaging_tables

__all__ = [
    "deadlines",
    "external_entities",
    "management_agreements",
    "metadata",
    "overruling_reports",
    "representations",
    "supervision_reports",
    "tables",
]

metadata = MetaData()
tables = messaging_tables(metadata)

supervision_reports = Table(
    "supervision_reports",
    metadata,
    Column("report_id", Uuid, primary_key=True),
    Column("decision_id", Uuid, nullable=False, unique=True),
    Column("body", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("meeting_id", Uuid, index=True),
    Column("submitted_at", DateTime(timezone=True)),
    Column("document_id", Uuid),
    Column("document_hash", Text),
    # The besluittype the report is filed under, and whether it goes with its own full text.
    Column("decision_type", Text),
    Column("full_text", Boolean, nullable=False, server_default="false"),
    # The supervisory authority's answer: acknowledged, complaint received, annulled.
    Column("status_changed_at", DateTime(timezone=True)),
    Column("reference", Text),
    comment="Decisions to report to the supervisory authority (meldingsplicht), one per decision.",
)

overruling_reports = Table(
    "overruling_reports",
    metadata,
    Column("report_id", Uuid, primary_key=True),
    Column("overruling_id", Uuid, nullable=False, unique=True),
    Column("decision_id", Uuid, nullable=False),
    Column("item_id", Uuid, nullable=False),
    Column("body", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("amount", Numeric(15, 2), nullable=False),
    Column("refusal_reasons", JSONB, nullable=False),
    Column("overruled_at", DateTime(timezone=True), nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    comment="Visum overrulings by the college or vast bureau, reported to the supervisory authority.",
)

external_entities = Table(
    "external_entities",
    metadata,
    Column("entity_id", Uuid, primary_key=True),
    Column("code", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("legal_form", Text, nullable=False),
    Column("kbo", Text, unique=True),
    Column("involvements", JSONB, nullable=False),
    Column("municipal_entity", Text, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    comment="The registry of external and autonomous entities: legal form, KBO number, the municipality's involvement.",
)

representations = Table(
    "representations",
    metadata,
    Column("representation_id", Uuid, primary_key=True),
    Column("entity_id", Uuid, ForeignKey("external_entities.entity_id"), nullable=False, index=True),
    Column("person_id", Text, nullable=False),
    Column("person_name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("decision_id", Uuid, nullable=False),
    Column("term_start", Date, nullable=False),
    Column("term_end", Date),
    Column("replaces_person_id", Text),
    Column("ended_on", Date),
    UniqueConstraint("decision_id", "entity_id", "person_id", name="one_designation_per_decision"),
    comment="Representatives the councils designated in external entities, with their terms.",
)

management_agreements = Table(
    "management_agreements",
    metadata,
    Column("agreement_id", Uuid, primary_key=True),
    Column("entity_id", Uuid, ForeignKey("external_entities.entity_id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("decision_id", Uuid, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date),
    Column("report_due_dates", JSONB, nullable=False),
    UniqueConstraint("entity_id", "decision_id", name="one_agreement_per_decision"),
    comment="Management agreements (beheersovereenkomsten) the council approved, and their report dates.",
)

deadlines = Table(
    "external_deadlines",
    metadata,
    Column("deadline_id", Uuid, primary_key=True),
    Column("entity_id", Uuid, ForeignKey("external_entities.entity_id"), nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("silence", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("outcome", Text),
    Column("closed_on", Date),
    Column("decision_id", Uuid),
    Column("agreement_id", Uuid, ForeignKey("management_agreements.agreement_id")),
    Index("external_deadlines_open_by_due", "status", "due_on"),
    comment="Legal terms on external entities' documents and reports, and what silence decided.",
)
