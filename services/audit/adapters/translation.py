"""The one place where audit meets the message contracts: its domain events as published contracts."""

from __future__ import annotations

from services.audit.domain import commands as own
from services.audit.domain.checkpoints import CheckpointRecorded
from shared.contracts import audit as published
from shared.contracts.audit import LedgerCheckpointed
from shared.kernel import DomainEvent
from shared.messaging.outgoing import Outgoing

__all__ = ["outgoing", "record_checkpoint"]


def outgoing(event: DomainEvent) -> Outgoing:
    """The contract of each of audit's domain events."""
    if isinstance(event, CheckpointRecorded):
        cp = event.checkpoint
        return Outgoing(
            LedgerCheckpointed(
                sequence=cp.seq,
                head_hash=cp.head_hash,
                signed_at=cp.signed_at,
                key_id=cp.key_id,
                signature=cp.signature,
            ),
            subject_id=str(cp.seq),
        )
    raise TypeError(f"no translation for {type(event).__name__}")


def record_checkpoint(contract: published.RecordCheckpoint) -> own.RecordCheckpoint:
    """On demand, as the periodic loop does."""
    del contract
    return own.RecordCheckpoint()
