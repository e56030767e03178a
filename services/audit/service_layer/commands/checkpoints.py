"""Signed checkpoints: the ledger's head, signed with a key the database never sees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from services.audit.domain import commands as own
from services.audit.domain.checkpoints import Checkpoint, CheckpointRecorded
from services.audit.service_layer.ports import AuditUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted

__all__ = ["CheckpointCommands", "Sign"]

#: Signs (seq, head hash, time) with the current key (the key ring is the composition root's).
Sign = Callable[[int, str, dt.datetime], Checkpoint]


class CheckpointCommands:
    """Records checkpoints on demand and for the periodic loop of the composition root."""

    def __init__(self, sign: Sign, clock: Clock) -> None:
        self._sign = sign
        self._clock = clock

    async def checkpoint(self, uow: AuditUnitOfWork) -> Checkpoint | None:
        """Sign and store the head unless the newest checkpoint already covers it (the caller commits).

        The head is read once; a checkpoint of a head that moved on since is just as true. Two
        replicas signing the same head at once collide on the primary key and one of them fails.
        """
        head = await uow.ledger.head()
        if head.seq == 0:
            return None
        existing = await uow.ledger.checkpoints()
        if existing and existing[-1].seq >= head.seq:
            return None
        checkpoint = self._sign(head.seq, head.row_hash, self._clock())
        await uow.ledger.add_checkpoint(checkpoint)
        uow.emit(CheckpointRecorded(checkpoint))
        return checkpoint

    async def record(self, uow: AuditUnitOfWork, command: own.RecordCheckpoint) -> Accepted:
        """Sign the ledger's head now; answers the seq it covers."""
        del command
        checkpoint = await self.checkpoint(uow)
        if checkpoint is None:
            existing = await uow.ledger.checkpoints()
            seq = existing[-1].seq if existing else 0
            return Accepted(data={"seq": seq, "recorded": False})
        return Accepted(
            ids={"checkpoint": str(checkpoint.seq)},
            data={
                "seq": checkpoint.seq,
                "head_hash": checkpoint.head_hash,
                "key_id": checkpoint.key_id,
                "recorded": True,
            },
        )
