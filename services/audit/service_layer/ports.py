"""What audit needs from its ledger; SQL and in-memory fakes implement it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from services.audit.domain.checkpoints import Checkpoint
from services.audit.domain.ledger import (
    GENESIS_HASH,
    AppendPlan,
    Archive,
    CapturedMessage,
    ChainHead,
    LedgerFilter,
    LedgerRecord,
    TrailEntry,
    VerifyResult,
)
from shared.kernel import DomainEvent

__all__ = ["ArchiveReader", "AuditUnitOfWork", "Ledger"]


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

    async def verify(
        self,
        *,
        chunk: int = 10_000,
        checkpoints: Mapping[int, str] | None = None,
        after_seq: int = 0,
        prev_hash: str = GENESIS_HASH,
        limit: int | None = None,
    ) -> VerifyResult:
        """Walk the chain (after `after_seq`, at most `limit` records) up to the head seen at the start.

        The record at each seq of `checkpoints` must carry that hash; names the first broken link.
        """
        ...

    async def search(self, filters: LedgerFilter, *, after_seq: int, limit: int) -> list[TrailEntry]:
        """Records that match every given filter, in ledger order after `after_seq` (metadata only)."""
        ...

    async def export(self, filters: LedgerFilter, *, after_seq: int, limit: int) -> list[LedgerRecord]:
        """Whole records that match, in ledger order after `after_seq`."""
        ...

    async def archives(self) -> list[Archive]:
        """The closed periods moved to archive files, in seq order."""
        ...

    async def head(self) -> ChainHead:
        """The last record (or the genesis state of an empty ledger)."""
        ...

    async def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store a signed checkpoint (append-only)."""
        ...

    async def checkpoints(self) -> list[Checkpoint]:
        """Every stored checkpoint, by seq."""
        ...


class ArchiveReader(Protocol):
    """Reads the archive files of closed periods (outside the database)."""

    def read(self, archive: Archive) -> Iterable[LedgerRecord]:
        """The records of the file, in seq order; raises `ArchiveUnreadable` for a missing or changed file."""
        ...


class AuditUnitOfWork(Protocol):
    # Read-only, so a unit of work holding a more specific implementation satisfies it.
    @property
    def ledger(self) -> Ledger: ...

    def emit(self, event: DomainEvent) -> object:
        """Queue a domain event for the outbox."""
        ...
