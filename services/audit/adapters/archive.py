"""Archive files of closed periods: compressed JSON Lines of whole ledger records, outside the database.

    <folder>/ledger-<first seq>-<last seq>.jsonl.gz

One record a line, every hashed field and both hashes, so the file can be verified without the
database (and by an auditor with any JSON reader). `archive_period` writes a file, then, in one
transaction as the ledger's owner, records it in `archives` and deletes its rows from `ledger` (the
row trigger allows a DELETE only of rows an archive covers; the runtime role may not delete at all).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.audit.adapters.repository import LEDGER_LOCK, SqlLedger, row_from_record
from services.audit.adapters.tables import archives, checkpoints, ledger
from services.audit.domain.ledger import GENESIS_HASH, Archive, ArchiveUnreadable, ChainVerifier, LedgerRecord

__all__ = ["ArchiveFolder", "ArchiveRefused", "archive_period", "record_from_json", "record_to_json"]


class ArchiveRefused(RuntimeError):
    """Nothing may be archived now, with the reason."""


def record_to_json(record: LedgerRecord) -> str:
    """One line of an archive file."""
    row = row_from_record(record)
    row["captured_at"] = record.captured_at.astimezone(dt.UTC).isoformat()
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_from_json(line: str) -> LedgerRecord:
    """A record read back from a line of an archive file."""
    row: dict[str, Any] = json.loads(line)
    row["captured_at"] = dt.datetime.fromisoformat(row["captured_at"])
    return LedgerRecord(**row)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ArchiveFolder:
    """Where archive files are written and read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, records: Sequence[LedgerRecord]) -> tuple[str, str]:
        """Write a file of `records` (atomically); answers its name and sha256."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"ledger-{records[0].seq:012d}-{records[-1].seq:012d}.jsonl.gz"
        tmp = self.folder / f".{name}.tmp"
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as handle:
            for record in records:
                handle.write(record_to_json(record) + "\n")
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(self.folder / name)
        return name, _sha256(self.folder / name)

    def read(self, archive: Archive) -> Iterator[LedgerRecord]:
        """The records of an archive file, after checking it is the file the archive row names."""
        path = self.folder / archive.file_name
        if not path.exists():
            seqs = f"seq {archive.first_seq}–{archive.last_seq}"
            raise ArchiveUnreadable(f"archive_missing: {archive.file_name} ({seqs}) is not in {self.folder}")
        if _sha256(path) != archive.file_sha256:
            raise ArchiveUnreadable(
                f"archive_changed: {archive.file_name} is not the file archived (its sha256 differs)"
            )
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                yield record_from_json(line)


async def archive_period(
    session: AsyncSession, folder: ArchiveFolder, *, before: dt.datetime, now: dt.datetime
) -> Archive | None:
    """Move the records captured before `before` that a signed checkpoint covers into a file.

    Runs in `session`'s transaction, which must act as the ledger's owner (it deletes rows); the
    caller commits. The newest record always stays in the table (the writer chains onto it). The
    stretch is verified before it is written; a broken chain is refused, not archived.
    """
    await session.execute(LEDGER_LOCK)
    done = await SqlLedger(session).archives()
    first = done[-1].last_seq + 1 if done else 1
    prev_hash = done[-1].last_hash if done else GENESIS_HASH
    head = await session.scalar(select(func.max(ledger.c.seq)))
    newest_checkpoint = await session.scalar(select(func.max(checkpoints.c.seq)))
    before_end = await session.scalar(select(func.max(ledger.c.seq)).where(ledger.c.captured_at < before))
    if head is None or newest_checkpoint is None or before_end is None:
        return None
    last = min(int(before_end), int(newest_checkpoint), int(head) - 1)
    if last < first:
        return None
    signed = {c.seq: c.head_hash for c in (await SqlLedger(session).checkpoints())}
    checkpoint_seq = min(seq for seq in signed if seq >= last)
    records = await SqlLedger(session).records(first, last)
    verifier = ChainVerifier.resume(first - 1, prev_hash, signed)
    if not verifier.feed_many(records) or verifier.last_seq != last:
        result = verifier.result()
        raise ArchiveRefused(f"the ledger does not verify at seq {result.first_broken_seq}: {result.reason}")
    name, sha = folder.write(records)
    archive = Archive(
        first_seq=first,
        last_seq=last,
        last_hash=records[-1].row_hash,
        records=len(records),
        file_name=name,
        file_sha256=sha,
        period_end=before,
        checkpoint_seq=checkpoint_seq,
        archived_at=now,
    )
    await session.execute(insert(archives).values(**dataclasses.asdict(archive)))
    await session.execute(delete(ledger).where(ledger.c.seq.between(first, last)))
    return archive
