"""Signed checkpoints: a rewrite of the chain with recomputed hashes is caught at the checkpoint."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from services.audit.adapters.keys import KeyRing, MissingSigningKey
from services.audit.domain.checkpoints import Checkpoint, CheckpointRecorded, check_signature, sign_checkpoint
from services.audit.domain.ledger import ChainHead, chain
from services.audit.service_layer import views
from services.audit.service_layer.commands.checkpoints import CheckpointCommands
from shared.clock import FixedClock
from shared.contracts.audit import VerifyLedger, VerifyLedgerReply
from tests.unit.audit.fakes import T0, FakeAuditUnitOfWork, captured


def _ring(tmp_path: Path) -> KeyRing:
    return KeyRing.open(tmp_path / "keys", create=True)


def _commands(ring: KeyRing) -> CheckpointCommands:
    def sign(seq: int, head_hash: str, at: dt.datetime) -> Checkpoint:
        return sign_checkpoint(ring.signing_key(), seq, head_hash, at)

    return CheckpointCommands(sign, FixedClock(T0))


async def _ledger_with_checkpoint(ring: KeyRing, size: int = 6, at: int = 4) -> FakeAuditUnitOfWork:
    uow = FakeAuditUnitOfWork()
    await uow.ledger.append([captured(i) for i in range(1, at + 1)])
    assert await _commands(ring).checkpoint(uow) is not None
    await uow.ledger.append([captured(i) for i in range(at + 1, size + 1)])
    return uow


async def _verify(uow: FakeAuditUnitOfWork, ring: KeyRing) -> VerifyLedgerReply:
    return await views.LedgerViews(ring.public_keys).verify_ledger(uow, VerifyLedger(command_id="cmd-00001"))


async def test_a_checkpoint_signs_the_head_once_and_is_published(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    uow = FakeAuditUnitOfWork()
    await uow.ledger.append([captured(1), captured(2)])
    commands = _commands(ring)
    checkpoint = await commands.checkpoint(uow)
    assert checkpoint is not None
    assert (checkpoint.seq, checkpoint.head_hash) == (2, uow.ledger.records[-1].row_hash)
    assert check_signature(checkpoint, ring.public_keys()) is None
    assert uow.events == [CheckpointRecorded(checkpoint)]
    assert await commands.checkpoint(uow) is None  # the head did not move


async def test_an_intact_ledger_verifies_against_its_checkpoints(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    reply = await _verify(await _ledger_with_checkpoint(ring), ring)
    assert (reply.ok, reply.checked, reply.checkpoints, reply.newest_checkpoint_seq) == (True, 6, 1, 4)


async def test_a_tail_rewritten_with_recomputed_hashes_before_the_checkpoint_is_caught_there(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    uow = await _ledger_with_checkpoint(ring)
    # The owner of the database changes record 3 and re-hashes everything after it: the chain holds.
    records = sorted(uow.ledger.records, key=lambda r: r.seq)
    head = ChainHead(records[1].seq, records[1].row_hash, records[1].capture_seq)
    forged = [dataclasses.replace(captured(r.capture_seq), payload='{"x": 2}') for r in records[2:]]
    rewritten, _ = chain(head, forged)
    uow.ledger.records = records[:2] + rewritten
    reply = await _verify(uow, ring)
    assert (reply.ok, reply.first_broken_seq) == (False, 4)
    assert reply.reason.startswith("checkpoint_mismatch")


async def test_a_tail_removed_past_a_checkpoint_is_caught(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    uow = await _ledger_with_checkpoint(ring)
    uow.ledger.records = sorted(uow.ledger.records, key=lambda r: r.seq)[:3]
    reply = await _verify(uow, ring)
    assert (reply.ok, reply.first_broken_seq) == (False, 4)
    assert reply.reason.startswith("tail_removed")


async def test_a_forged_checkpoint_is_refused(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    uow = await _ledger_with_checkpoint(ring)
    real = uow.ledger.checkpoint_rows[0]
    uow.ledger.checkpoint_rows[0] = dataclasses.replace(real, head_hash="f" * 64)
    reply = await _verify(uow, ring)
    assert (reply.ok, reply.first_broken_seq) == (False, 4)
    assert reply.reason.startswith("bad_signature")
    other = KeyRing.open(tmp_path / "elsewhere", create=True)
    uow.ledger.checkpoint_rows[0] = sign_checkpoint(other.signing_key(), real.seq, real.head_hash, T0)
    assert (await _verify(uow, ring)).reason.startswith("unknown_key")


async def test_rotation_keeps_earlier_checkpoints_verifiable(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    uow = await _ledger_with_checkpoint(ring)
    first = ring.current_id()
    assert ring.rotate() != first
    second = await _commands(ring).checkpoint(uow)
    assert second is not None
    assert second.key_id == ring.current_id() != first
    assert set(ring.public_keys()) == {first, ring.current_id()}
    reply = await _verify(uow, ring)
    assert (reply.ok, reply.checkpoints) == (True, 2)


async def test_a_walk_in_stretches_ends_where_a_whole_walk_ends(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    uow = await _ledger_with_checkpoint(ring, size=10, at=7)
    walker = views.LedgerViews(ring.public_keys)
    after, prev, checked = 0, "0" * 64, 0
    while True:
        reply = await walker.verify_ledger(
            uow, VerifyLedger(command_id="cmd-00001", after_seq=after, prev_hash=prev, limit=3)
        )
        assert reply.ok
        checked += reply.checked
        after, prev = reply.last_seq, reply.last_hash
        if after >= reply.head_seq:
            break
    assert (checked, after) == (10, 10)


def test_a_missing_key_is_refused_where_it_may_not_be_created(tmp_path: Path) -> None:
    with pytest.raises(MissingSigningKey, match="no audit signing key"):
        KeyRing.open(tmp_path / "none", create=False)
    assert not (tmp_path / "none").exists()
