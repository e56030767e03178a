"""The ledger: what a captured message is, how records chain, and how the chain is verified.

Each record is hashed together with the hash of the record before it:

    row_hash = sha256(bytes.fromhex(prev_hash) || canonical_json(document(record)))

where `document` holds the ledger position and every captured field (not the two hashes), and
`canonical_json` is RFC 8785 (JSON Canonicalization Scheme). The first record's `prev_hash` is
64 zeros. Changing, removing, inserting or reordering any record therefore breaks the chain at
that record; only a rewrite of everything after it (re-hashing) hides a change, which is what
signed checkpoints outside the database are for.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import rfc8785

__all__ = [
    "GENESIS_HASH",
    "PAYLOAD_BASE64",
    "PAYLOAD_UTF8",
    "AppendPlan",
    "Archive",
    "ArchiveUnreadable",
    "CapturedMessage",
    "ChainHead",
    "ChainVerifier",
    "LedgerFilter",
    "LedgerRecord",
    "StreamSource",
    "TrailEntry",
    "VerifyResult",
    "canonical_json",
    "canonical_record",
    "chain",
    "document",
    "parse_stream_source",
    "plan_append",
    "row_hash",
    "service_of",
    "verify",
]

GENESIS_HASH = "0" * 64
PAYLOAD_UTF8 = "utf-8"
PAYLOAD_BASE64 = "base64"

_SOURCE_PREFIX = "/raderwerk/"
_MAX_SAFE_INT = 2**53 - 1  # RFC 8785 numbers are IEEE 754 doubles


@dataclass(frozen=True, slots=True)
class StreamSource:
    """Where a message in CAPTURE came from: the sourced stream and its sequence there."""

    stream: str
    seq: int


def parse_stream_source(value: str | None) -> StreamSource | None:
    """Read the `Nats-Stream-Source` header JetStream adds to a sourced message.

    nats-server 2.10+ writes `<stream> <seq> <filter> <transform> <original subject> <hash>`
    (e.g. `MEETINGS 12 > > meetings.decision.adopted pGpS71YA`); older servers wrote
    `<stream>[:<hash>] <seq>`. Anything unreadable answers None: the record is still kept.
    """
    if not value:
        return None
    parts = value.split()
    if len(parts) < 2:
        return None
    stream = parts[0].split(":", 1)[0]
    if not stream or not parts[1].isdigit():
        return None
    seq = int(parts[1])
    return StreamSource(stream, seq) if seq > 0 else None


def service_of(ce_source: str | None) -> str | None:
    """`/raderwerk/<service>[/...]` -> `<service>`; a foreign source answers None."""
    if not ce_source or not ce_source.startswith(_SOURCE_PREFIX):
        return None
    name = ce_source[len(_SOURCE_PREFIX) :].split("/", 1)[0]
    return name or None


def _text(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; a derived column gets U+FFFD instead (the raw header keeps
    # the exact value). The stored value is the hashed value, so verification stays exact.
    if not value:
        return None
    return value.replace("\x00", "\ufffd")


def _payload(data: bytes) -> tuple[str, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        return base64.b64encode(data).decode("ascii"), PAYLOAD_BASE64
    return text, PAYLOAD_UTF8


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("captured_at must be timezone-aware")
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class CapturedMessage:
    """One message as stored in the CAPTURE stream, before it has a ledger position.

    The ledger keeps everything, including closed and social content (auditors are entitled to
    it); queries that answer people outside the audit function return metadata only.
    """

    capture_seq: int
    """Sequence of the message in the CAPTURE stream."""
    source_stream: str | None
    """Stream the capture sourced it from (`Nats-Stream-Source`), e.g. `MEETINGS`."""
    source_seq: int | None
    """Sequence in that stream."""
    subject: str
    message_id: str | None
    """`Nats-Msg-Id`, or `ce-id` when absent (commands carry only `ce-id`)."""
    ce_type: str | None
    correlation_id: str | None
    causation_id: str | None
    entity: str | None
    confidentiality: str | None
    service: str | None
    """The producer, from `ce-source` = `/raderwerk/<service>`."""
    headers: Mapping[str, str]
    """Every header as captured (including `Nats-Stream-Source`)."""
    payload: str
    """The body as UTF-8 text, or base64 when it is not UTF-8 text (see `payload_encoding`)."""
    payload_encoding: str
    captured_at: dt.datetime
    """When CAPTURE stored the message (its stream timestamp, stable across redeliveries)."""

    @classmethod
    def from_nats(
        cls,
        *,
        capture_seq: int,
        subject: str,
        headers: Mapping[str, str] | None,
        data: bytes,
        captured_at: dt.datetime,
    ) -> CapturedMessage:
        """Derive the record's columns from a message read from CAPTURE."""
        h = dict(headers or {})
        source = parse_stream_source(h.get("Nats-Stream-Source"))
        payload, encoding = _payload(data)
        return cls(
            capture_seq=capture_seq,
            source_stream=source.stream if source else None,
            source_seq=source.seq if source else None,
            subject=_text(subject) or "",
            message_id=_text(h.get("Nats-Msg-Id") or h.get("ce-id")),
            ce_type=_text(h.get("ce-type")),
            correlation_id=_text(h.get("ce-correlationid")),
            causation_id=_text(h.get("ce-causationid")),
            entity=_text(h.get("ce-entity")),
            confidentiality=_text(h.get("ce-confidentiality")),
            service=_text(service_of(h.get("ce-source"))),
            headers=h,
            payload=payload,
            payload_encoding=encoding,
            captured_at=_utc(captured_at),
        )

    def body(self) -> bytes:
        """The original message body."""
        if self.payload_encoding == PAYLOAD_BASE64:
            return base64.b64decode(self.payload)
        return self.payload.encode("utf-8")


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerRecord(CapturedMessage):
    """A captured message at its ledger position, chained to the record before it."""

    seq: int
    """Our own gap-free position, from 1."""
    prev_hash: str
    row_hash: str


