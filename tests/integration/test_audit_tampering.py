"""Tampering with the ledger as the database's superuser is caught by `verify` (and the CLI's verify).

Each test writes a ledger through the writer's code path, signs a checkpoint, then changes the
table as a superuser with the append-only trigger bypassed (`session_replication_role = replica`):
a changed payload, a deleted row, and a tail rewritten with recomputed hashes starting before the
newest checkpoint. The first two break the chain itself; the last keeps the chain intact and is
caught only by the signed checkpoint.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import uuid
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # no stubs; used only to act as the superuser
import pytest

from services.audit.adapters.keys import KeyRing
from services.audit.adapters.repository import SqlLedgerAppender, row_from_record
from services.audit.adapters.tables import metadata
from services.audit.adapters.uow import SqlAuditUnitOfWork
from services.audit.domain.checkpoints import Checkpoint, sign_checkpoint
from services.audit.domain.ledger import CapturedMessage, ChainHead, chain
from services.audit.service_layer.commands.checkpoints import CheckpointCommands
from services.audit.service_layer.views import LedgerViews
from shared.clock import FixedClock
from shared.contracts.audit import VerifyLedger, VerifyLedgerReply
from shared.db.engine import make_engine, make_session_factory
from shared.db.migrate import upgrade
from shared.db.tables import messaging_tables

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
SIZE, CHECKPOINT_AT = 40, 30


def _message(seq: int, body: str = "") -> CapturedMessage:
    return CapturedMessage.from_nats(
        capture_seq=seq,
        subject="meetings.decision.adopted",
        headers={"ce-id": f"id-{seq}", "ce-correlationid": "corr-1", "ce-source": "/raderwerk/meetings"},
        data=(body or f'{{"n": {seq}}}').encode(),
        captured_at=T0 + dt.timedelta(seconds=seq),
    )


@dataclasses.dataclass
class Ledger:
    dsn: str
    schema: str
    ring: KeyRing

    async def verify(self) -> VerifyLedgerReply:
        engine = make_engine(self.dsn, self.schema, pool_size=1)
        try:
            async with SqlAuditUnitOfWork(make_session_factory(engine), messaging_tables(metadata)) as uow:
                query = VerifyLedger(command_id="cmd-verify1")
                return await LedgerViews(self.ring.public_keys).verify_ledger(uow, query)
        finally:
            await engine.dispose()

    async def as_superuser(self, *statements: str) -> None:
        conn = await asyncpg.connect(self.dsn)
        try:
            async with conn.transaction():
                await conn.execute("SET LOCAL session_replication_role = replica")  # the trigger is bypassed
                await conn.execute(f"SET LOCAL search_path = {self.schema}")
                for statement in statements:
                    await conn.execute(statement)
        finally:
            await conn.close()


@pytest.fixture
async def ledger(pg_dsn: str, tmp_path: Path) -> Ledger:
    schema = f"tamper_{uuid.uuid4().hex[:8]}"
    await asyncio.to_thread(upgrade, ROOT / "services" / "audit" / "migrations", pg_dsn, schema)
    ring = KeyRing.open(tmp_path / "audit-keys", create=True)
    engine = make_engine(pg_dsn, schema, pool_size=1)
    sessions = make_session_factory(engine)
    try:
        await SqlLedgerAppender(sessions).append([_message(i) for i in range(1, CHECKPOINT_AT + 1)])

        def sign(seq: int, head_hash: str, at: dt.datetime) -> Checkpoint:
            return sign_checkpoint(ring.signing_key(), seq, head_hash, at)

        async with SqlAuditUnitOfWork(sessions, messaging_tables(metadata)) as uow:
            assert await CheckpointCommands(sign, FixedClock(T0)).checkpoint(uow) is not None
            await uow.commit()
        await SqlLedgerAppender(sessions).append([_message(i) for i in range(CHECKPOINT_AT + 1, SIZE + 1)])
    finally:
        await engine.dispose()
    return Ledger(pg_dsn, schema, ring)


async def test_the_untouched_ledger_verifies_against_its_checkpoint(ledger: Ledger) -> None:
    reply = await ledger.verify()
    assert (reply.ok, reply.checked, reply.checkpoints, reply.newest_checkpoint_seq) == (True, SIZE, 1, CHECKPOINT_AT)


async def test_a_payload_changed_by_the_superuser_is_named(ledger: Ledger) -> None:
    await ledger.as_superuser("UPDATE ledger SET payload = '{\"n\": 999}' WHERE seq = 12")
    reply = await ledger.verify()
    assert (reply.ok, reply.first_broken_seq) == (False, 12)
    assert reply.reason.startswith("row_hash_mismatch")


async def test_a_row_deleted_by_the_superuser_is_named(ledger: Ledger) -> None:
    await ledger.as_superuser("DELETE FROM ledger WHERE seq = 7")
    reply = await ledger.verify()
    assert (reply.ok, reply.first_broken_seq) == (False, 7)
    assert reply.reason.startswith("seq_gap")


async def test_the_tail_rewritten_with_recomputed_hashes_is_named_through_the_checkpoint(ledger: Ledger) -> None:
    # Rewrite from seq 21 (before the checkpoint at 30) to the end, re-chained: the chain itself holds.
    conn = await asyncpg.connect(ledger.dsn)
    try:
        row = await conn.fetchrow(f"SELECT seq, row_hash, capture_seq FROM {ledger.schema}.ledger WHERE seq = 20")
    finally:
        await conn.close()
    head = ChainHead(row["seq"], row["row_hash"], row["capture_seq"])
    forged, _ = chain(head, [_message(i, '{"n": "forged"}') for i in range(21, SIZE + 1)])
    values = []
    for record in forged:
        r = row_from_record(record)
        values.append(
            f"({r['seq']}, {r['capture_seq']}, 'meetings.decision.adopted', 'id-{r['capture_seq']}', 'corr-1', "
            f"'meetings', '{_json(r['headers'])}', '{r['payload']}', 'utf-8', "
            f"'{r['captured_at'].isoformat()}', '{r['prev_hash']}', '{r['row_hash']}')"
        )
    await ledger.as_superuser(
        "DELETE FROM ledger WHERE seq > 20",
        "INSERT INTO ledger (seq, capture_seq, subject, message_id, correlation_id, service, headers, payload,"
        " payload_encoding, captured_at, prev_hash, row_hash) VALUES " + ", ".join(values),
    )
    reply = await ledger.verify()
    assert (reply.ok, reply.first_broken_seq) == (False, CHECKPOINT_AT)
    assert reply.reason.startswith("checkpoint_mismatch")


def _json(headers: dict[str, str]) -> str:
    return json.dumps(headers).replace("'", "''")
