"""Contracts of the `audit` service."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, Query, QueryReply

__all__ = [
    "GENESIS_HASH",
    "MAX_SEQ",
    "CheckpointInfo",
    "ConsumeRecorded",
    "ExportLedger",
    "ExportLedgerReply",
    "ExportedRecord",
    "GetTrail",
    "GetTrailReply",
    "LedgerCheckpointed",
    "RecordCheckpoint",
    "SearchLedger",
    "SearchLedgerReply",
    "TrailRecord",
    "VerifyLedger",
    "VerifyLedgerReply",
]

#: The `prev_hash` of the first ledger record.
GENESIS_HASH = "0" * 64
#: Sequences and ids are PostgreSQL bigints.
MAX_SEQ = 2**63 - 1


class LedgerCheckpointed(Event):
    """The ledger's head at a sequence, signed, so a later rewrite of history is detectable.

    The published copy lives in the AUDIT and CAPTURE streams, outside the database: a checkpoint
    deleted from the database can be recovered from here and still verifies with its key.
    """

    SUBJECT = "audit.checkpoint.recorded"

    sequence: int
    head_hash: str
    signed_at: dt.datetime | None = None
    """When it was signed (part of the signed text)."""
    key_id: str | None = None
    """The Ed25519 key that signed it: the first 16 hex digits of sha256 of its raw public key."""
    signature: str | None = None
    """Ed25519 signature, hex, of `raderwerk-audit-checkpoint/v1|<sequence>|<head_hash>|<signed_at>`."""


ConsumeOutcome = Literal["acked", "duplicate", "retried", "dead_lettered"]
#: How the message reached the consumer: JetStream's delivery, `rw replay`, or `rw dlq retry`.
Via = Literal["delivery", "replay", "dlq_retry"]


class ConsumeRecorded(Event):
    """What a durable consumer did with one delivery of a message (the consume record).

    Published by the consuming service on `audit.consume.recorded` through its outbox: an ack's record in
    the handler's own transaction, a dead letter's in the dead letter's transaction, a retry's
    (best effort) after the nak. Its correlation id is the consumed message's, its causation id the
    consumed message's id, so the ledger's trail shows it under that message. It carries no payload.
    """

    SUBJECT = "audit.consume.recorded"

    consumer: str
    """The durable consumer (`shared.topology`)."""
    stream: str
    stream_seq: int
    """The consumed message's sequence in its stream."""
    subject: str
    """The consumed message's subject."""
    message_id: str | None
    """The consumed message's id (`ce-id`), when it had one."""
    delivery: int
    """JetStream's delivery count of this delivery, from 1."""
    outcome: ConsumeOutcome
    """`acked` (handled), `duplicate` (handled before: acked without effect), `retried` (nak'd), `dead_lettered`."""
    retry_in_s: float | None = None
    """For `retried`: the delay before the next delivery."""
    reason: str | None = None
    """For `dead_lettered`: the rejection code (`invalid_body`, `max_deliveries`, a rule's code, ...)."""
    error: str | None = None
    """For `retried` and `dead_lettered`: the failure in one line."""
    via: Via = "delivery"
    """`delivery` (JetStream), `replay` (`rw replay`) or `dlq_retry` (`rw dlq retry`: the retry is audited too)."""


class RecordCheckpoint(Command):
    """Command: sign the ledger's head now (nothing happens when the newest checkpoint already covers it)."""

    NAME = "record_checkpoint"
    SERVICE = "audit"


class TrailRecord(Contract):
    """One ledger record as a trail shows it: metadata only, never the payload or the headers.

    The envelope attributes are given as they were captured (text, or null when a message did
    not carry them): the ledger keeps whatever crossed the broker, well-formed or not.
    """

    seq: int
    """Position in the ledger, from 1."""
    subject: str
    type: str | None
    """The CloudEvents type (`ce-type`), e.g. `be.raderwerk.meetings.decision.adopted.v1`."""
    service: str | None
    """The producer, from `ce-source` = `/raderwerk/<service>`."""
    message_id: str | None
    """`Nats-Msg-Id`, or `ce-id` when absent (commands carry only `ce-id`)."""
    correlation_id: str | None
    causation_id: str | None
    """The message id of the message that caused this one."""
    entity: str | None
    """`ce-entity`: `gemeente`, `ocmw` or `both`."""
    confidentiality: str | None
    """`ce-confidentiality`: `public`, `closed` or `social`."""
    captured_at: dt.datetime
    """When the CAPTURE stream stored the message."""
    row_hash: str
    """The record's hash in the chain (sha256, lower-case hex)."""
    consume: ConsumeRecorded | None = None
    """For a consume record (`audit.consume.recorded`): what the consumer did (it carries no payload of the message)."""


class GetTrailReply(QueryReply):
    """The ledger records of one correlation id, in ledger order (at most 1,000)."""

    correlation_id: str
    records: tuple[TrailRecord, ...]
    truncated: bool
    """More records exist than one reply carries."""


