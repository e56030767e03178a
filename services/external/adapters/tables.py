"""Tables of the `external` schema."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, MetaData, Numeric, Table, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import messaging_tables

__all__ = ["metadata", "overruling_reports", "supervision_reports", "tables"]

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
