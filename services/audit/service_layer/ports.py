"""What the query handlers need from the ledger; SQL and in-memory fakes implement it."""

from __future__ import annotations

from typing import Protocol

from services.audit.domain.ledger import TrailEntry, VerifyResult

__all__ = ["AuditUnitOfWork", "LedgerQueries"]


class LedgerQueries(Protocol):
    async def trail(self, correlation_id: str, *, limit: int) -> list[TrailEntry]: ...

    async def verify(self, *, chunk: int = 10_000) -> VerifyResult: ...


class AuditUnitOfWork(Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def ledger(self) -> LedgerQueries: ...