def _timestamp(moment: dt.datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def document(seq: int, message: CapturedMessage) -> dict[str, object]:
    """What is hashed for a record: its position and every captured field (not the hashes)."""
    headers = message.headers
    return {
        "seq": seq,
        "capture_seq": message.capture_seq,
        "source_stream": message.source_stream,
        "source_seq": message.source_seq,
        "subject": message.subject,
        "message_id": message.message_id,
        "type": message.ce_type,
        "correlation_id": message.correlation_id,
        "causation_id": message.causation_id,
        "entity": message.entity,
        "confidentiality": message.confidentiality,
        "service": message.service,
        "headers": headers if type(headers) is dict else dict(headers),
        "payload": message.payload,
        "payload_encoding": message.payload_encoding,
        "captured_at": _timestamp(message.captured_at),
    }


_COMPACT_SORTED = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: object) -> bool:
    kind = type(value)
    if kind is str or value is None:
        return True
    if kind is int:
        return -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT  # type: ignore[operator]
    if kind is dict:
        return all(
            type(k) is str and k.isascii() and type(v) is str
            for k, v in value.items()  # type: ignore[attr-defined]
        )
    return False


def canonical_json(doc: Mapping[str, object]) -> bytes:
    """RFC 8785 canonical JSON of a record document (byte-identical to `rfc8785.dumps`).

    `rfc8785.dumps` costs ~40 µs for a typical record, which alone would take `verify` of a
    million records past its 30 s budget. For documents made only of strings, safe integers,
    nulls and string-to-string maps with ASCII keys, the standard library's compact sorted
    output is the same bytes: both escape exactly `"`, `\\` and the C0 controls (short forms
    for \\b \\f \\n \\r \\t, lower-case `\\u00xx` otherwise) and emit other characters as UTF-8,
    and code-point order equals RFC 8785's UTF-16 order for ASCII keys. Anything else goes
    through `rfc8785.dumps`; a property test checks the equivalence.
    """
    if all(k.isascii() and _plain(v) for k, v in doc.items()):
        return _COMPACT_SORTED.encode(doc).encode("utf-8")
    encoded: bytes = rfc8785.dumps(cast("Any", doc))  # its `_Value` union is not inferable here
    return encoded


