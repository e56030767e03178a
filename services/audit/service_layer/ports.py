"""What audit needs from its ledger; SQL and in-memory fakes implement it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from services.audit.domain.ledger import AppendPlan, CapturedMessage, TrailEntry, VerifyResult

__all__ = ["AuditUnitOfWork", "Ledger"]


class Ledger(Protocol):
    """The append-only, hash-chained ledger: records are appended, read and verified, never changed."""

    async def append(self, messages: Sequence[CapturedMessage], *, force: bool = False) -> AppendPlan:
        """Chain and store what the ledger does not hold yet, in capture order (see `plan_append`).

        Holds the ledger's lock until the transaction ends, so two writers never interleave;
        answers what was written, skipped as a redelivery, or held behind a gap.
        """
        ...

    async def trail(self, correlation_id: str, *, limit: int) -> list[TrailEntry]:
        """The records of one correlation id in ledger order, metadata only, at most `limit`."""
        ...

    async def verify(self, *, chunk: int = 10_000) -> VerifyResult:
        """Walk the chain from genesis to the head seen at the start; name the first broken link."""
        ...


class AuditUnitOfWork(Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def ledger(self) -> Ledger: ...
