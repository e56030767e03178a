"""Tables of the `meetings` schema."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, Table, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import messaging_tables

__all__ = ["agenda_items", "metadata", "tables"]

metadata = MetaData()
tables = messaging_tables(metadata)

agenda_items = Table(
    "agenda_items",
    metadata,
    Column("item_id", Uuid, primary_key=True),
    Column("body", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("confidentiality", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("motivation", Text, nullable=False),
    Column("financial_impact", JSONB),
    Column("follow_up_actions", JSONB, nullable=False),
    Column("proposed_by", Text, nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("budget_check", Text, nullable=False),
    Column("decision_id", Uuid, unique=True),
    # What an item of a particular kind refers to (appointment, delegation, budget change, ...).
    Column("links", JSONB, nullable=False, server_default="{}"),
)