_json_string = json.encoder.encode_basestring  # what `_COMPACT_SORTED` uses for every string


def _string(value: str | None) -> str:
    return "null" if value is None else _json_string(value)


def _safe(value: int) -> bool:
    return type(value) is int and -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT


def canonical_record(seq: int, message: CapturedMessage) -> bytes:
    """`canonical_json(document(seq, message))`, written out field by field.

    Every document has the same keys, so their RFC 8785 order is fixed and the bytes can be
    assembled directly: about twice as fast as building and sorting the dict, which is what
    lets `verify` walk a million records within its budget. Anything outside the fast path's
    guarantees (see `canonical_json`) takes the general route; a property test checks both.
    """
    headers = message.headers
    source_seq = message.source_seq
    if not (
        _safe(seq)
        and _safe(message.capture_seq)
        and (source_seq is None or _safe(source_seq))
        and type(headers) is dict
        and all(type(k) is str and k.isascii() and type(v) is str for k, v in headers.items())
    ):
        return canonical_json(document(seq, message))
    try:
        text = "".join(
            (
                '{"capture_seq":',
                str(message.capture_seq),
                ',"captured_at":"',
                _timestamp(message.captured_at),
                '","causation_id":',
                _string(message.causation_id),
                ',"confidentiality":',
                _string(message.confidentiality),
                ',"correlation_id":',
                _string(message.correlation_id),
                ',"entity":',
                _string(message.entity),
                ',"headers":',
                _COMPACT_SORTED.encode(headers),
                ',"message_id":',
                _string(message.message_id),
                ',"payload":',
                _json_string(message.payload),
                ',"payload_encoding":',
                _json_string(message.payload_encoding),
                ',"seq":',
                str(seq),
                ',"service":',
                _string(message.service),
                ',"source_seq":',
                "null" if source_seq is None else str(source_seq),
                ',"source_stream":',
                _string(message.source_stream),
                ',"subject":',
                _json_string(message.subject),
                ',"type":',
                _string(message.ce_type),
                "}",
            )
        )
    except TypeError:  # a field that is not text: let the general route decide
        return canonical_json(document(seq, message))
    return text.encode("utf-8")


