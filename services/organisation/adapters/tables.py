"""Tables of the `organisation` schema."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import messaging_tables

__all__ = [
    "bodies",
    "delegates",
    "executed_decisions",
    "legal_entities",
    "mandates",
    "metadata",
    "organogram_units",
    "organogram_versions",
    "persons",
    "scan_runs",
    "tables",
    "task_comments",
    "tasks",
]

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
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("inactive_from", Date, comment="First day out of service: the day after hr's last employment ends."),
    comment="People who can own tasks while in service; `inactive_from` follows hr's employments.",
)

bodies = Table(
    "bodies",
    metadata,
    Column("code", Text, primary_key=True),
    Column("entity", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("legislature", Text, nullable=False),
    Column("seats", Integer),
    comment="Governing bodies (bestuursorganen) of the current legislature.",
)

mandates = Table(
    "mandates",
    metadata,
    Column("mandate_id", Uuid, primary_key=True),
    Column("person_id", Text, nullable=False, index=True),
    Column("person_name", Text, nullable=False),
    Column("body", Text, nullable=False, index=True),
    Column("entity", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("status_since", Date),
    Column("voting", Boolean, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date),
    Column("end_reason", Text, nullable=False, server_default=""),
    Column("linked_mandate_id", Uuid),
    Column("group_name", Text),
    comment="A person's seat in a body; parallel seats are separate rows, linked.",
)

organogram_versions = Table(
    "organogram_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("status", Text, nullable=False, comment="draft or applied"),
    Column("valid_from", Date),
    Column("decision_id", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    comment="Versions of the organogram over time; at most one draft awaits the council.",
)

organogram_units = Table(
    "organogram_units",
    metadata,
    Column("version", Integer, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("parent", Text),
    Column("head_person_id", Text),
    Column("management_team", Boolean, nullable=False, server_default=text("false")),
    PrimaryKeyConstraint("version", "code"),
    ForeignKeyConstraint(["version"], ["organogram_versions.version"], ondelete="CASCADE"),
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
    Column("escalation_level", Integer, nullable=False, server_default=text("0")),
    Column("last_escalated_on", Date),
    Column("claimed_by", Text),
    Column("completed_by", Text),
    Column("completed_at", DateTime(timezone=True)),
    Column("cancel_reason", Text),
    Column("delegation_id", Uuid),
    Column("confidentiality", Text, nullable=False, server_default="public"),
    Column("district", Text, comment="The district the decision concerns: the task is assigned to it."),
    UniqueConstraint("decision_id", "action_id", name="one_task_per_action"),
)

task_comments = Table(
    "task_comments",
    metadata,
    Column("comment_id", Uuid, primary_key=True),
    Column("task_id", Uuid, nullable=False, index=True),
    Column("person_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

delegates = Table(
    "delegates",
    metadata,
    Column("delegation_id", Uuid, primary_key=True),
    Column("from_person_id", Text, index=True),
    Column("to_person_id", Text, nullable=False),
    Column("power", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date),
    Column("revoked_on", Date),
    comment="Delegations known from hr, to find the delegate of a unit's head.",
)

executed_decisions = Table(
    "executed_decisions",
    metadata,
    Column("decision_id", Uuid, primary_key=True),
    Column("executed_at", DateTime(timezone=True), nullable=False),
    comment="Decisions whose tasks are all done: `decision.executed` is emitted once.",
)

scan_runs = Table(
    "scan_runs",
    metadata,
    Column("as_of", Date, primary_key=True),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("overdue", Integer, nullable=False),
    Column("escalated", Integer, nullable=False),
    comment="The overdue scan's last run per day, so a restart knows where it stands.",
)

control_register = Table(
    "control_register",
    metadata,
    Column("key", Uuid, primary_key=True),
    Column("kind", Text, nullable=False, index=True),
    Column("document", JSONB, nullable=False),
    comment="Internal control: the system, risks with their measures and incidents, audit reports, agreements.",
)
