"""One handler per query; the command wrapper owns the (read-only) transaction."""

from __future__ import annotations

from services.audit.service_layer.ports import AuditUnitOfWork
from shared.contracts.audit import GetTrail, VerifyLedger
from shared.contracts.common import CommandReply, CommandStatus
from shared.messaging.envelope import Envelope

__all__ = ["TRAIL_LIMIT", "VERIFY_CHUNK", "get_trail", "verify_ledger"]

#: A reply travels as one NATS message (1 MB by default); a trail entry is ~400 bytes as JSON.
TRAIL_LIMIT = 1_000
VERIFY_CHUNK = 10_000


async def get_trail(uow: AuditUnitOfWork, cmd: GetTrail, _envelope: Envelope) -> CommandReply:
    """Every ledger record of a correlation id, in ledger order: metadata only, never payloads."""
    entries = await uow.ledger.trail(cmd.correlation_id, limit=TRAIL_LIMIT + 1)
    truncated = len(entries) > TRAIL_LIMIT
    return CommandReply(
        command_id=cmd.command_id,
        status=CommandStatus.ACCEPTED,
        data={"records": [e.to_json() for e in entries[:TRAIL_LIMIT]], "truncated": truncated},
    )


async def verify_ledger(uow: AuditUnitOfWork, cmd: VerifyLedger, _envelope: Envelope) -> CommandReply:
    """Walk the whole hash chain and name the first broken link."""
    result = await uow.ledger.verify(chunk=VERIFY_CHUNK)
    return CommandReply(
        command_id=cmd.command_id,
        status=CommandStatus.ACCEPTED,
        data={
            "ok": result.ok,
            "checked": result.checked,
            "first_broken_seq": result.first_broken_seq,
            "reason": result.reason,
        },
    )
