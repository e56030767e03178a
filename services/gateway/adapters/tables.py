"""Tables of the `gateway` schema."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, MetaData, Table, Text

from shared.db.tables import messaging_tables

__all__ = ["accounts", "api_tokens", "metadata", "sessions", "tables"]

metadata = MetaData()
tables = messaging_tables(metadata)

accounts = Table(
    "accounts",
    metadata,
    Column("username", Text, primary_key=True),
    Column("person_id", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    comment="Local accounts for development (refused in production): argon2id password hashes.",
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", Text, primary_key=True),
    Column("secret_digest", Text, nullable=False, unique=True),
    Column("person_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    comment="API tokens of machine clients: SHA-256 of the token only; revoked ones stay, marked.",
)

sessions = Table(
    "sessions",
    metadata,
    Column("secret_digest", Text, primary_key=True),
    Column("person_id", Text, nullable=False),
    Column("via", Text, nullable=False),
    Column("csrf_token", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("sessions_by_expiry", "expires_at"),
    comment="Server-side sessions keyed by the SHA-256 of their cookie.",
)
