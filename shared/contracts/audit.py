"""Contracts of the `audit` service."""

from __future__ import annotations

from shared.contracts.base import Command, Event

__all__ = ["GetTrail", "LedgerCheckpointed", "VerifyLedger"]


class LedgerCheckpointed(Event):
    """The ledger's head at a sequence, so a later rewrite of history is detectable."""

    SUBJECT = "audit.checkpoint.recorded"

    sequence: int
    head_hash: str


class GetTrail(Command):
    """Query: every ledger record of one correlation id, in ledger order (metadata only)."""

    NAME = "get_trail"
    SERVICE = "audit"

    correlation_id: str


class VerifyLedger(Command):
    """Query: walk the hash chain and name the first broken link."""

    NAME = "verify_ledger"
    SERVICE = "audit"
