"""The messaging tables every service has in its own schema: outbox, inbox, dead letters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = ["MessagingTables", "messaging_tables"]


@dataclass(frozen=True)
class MessagingTables:
    """Handles on the outbox, inbox and dead-letter tables of one service's metadata."""

    outbox: Table
    inbox: Table
    dead_letters: Table


def messaging_tables(metadata: MetaData) -> MessagingTables:
    """Add the messaging tables to a service's metadata (once) and return them."""
    if "outbox" in metadata.tables:
        return MessagingTables(metadata.tables["outbox"], metadata.tables["inbox"], metadata.tables["dead_letters"])
    outbox = Table(
        "outbox",
        metadata,
        Column("id", Text, primary_key=True, comment="= ce-id = Nats-Msg-Id"),
        Column("seq", BigInteger, Identity(always=True), nullable=False, unique=True),
        Column("subject", Text, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        comment="Events written with the state change that caused them; published by the relay.",
    )
    Index(
        "outbox_unpublished",
        outbox.c.seq,
        postgresql_where=outbox.c.published_at.is_(None),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", Text, nullable=False),
        Column("message_id", Text, nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("result", JSONB, comment="The reply given, for idempotent commands."),
        PrimaryKeyConstraint("consumer", "message_id"),
        comment="Messages and commands already handled, written in the handler's transaction.",
    )
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", BigInteger, Identity(always=True), primary_key=True),
        Column("consumer", Text, nullable=False),
        Column("message_id", Text),
        Column("subject", Text, nullable=False),
        Column("stream_seq", BigInteger),
        Column("deliveries", Integer, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("reason", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        comment="Messages that cannot be handled, with the reason; kept for replay.",
    )
    return MessagingTables(outbox, inbox, dead_letters)
