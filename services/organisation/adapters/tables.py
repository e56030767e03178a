"""Tables of the `organisation` schema."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, MetaData, Table, Text, UniqueConstraint, Uuid

from shared.db.tables import messaging_tables

__all__ = ["legal_entities", "metadata", "persons", "tables", "tasks", "units"]

metadata = MetaData()
tables = messaging_tables(metadata)

legal_entities = Table(
    "legal_entities",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kbo", Text, nullable=False, unique=True),
)

persons = Table(
    "persons",
    metadata,
    Column("person_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent", Text),
    Column("head_person_id", Text),
)

tasks = Table(
    "tasks",
    metadata,
    Column("task_id", Uuid, primary_key=True),
    Column("decision_id", Uuid, nullable=False, index=True),
    Column("action_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("unit_code", Text, nullable=False),
    Column("owner_person_id", Text, nullable=False, index=True),
    Column("owner_name", Text, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("decision_id", "action_id", name="one_task_per_action"),
)
