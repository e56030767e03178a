"""Tables of the `meetings` schema."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Identity, MetaData, Table, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import messaging_tables

__all__ = [
    "agenda_items",
    "committees",
    "consultations",
    "decisions",
    "meetings",
    "metadata",
    "publications",
    "seats",
    "tables",
]

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
    Column("visum", Text, nullable=False, server_default="not_required"),
    Column("meeting_id", Uuid),
    # The item's file, and its one history across college, committee and council.
    Column("files", JSONB, nullable=False, server_default="[]"),
    Column("history", JSONB, nullable=False, server_default="[]"),
    # The algemeen directeur's legality advice, and whether the item's kind needs it before tabling.
    Column("advice_required", Boolean, nullable=False, server_default="false"),
    Column("legality_advice", JSONB),
)

# A meeting is one aggregate: its agenda, session and minutes change together, in one row.
meetings = Table(
    "meetings",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("body", Text, nullable=False, index=True),
    Column("entity", Text, nullable=False),
    Column("scheduled_at", DateTime(timezone=True), nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("joint_group_id", Uuid, index=True),
    Column("document", JSONB, nullable=False),
)

# The read model of organisation's mandates: who sits in which body.
seats = Table(
    "seats",
    metadata,
    Column("mandate_id", Uuid, primary_key=True),
    Column("person_id", Text, nullable=False),
    Column("person_name", Text, nullable=False),
    Column("body", Text, nullable=False, index=True),
    Column("role", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("voting", Boolean, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date),
    Column("group_name", Text),
)

# Council committees: their seats per group and members, one document each.
committees = Table(
    "committees",
    metadata,
    Column("committee_id", Uuid, primary_key=True),
    Column("name", Text, nullable=False),
    Column("document", JSONB, nullable=False),
)

# Union consultations known from hr; a staff-rules item is tabled only once concluded.
consultations = Table(
    "consultations",
    metadata,
    Column("consultation_id", Uuid, primary_key=True),
    Column("concluded", Boolean, nullable=False),
    Column("protocol_reference", Text),
)

decisions = Table(
    "decisions",
    metadata,
    Column("decision_id", Uuid, primary_key=True),
    Column("item_id", Uuid, nullable=False, index=True),
    Column("meeting_id", Uuid, index=True),
    Column("body", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("record", JSONB, nullable=False),
)

# The publication register: append-only, each entry chained to the one before it.
publications = Table(
    "publications",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("document_id", Uuid, nullable=False, unique=True),
    Column("meeting_id", Uuid, nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("decision_id", Uuid),
    Column("title", Text, nullable=False),
    Column("content", JSONB, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("register_hash", Text, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("reportable", Boolean, nullable=False),
)
