"""Queries of audit, answered from the ledger with their typed replies (a read that never commits)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from services.audit.domain.checkpoints import Checkpoint, check_signature, public_key_bytes
from services.audit.domain.ledger import (
    Archive,
    ArchiveUnreadable,
    ChainVerifier,
    LedgerFilter,
    LedgerRecord,
    TrailEntry,
)
from services.audit.service_layer.ports import ArchiveReader, AuditUnitOfWork
from shared.contracts.audit import (
    CheckpointInfo,
    ConsumeRecorded,
    ExportedRecord,
    ExportLedger,
    ExportLedgerReply,
    GetTrail,
    GetTrailReply,
    SearchLedger,
    SearchLedgerReply,
    TrailRecord,
    VerifyLedger,
    VerifyLedgerReply,
)

__all__ = ["TRAIL_LIMIT", "VERIFY_CHUNK", "LedgerViews", "PublicKeys", "get_trail", "search_ledger"]

#: The public keys of every key that ever signed a checkpoint, by key id (read from outside the database).
PublicKeys = Callable[[], Mapping[str, Ed25519PublicKey]]

#: A reply travels as one NATS message (1 MB by default); a trail record is ~400 bytes as JSON.
TRAIL_LIMIT = 1_000
VERIFY_CHUNK = 10_000
#: An export page stays well inside one NATS message (1 MiB), escaping included.
EXPORT_PAGE_BYTES = 512 * 1024


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
        consume=_consume(entry.consume_record),
    )


def _consume(body: str | None) -> ConsumeRecorded | None:
    if body is None:
        return None
    try:
        return ConsumeRecorded.model_validate_json(body)
    except ValueError:  # a forged or foreign record on that type: the trail still shows its metadata
        return None


async def get_trail(uow: AuditUnitOfWork, query: GetTrail) -> GetTrailReply:
    """Every ledger record of a correlation id, in ledger order: metadata only, never payloads."""
    entries = await uow.ledger.trail(query.correlation_id, limit=TRAIL_LIMIT + 1)
    return GetTrailReply(
        command_id=query.command_id,
        correlation_id=query.correlation_id,
        records=tuple(_record(e) for e in entries[:TRAIL_LIMIT]),
        truncated=len(entries) > TRAIL_LIMIT,
    )


async def search_ledger(uow: AuditUnitOfWork, query: SearchLedger) -> SearchLedgerReply:
    """Records that match every given filter, in ledger order: metadata only, never payloads."""
    filters = LedgerFilter(
        subject=query.subject_filter,
        ce_type=query.event_type,
        entity=query.entity,
        correlation_id=query.correlation_id,
        body=query.body,
        since=query.since,
        until=query.until,
    )
    entries = await uow.ledger.search(filters, after_seq=query.after_seq, limit=query.limit + 1)
    return SearchLedgerReply(
        command_id=query.command_id,
        records=tuple(_record(e) for e in entries[: query.limit]),
        truncated=len(entries) > query.limit,
    )


def _exported(r: LedgerRecord) -> ExportedRecord:
    return ExportedRecord(
        seq=r.seq,
        capture_seq=r.capture_seq,
        source_stream=r.source_stream,
        source_seq=r.source_seq,
        subject=r.subject,
        message_id=r.message_id,
        type=r.ce_type,
        correlation_id=r.correlation_id,
        causation_id=r.causation_id,
        entity=r.entity,
        confidentiality=r.confidentiality,
        service=r.service,
        headers=dict(r.headers),
        payload=r.payload,
        payload_encoding=r.payload_encoding,
        captured_at=r.captured_at,
        prev_hash=r.prev_hash,
        row_hash=r.row_hash,
    )


def _info(c: Checkpoint) -> CheckpointInfo:
    return CheckpointInfo(
        seq=c.seq, head_hash=c.head_hash, signed_at=c.signed_at, key_id=c.key_id, signature=c.signature
    )


def walk_archives(
    archived: Sequence[Archive], reader: ArchiveReader, verifier: ChainVerifier
) -> tuple[int, str] | None:
    """Feed the records of every archive file the walk has not passed; the broken link, or None."""
    for archive in archived:
        if archive.last_seq <= verifier.last_seq:
            continue
        try:
            for record in reader.read(archive):
                if record.seq > verifier.last_seq and not verifier.feed(record):
                    result = verifier.result()
                    return result.first_broken_seq or archive.first_seq, result.reason
        except ArchiveUnreadable as exc:
            return archive.first_seq, str(exc)
        if (verifier.last_seq, verifier.last_hash) != (archive.last_seq, archive.last_hash):
            return verifier.last_seq + 1, f"archive_incomplete: {archive.file_name} ends before seq {archive.last_seq}"
    return None


class LedgerViews:
    """Queries that need the public keys of the checkpoints and the archive files (given by the composition root)."""

    def __init__(self, public_keys: PublicKeys, archives: ArchiveReader | None = None) -> None:
        self._public_keys = public_keys
        self._archives = archives

    async def verify_ledger(self, uow: AuditUnitOfWork, query: VerifyLedger) -> VerifyLedgerReply:
        """Check every checkpoint's signature, then walk the chain (or a stretch) holding it to them."""
        checkpoints = await uow.ledger.checkpoints()
        head = await uow.ledger.head()
        keys = self._public_keys()
        newest = checkpoints[-1].seq if checkpoints else None
        for checkpoint in checkpoints:
            problem = check_signature(checkpoint, keys)
            if problem is not None:
                return VerifyLedgerReply(
                    command_id=query.command_id,
                    ok=False,
                    checked=0,
                    first_broken_seq=problem.seq,
                    reason=problem.reason,
                    last_seq=query.after_seq,
                    last_hash=query.prev_hash,
                    head_seq=head.seq,
                    checkpoints=len(checkpoints),
                    newest_checkpoint_seq=newest,
                )
        signed = {c.seq: c.head_hash for c in checkpoints}
        after, prev, from_files = query.after_seq, query.prev_hash, 0
        archived = await uow.ledger.archives()
        if archived and after < archived[-1].last_seq:
            if self._archives is None:
                raise RuntimeError("the ledger has archived periods and no archive folder is configured")
            verifier = ChainVerifier.resume(after, prev, signed)
            broken = await asyncio.to_thread(walk_archives, archived, self._archives, verifier)
            if broken is not None:
                return VerifyLedgerReply(
                    command_id=query.command_id,
                    ok=False,
                    checked=verifier.checked,
                    first_broken_seq=broken[0],
                    reason=broken[1],
                    last_seq=verifier.last_seq,
                    last_hash=verifier.last_hash,
                    head_seq=head.seq,
                    checkpoints=len(checkpoints),
                    newest_checkpoint_seq=newest,
                )
            after, prev, from_files = verifier.last_seq, verifier.last_hash, verifier.checked
            if query.limit is not None:  # a stretch: the archives were this one
                return VerifyLedgerReply(
                    command_id=query.command_id,
                    ok=True,
                    checked=from_files,
                    first_broken_seq=None,
                    reason="",
                    last_seq=after,
                    last_hash=prev,
                    head_seq=head.seq,
                    checkpoints=len(checkpoints),
                    newest_checkpoint_seq=newest,
                )
        result = await uow.ledger.verify(
            chunk=VERIFY_CHUNK, checkpoints=signed, after_seq=after, prev_hash=prev, limit=query.limit
        )
        return VerifyLedgerReply(
            command_id=query.command_id,
            ok=result.ok,
            checked=from_files + result.checked,
            first_broken_seq=result.first_broken_seq,
            reason=result.reason,
            last_seq=result.last_seq,
            last_hash=result.last_hash,
            head_seq=head.seq,
            checkpoints=len(checkpoints),
            newest_checkpoint_seq=newest,
        )

    async def export_ledger(self, uow: AuditUnitOfWork, query: ExportLedger) -> ExportLedgerReply:
        """One page of whole records of a period, with the checkpoint that covers it and the public keys."""
        filters = LedgerFilter(since=query.since, until=query.until)
        records = await uow.ledger.export(filters, after_seq=query.after_seq, limit=query.limit + 1)
        page: list[LedgerRecord] = []
        exported: list[ExportedRecord] = []
        size = 0
        for record in records[: query.limit]:
            item = _exported(record)
            item_size = len(item.model_dump_json().encode())
            if item_size > EXPORT_PAGE_BYTES:  # one record larger than a reply: its payload stays out
                item = item.model_copy(update={"payload": "", "payload_omitted": True})
                item_size = len(item.model_dump_json().encode())
            if page and size + item_size > EXPORT_PAGE_BYTES:
                break
            page.append(record)
            exported.append(item)
            size += item_size
        covering = None
        if page:
            covering = next((c for c in await uow.ledger.checkpoints() if c.seq >= page[-1].seq), None)
        return ExportLedgerReply(
            command_id=query.command_id,
            records=tuple(exported),
            more=len(records) > len(page),
            checkpoint=_info(covering) if covering else None,
            public_keys={key_id: public_key_bytes(key).hex() for key_id, key in self._public_keys().items()},
        )
