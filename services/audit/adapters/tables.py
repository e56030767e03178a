"""Tables of the `audit` schema: the ledger (append-only) and the messaging tables."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Index, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import JSON

from shared.db.tables import messaging_tables

__all__ = ["archives", "checkpoints", "ledger", "metadata", "tables"]

metadata = MetaData()
tables = messaging_tables(metadata)

ledger = Table(
    "ledger",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False, comment="Gap-free ledger position, from 1."),
    Column("capture_seq", BigInteger, nullable=False, unique=True, comment="Sequence in the CAPTURE stream."),
    Column("source_stream", Text, comment="Stream CAPTURE sourced the message from (Nats-Stream-Source)."),
    Column("source_seq", BigInteger, comment="Sequence in the source stream."),
    Column("subject", Text, nullable=False),
    Column("message_id", Text, comment="Nats-Msg-Id, or ce-id."),
    Column("ce_type", Text),
    Column("correlation_id", Text),
    Column("causation_id", Text),
    Column("entity", Text),
    Column("confidentiality", Text),
    Column("service", Text, comment="Producer, from ce-source /raderwerk/<service>."),
    # JSON, not JSONB: it keeps the text exactly and accepts \u0000, which JSONB refuses.
    Column("headers", JSON, nullable=False),
    Column("payload", Text, nullable=False),
    Column("payload_encoding", Text, nullable=False),
    Column("captured_at", DateTime(timezone=True), nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("row_hash", Text, nullable=False),
    CheckConstraint("payload_encoding IN ('utf-8', 'base64')", name="ledger_payload_encoding"),
    CheckConstraint("seq > 0", name="ledger_seq_positive"),
    comment="Every captured message, hash-chained in capture order; UPDATE, DELETE and TRUNCATE are refused.",
)
Index("ledger_correlation_id", ledger.c.correlation_id, ledger.c.seq)
Index("ledger_subject", ledger.c.subject)
Index("ledger_entity", ledger.c.entity)
Index("ledger_captured_at", ledger.c.captured_at)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False, comment="The ledger seq the checkpoint fixes."),
    Column("head_hash", Text, nullable=False, comment="row_hash of the ledger record at seq."),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("key_id", Text, nullable=False, comment="The Ed25519 key that signed it (16 hex of sha256 of its key)."),
    Column("signature", Text, nullable=False, comment="Ed25519 signature (hex) of the checkpoint's signed text."),
    comment="Signed heads of the ledger; verified with public keys kept outside the database. Append-only.",
)

archives = Table(
    "archives",
    metadata,
    Column("last_seq", BigInteger, primary_key=True, autoincrement=False, comment="Last ledger seq in the file."),
    Column("first_seq", BigInteger, nullable=False),
    Column("last_hash", Text, nullable=False, comment="row_hash of the record at last_seq: where the table goes on."),
    Column("records", BigInteger, nullable=False),
    Column("file_name", Text, nullable=False, comment="Compressed JSON Lines, in the archive folder."),
    Column("file_sha256", Text, nullable=False),
    Column("period_end", DateTime(timezone=True), nullable=False, comment="Records captured before this moment."),
    Column("checkpoint_seq", BigInteger, nullable=False, comment="The signed checkpoint that covers the file."),
    Column("archived_at", DateTime(timezone=True), nullable=False),
    comment="Closed periods moved out of the ledger into archive files; verify walks them first. Append-only.",
)