class GetTrail(Query):
    """Query: every ledger record of one correlation id, in ledger order (metadata only)."""

    NAME = "get_trail"
    SERVICE = "audit"
    Reply = GetTrailReply

    correlation_id: str


class VerifyLedgerReply(QueryReply):
    """The outcome of walking the hash chain from genesis to the head seen at the start."""

    ok: bool
    checked: int
    """Records examined (up to and including the first broken one)."""
    first_broken_seq: int | None
    """The ledger position where the chain first fails (the missing position for a removal)."""
    reason: str
    """Why it fails there (`seq_gap`, `prev_hash_mismatch`, `row_hash_mismatch`, `checkpoint_mismatch`,
    `tail_removed`, `bad_signature`, `unknown_key`: ...); empty when ok."""
    last_seq: int = 0
    """The last record that checked out: where the next stretch of a walk starts."""
    last_hash: str = GENESIS_HASH
    """Its hash."""
    head_seq: int = 0
    """The ledger's last seq when the walk started."""
    checkpoints: int = 0
    """Signed checkpoints whose signature checked out and that the walk holds the ledger to."""
    newest_checkpoint_seq: int | None = None
    """The records after it are protected by the chain alone (and by the CAPTURE stream), not by a signature."""


class VerifyLedger(Query):
    """Query: walk the hash chain (or one stretch of it) against every signed checkpoint; name the first broken link.

    Without `limit` the whole chain is walked in one reply. A client that shows progress walks it
    in stretches: `after_seq` and `prev_hash` from the previous reply's `last_seq` and `last_hash`.
    """

    NAME = "verify_ledger"
    SERVICE = "audit"
    Reply = VerifyLedgerReply

    after_seq: int = Field(default=0, ge=0, le=MAX_SEQ)
    prev_hash: str = Field(default=GENESIS_HASH, pattern="^[0-9a-f]{64}$")
    limit: int | None = Field(default=None, gt=0)


class SearchLedgerReply(QueryReply):
    """Ledger records that match, in ledger order (metadata only, at most `limit`)."""

    records: tuple[TrailRecord, ...]
    truncated: bool
    """More records match than the reply carries: narrow the search, or continue after the last seq."""


class SearchLedger(Query):
    """Query: ledger records by subject, type, entity, body text and time range (all given filters hold).

    The body filter searches the payloads, but the reply carries metadata only, as a trail does.
    """

    NAME = "search_ledger"
    SERVICE = "audit"
    Reply = SearchLedgerReply

    subject_filter: str | None = Field(default=None, max_length=512)
    """A NATS subject or pattern (`*` one token, `>` the rest), e.g. `finance.commitment.>`."""
    event_type: str | None = Field(default=None, max_length=256)
    """The CloudEvents type, exact (`ce-type`)."""
    entity: str | None = Field(default=None, max_length=64)
    correlation_id: str | None = Field(default=None, max_length=256)
    body: str | None = Field(default=None, min_length=1, max_length=256)
    """Text the payload contains (case-insensitive)."""
    since: dt.datetime | None = None
    """Captured at or after."""
    until: dt.datetime | None = None
    """Captured before."""
    after_seq: int = Field(default=0, ge=0, le=MAX_SEQ)
    limit: int = Field(default=200, gt=0, le=1000)


class CheckpointInfo(Contract):
    """A signed checkpoint, for an auditor to check with the public key of `key_id` (`docs/audit.md`)."""

    seq: int
    head_hash: str
    signed_at: dt.datetime
    key_id: str
    signature: str


class ExportedRecord(Contract):
    """A whole ledger record: every hashed field and both hashes (an auditor can recompute the chain)."""

    seq: int
    capture_seq: int
    source_stream: str | None
    source_seq: int | None
    subject: str
    message_id: str | None
    type: str | None
    correlation_id: str | None
    causation_id: str | None
    entity: str | None
    confidentiality: str | None
    service: str | None
    headers: dict[str, str]
    payload: str
    payload_encoding: str
    captured_at: dt.datetime
    prev_hash: str
    row_hash: str
    payload_omitted: bool = False
    """The record alone is larger than a reply may be: its payload is left out here (read it from the ledger)."""


class ExportLedgerReply(QueryReply):
    """One page of an export, in ledger order, and the oldest checkpoint at or after its last record."""

    records: tuple[ExportedRecord, ...]
    more: bool
    """Another page follows: ask again with `after_seq` = the last record's seq."""
    checkpoint: CheckpointInfo | None
    """The first signed checkpoint whose seq is at or after the page's last record: it covers the page."""
    public_keys: dict[str, str] = Field(default_factory=dict)
    """The public keys (raw, hex) of the checkpoint keys, by key id, as the audit service holds them."""


class ExportLedger(Query):
    """Query: whole ledger records (payloads and headers included) for a period, a page at a time.

    For auditors: the reply holds closed and social content.
    """

    NAME = "export_ledger"
    SERVICE = "audit"
    Reply = ExportLedgerReply

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    after_seq: int = Field(default=0, ge=0, le=MAX_SEQ)
    limit: int = Field(default=200, gt=0, le=500)
