"""Queries of audit, answered from the ledger with their typed replies (a read that never commits)."""

from __future__ import annotations

from services.audit.domain.ledger import TrailEntry
from services.audit.service_layer.ports import AuditUnitOfWork
from shared.contracts.audit import GetTrail, GetTrailReply, TrailRecord, VerifyLedger, VerifyLedgerReply

__all__ = ["TRAIL_LIMIT", "VERIFY_CHUNK", "get_trail", "verify_ledger"]

#: A reply travels as one NATS message (1 MB by default); a trail record is ~400 bytes as JSON.
TRAIL_LIMIT = 1_000
VERIFY_CHUNK = 10_000


def _record(entry: TrailEntry) -> TrailRecord:
    return TrailRecord(
        seq=entry.seq,
        subject=entry.subject,
        type=entry.ce_type,
        service=entry.service,
        message_id=entry.message_id,
        correlation_id=entry.correlation_id,
        causation_id=entry.causation_id,
        entity=entry.entity,
        confidentiality=entry.confidentiality,
        captured_at=entry.captured_at,
        row_hash=entry.row_hash,
    )


async def get_trail(uow: AuditUnitOfWork, query: GetTrail) -> GetTrailReply:
    """Every ledger record of a correlation id, in ledger order: metadata only, never payloads."""
    entries = await uow.ledger.trail(query.correlation_id, limit=TRAIL_LIMIT + 1)
    return GetTrailReply(
        command_id=query.command_id,
        correlation_id=query.correlation_id,
        records=tuple(_record(e) for e in entries[:TRAIL_LIMIT]),
        truncated=len(entries) > TRAIL_LIMIT,
    )


async def verify_ledger(uow: AuditUnitOfWork, query: VerifyLedger) -> VerifyLedgerReply:
    """Walk the whole hash chain and name the first broken link."""
    result = await uow.ledger.verify(chunk=VERIFY_CHUNK)
    return VerifyLedgerReply(
        command_id=query.command_id,
        ok=result.ok,
        checked=result.checked,
        first_broken_seq=result.first_broken_seq,
        reason=result.reason,
    )
