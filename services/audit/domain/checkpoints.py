"""Signed checkpoints of the ledger: (sequence, head hash, time) signed with an Ed25519 key.

The hash chain shows that no record was changed, removed or inserted *unless* everything after
the change was rewritten with recomputed hashes, which whoever owns the database can do. A
checkpoint fixes the head at a sequence with a signature made by a key that is kept outside the
database (a file the service reads, `.rw/audit-keys/` in development); rewriting any record at or
before a checkpoint's sequence changes the hash at that sequence, and no new signature can be made
without the key. The signed text is canonical and versioned:

    raderwerk-audit-checkpoint/v1|<sequence>|<head hash>|<signed_at, RFC 3339 UTC with microseconds>

Verification uses public keys kept beside the private one, never the public key stored in the
database with the checkpoint (a forger would store his own). Rotation writes a new key pair and
keeps every earlier public key, so old checkpoints stay verifiable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from shared.kernel import DomainEvent

__all__ = [
    "CHECKPOINT_FORMAT",
    "Checkpoint",
    "CheckpointProblem",
    "CheckpointRecorded",
    "check_signature",
    "key_id_of",
    "public_key_bytes",
    "sign_checkpoint",
    "signed_text",
]

CHECKPOINT_FORMAT = "raderwerk-audit-checkpoint/v1"


def _timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a checkpoint's time must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def signed_text(seq: int, head_hash: str, signed_at: dt.datetime) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    return f"{CHECKPOINT_FORMAT}|{seq}|{head_hash}|{_timestamp(signed_at)}".encode("ascii")


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key."""
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(key: Ed25519PublicKey) -> str:
    """A short, stable name of a public key: the first 16 hex digits of sha256 of its raw bytes."""
    return hashlib.sha256(public_key_bytes(key)).hexdigest()[:16]


@dataclass(frozen=True, slots=True, kw_only=True)
class Checkpoint:
    """The ledger's head at `seq`, signed."""

    seq: int
    head_hash: str
    signed_at: dt.datetime
    key_id: str
    """Which key signed it (`key_id_of` its public key)."""
    signature: str
    """Ed25519 signature of `signed_text`, lower-case hex."""


def sign_checkpoint(key: Ed25519PrivateKey, seq: int, head_hash: str, signed_at: dt.datetime) -> Checkpoint:
    """Sign the head `(seq, head_hash)` at `signed_at`."""
    signature = key.sign(signed_text(seq, head_hash, signed_at))
    return Checkpoint(
        seq=seq,
        head_hash=head_hash,
        signed_at=signed_at.astimezone(dt.UTC),
        key_id=key_id_of(key.public_key()),
        signature=signature.hex(),
    )


@dataclass(frozen=True, slots=True)
class CheckpointProblem:
    """Why a checkpoint cannot be trusted or does not match the ledger."""

    seq: int
    reason: str


def check_signature(checkpoint: Checkpoint, public_keys: Mapping[str, Ed25519PublicKey]) -> CheckpointProblem | None:
    """None when the checkpoint was signed by one of `public_keys` (by key id); the problem otherwise."""
    key = public_keys.get(checkpoint.key_id)
    if key is None:
        return CheckpointProblem(
            checkpoint.seq, f"unknown_key: checkpoint at seq {checkpoint.seq} names key {checkpoint.key_id}, not ours"
        )
    try:
        key.verify(
            bytes.fromhex(checkpoint.signature), signed_text(checkpoint.seq, checkpoint.head_hash, checkpoint.signed_at)
        )
    except (InvalidSignature, ValueError):
        return CheckpointProblem(
            checkpoint.seq,
            f"bad_signature: checkpoint at seq {checkpoint.seq} is not signed by key {checkpoint.key_id}",
        )
    return None


@dataclass(frozen=True)
class CheckpointRecorded(DomainEvent):
    """A checkpoint was signed and stored."""

    checkpoint: Checkpoint