def row_hash(prev_hash: str, seq: int, message: CapturedMessage) -> str:
    """`sha256(prev_hash_bytes || canonical_json(record))` as lower-case hex."""
    digest = hashlib.sha256(bytes.fromhex(prev_hash))
    digest.update(canonical_record(seq, message))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The last record of the ledger (or the genesis state of an empty one)."""

    seq: int = 0
    row_hash: str = GENESIS_HASH
    capture_seq: int = 0
    """The highest capture sequence in the ledger."""


def _record(seq: int, message: CapturedMessage, prev_hash: str) -> LedgerRecord:
    return LedgerRecord(
        seq=seq,
        prev_hash=prev_hash,
        row_hash=row_hash(prev_hash, seq, message),
        capture_seq=message.capture_seq,
        source_stream=message.source_stream,
        source_seq=message.source_seq,
        subject=message.subject,
        message_id=message.message_id,
        ce_type=message.ce_type,
        correlation_id=message.correlation_id,
        causation_id=message.causation_id,
        entity=message.entity,
        confidentiality=message.confidentiality,
        service=message.service,
        headers=message.headers,
        payload=message.payload,
        payload_encoding=message.payload_encoding,
        captured_at=message.captured_at,
    )


def chain(head: ChainHead, messages: Iterable[CapturedMessage]) -> tuple[list[LedgerRecord], ChainHead]:
    """Append `messages` (in the order given) after `head`; answer the records and the new head."""
    records: list[LedgerRecord] = []
    seq, prev, capture_seq = head.seq, head.row_hash, head.capture_seq
    for message in messages:
        seq += 1
        record = _record(seq, message, prev)
        records.append(record)
        prev = record.row_hash
        capture_seq = max(capture_seq, message.capture_seq)
    return records, ChainHead(seq, prev, capture_seq)


@dataclass(frozen=True, slots=True)
class AppendPlan:
    """What to do with a batch read from CAPTURE, given what the ledger already holds."""

    write: tuple[CapturedMessage, ...] = ()
    """To append now, in this order."""
    duplicates: tuple[int, ...] = ()
    """Capture sequences already in the ledger (a redelivery): acknowledge, do not write."""
    held: tuple[int, ...] = ()
    """Capture sequences after a gap: wait until the missing ones arrive (keeps capture order)."""


def plan_append(
    last_capture_seq: int,
    present: Collection[int],
    batch: Iterable[CapturedMessage],
    *,
    force: bool = False,
) -> AppendPlan:
    """Keep the ledger in capture order across batches, redeliveries and writer replicas.

    A pull batch may start after a gap: an earlier message can still be pending with a crashed
    replica or waiting for a delayed redelivery. Such messages are held, not written, until the
    gap closes; `force` (the gap outlived its timeout) writes them anyway so the ledger never
    stalls on a message that is gone. A message older than the head that is not in the ledger
    (it arrived after a forced gap) is written rather than lost.
    """
    write: list[CapturedMessage] = []
    duplicates: list[int] = []
    held: list[int] = []
    expected = last_capture_seq + 1
    seen: set[int] = set()
    for message in sorted(batch, key=lambda m: m.capture_seq):
        seq = message.capture_seq
        if seq in seen:
            continue
        seen.add(seq)
        if seq in present:
            duplicates.append(seq)
        elif seq < expected:
            write.append(message)
        elif seq == expected or force:
            write.append(message)
            expected = seq + 1
        else:
            held.append(seq)
    return AppendPlan(tuple(write), tuple(duplicates), tuple(held))


@dataclass(frozen=True, slots=True, kw_only=True)
class TrailEntry:
    """A ledger record as a trail shows it: metadata only, never the payload or headers.

    The ledger holds closed and social content too; a trail is read by people who are not all
    entitled to it, so the body stays in the ledger (and in an auditor's export).
    """

    seq: int
    subject: str
    ce_type: str | None
    service: str | None
    message_id: str | None
    correlation_id: str | None
    causation_id: str | None
    entity: str | None
    confidentiality: str | None
    captured_at: dt.datetime
    row_hash: str
    consume_record: str | None = None
    """The body of a consume record (it holds no payload of the consumed message); None for any other record."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Archive:
    """A closed period of the ledger moved to a compressed file: what the `archives` table says of it."""

    first_seq: int
    last_seq: int
    last_hash: str
    """The row_hash of the record at `last_seq`: where the table (or the next file) goes on."""
    records: int
    file_name: str
    file_sha256: str
    period_end: dt.datetime
    checkpoint_seq: int
    archived_at: dt.datetime


class ArchiveUnreadable(Exception):
    """An archive file is missing or is not the file the archive row describes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerFilter:
    """What a search or an export selects: every given filter holds."""

    subject: str | None = None
    """A NATS subject or pattern (`*`, `>`)."""
    ce_type: str | None = None
    entity: str | None = None
    correlation_id: str | None = None
    body: str | None = None
    """Text the payload contains, case-insensitive."""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of walking the chain."""

    ok: bool
    checked: int
    """Records examined (up to and including the first broken one)."""
    first_broken_seq: int | None = None
    """The ledger position where the chain first fails (the missing position for a removal)."""
    reason: str = ""
    last_seq: int = field(default=0, compare=False)
    """The last record that checked out (where a resumed walk continues)."""
    last_hash: str = field(default=GENESIS_HASH, compare=False)
    """Its hash."""


@dataclass
class ChainVerifier:
    """Walks records in ledger order, one at a time, so any number of them needs little memory."""

    checked: int = 0
    _expected_seq: int = 1
    _prev_hash: str = GENESIS_HASH
    _broken: tuple[int, str] | None = field(default=None, repr=False)
    checkpoints: Mapping[int, str] = field(default_factory=dict)
    """Signed head hashes by ledger seq (signatures checked before): the record there must match."""

    @classmethod
    def resume(cls, after_seq: int, prev_hash: str, checkpoints: Mapping[int, str] | None = None) -> ChainVerifier:
        """Continue a walk after record `after_seq`, whose hash was `prev_hash` (genesis: 0, 64 zeros)."""
        return cls(_expected_seq=after_seq + 1, _prev_hash=prev_hash, checkpoints=dict(checkpoints or {}))

    @property
    def last_seq(self) -> int:
        """The last record that checked out."""
        return self._expected_seq - 1

    @property
    def last_hash(self) -> str:
        """Its hash (where a resumed walk continues)."""
        return self._prev_hash

    def finish(self, head_seq: int | None = None) -> VerifyResult:
        """The result of a walk that reached the end: a checkpoint past the last record means a removed tail."""
        if self._broken is None:
            beyond = [seq for seq in self.checkpoints if seq > self.last_seq]
            if beyond and (head_seq is None or head_seq <= self.last_seq):
                seq = min(beyond)
                self._broken = (
                    self.last_seq + 1,
                    f"tail_removed: a signed checkpoint covers seq {seq}, the ledger ends at seq {self.last_seq}",
                )
        return self.result()

    @property
    def broken(self) -> bool:
        """Whether a broken link was found (further records are ignored)."""
        return self._broken is not None

    def feed(self, record: LedgerRecord) -> bool:
        """Check the next record; False once the chain is broken."""
        if self._broken is not None:
            return False
        self.checked += 1
        expected = self._expected_seq
        if record.seq != expected:
            reason = (
                f"seq_gap: expected ledger seq {expected}, found {record.seq} "
                "(a record was removed, inserted or reordered)"
            )
        elif record.prev_hash != self._prev_hash:
            reason = "prev_hash_mismatch: the record does not link to the hash of the record before it"
        elif not self._hash_matches(record):
            reason = "row_hash_mismatch: the record's content is not what was hashed"
        elif record.seq in self.checkpoints and self.checkpoints[record.seq] != record.row_hash:
            reason = (
                "checkpoint_mismatch: the chain is intact up to here but its hash differs from the signed "
                f"checkpoint at seq {record.seq} (records at or before it were rewritten with recomputed hashes)"
            )
        else:
            self._expected_seq += 1
            self._prev_hash = record.row_hash
            return True
        self._broken = (expected, reason)
        return False

    def _hash_matches(self, record: LedgerRecord) -> bool:
        try:
            return record.row_hash == row_hash(self._prev_hash, record.seq, record)
        except ValueError:
            # A stored value no canonical JSON can carry (e.g. an integer past 2**53) was never
            # hashed by the writer: the record was changed after it was written.
            return False

    def feed_many(self, records: Sequence[LedgerRecord]) -> bool:
        """Check records in order; False once the chain is broken."""
        return all(self.feed(record) for record in records)

    def result(self) -> VerifyResult:
        """What was found so far."""
        if self._broken is None:
            return VerifyResult(ok=True, checked=self.checked, last_seq=self.last_seq, last_hash=self.last_hash)
        seq, reason = self._broken
        return VerifyResult(
            ok=False,
            checked=self.checked,
            first_broken_seq=seq,
            reason=reason,
            last_seq=self.last_seq,
            last_hash=self.last_hash,
        )


def verify(records: Iterable[LedgerRecord]) -> VerifyResult:
    """Walk the chain from genesis; name the first broken link."""
    verifier = ChainVerifier()
    for record in records:
        if not verifier.feed(record):
            break
    return verifier.result()
