"""Contracts of the `audit` service."""

from __future__ import annotations

import datetime as dt

from shared.contracts.base import Contract, Event, Query, QueryReply

__all__ = [
    "GetTrail",
    "GetTrailReply",
    "LedgerCheckpointed",
    "TrailRecord",
    "VerifyLedger",
    "VerifyLedgerReply",
]


class LedgerCheckpointed(Event):
    """The ledger's head at a sequence, so a later rewrite of history is detectable."""

    SUBJECT = "audit.checkpoint.recorded"

    sequence: int
    head_hash: str


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
    """Why it fails there (`seq_gap`, `prev_hash_mismatch`, `row_hash_mismatch`: ...); empty when ok."""


class VerifyLedger(Query):
    """Query: walk the hash chain and name the first broken link."""

    NAME = "verify_ledger"
    SERVICE = "audit"
    Reply = VerifyLedgerReply
