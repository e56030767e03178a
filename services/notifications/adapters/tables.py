"""Tables of the `notifications` schema."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, MetaData, Table, Text, UniqueConstraint, Uuid

from shared.db.tables import messaging_tables

__all__ = ["council_seats", "inbox_entries", "metadata", "tables"]

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

council_seats = Table(
    "council_seats",
    metadata,
    Column("mandate_id", Uuid, primary_key=True),
    Column("person_id", Text, nullable=False),
    Column("body", Text, nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("voting", Boolean, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date),
    comment="Council and RMW seats as organisation announced them: who must hear what the council must.",
)
