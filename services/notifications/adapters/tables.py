"""Tables of the `notifications` schema."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, MetaData, Table, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from shared.db.tables import messaging_tables

__all__ = ["council_seats", "deliveries", "inbox_entries", "metadata", "subscriptions", "tables"]

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

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("subscription_id", Uuid, primary_key=True),
    Column("channel", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("owner_email", Text),
    Column("event_types", ARRAY(Text), nullable=False),
    Column("entity", Text),
    Column("body", Text),
    Column("policy_field", Text),
    Column("district", Text),
    Column("clearance", ARRAY(Text), nullable=False),
    Column("thin", Boolean, nullable=False),
    Column("secret", Text, comment="Webhook signing secret (whsec_...); never shown after the subscription is added."),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True)),
    comment="Who hears of what (people, mailboxes, webhooks, districts), with a filter and a clearance.",
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("subscription_id", Uuid, nullable=False, index=True),
    Column("event_id", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Index("deliveries_due", "next_attempt_at", postgresql_where="status = 'pending'"),
    comment="Mail and webhook deliveries with their tries; status 'dead' is the dead-letter list.",
)
