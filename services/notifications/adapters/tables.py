"""Tables of the `notifications` schema."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, Table, Text, UniqueConstraint, Uuid

from shared.db.tables import messaging_tables

__all__ = ["inbox_entries", "metadata", "tables"]

metadata = MetaData()
tables = messaging_tables(metadata)

inbox_entries = Table(
    "inbox_entries",
    metadata,
    Column("entry_id", Uuid, primary_key=True),
    Column("person_id", Text, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("about", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
    UniqueConstraint("person_id", "about", name="one_entry_per_subject"),
)
