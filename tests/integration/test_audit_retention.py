"""Retention: a closed period moves to a compressed archive file that verify still checks.

The archive runs as the ledger's owner (through the migration login, as an operator runs it); the
runtime role can delete nothing, and the owner can delete only rows an archive covers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import uuid
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # no stubs; used only to act as the owner
import pytest
from pydantic import SecretStr

from services.audit.adapters.archive import ArchiveFolder
from services.audit.adapters.keys import KeyRing
from services.audit.adapters.repository import SqlLedgerAppender
from services.audit.adapters.tables import metadata
from services.audit.adapters.uow import SqlAuditUnitOfWork
from services.audit.domain.checkpoints import Checkpoint, sign_checkpoint
from services.audit.domain.ledger import GENESIS_HASH, CapturedMessage
from services.audit.entrypoints.archive import archive_before
from services.audit.service_layer.commands.checkpoints import CheckpointCommands
from services.audit.service_layer.views import LedgerViews
from shared.clock import FixedClock
from shared.contracts.audit import VerifyLedger, VerifyLedgerReply
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
from tests.integration.processes import ROOT, prepare_runtime_schema

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _message(seq: int) -> CapturedMessage:
    return CapturedMessage.from_nats(
        capture_seq=seq,
        subject="finance.commitment.recorded",
        headers={"ce-id": f"id-{seq}", "ce-correlationid": f"corr-{seq // 5}", "ce-source": "/raderwerk/finance"},
        data=f'{{"n": {seq}}}'.encode(),
        captured_at=T0 + dt.timedelta(days=seq),
    )


class Ledger:
    def __init__(self, dsn: str, app_dsn: str, password: SecretStr, schema: str, tmp: Path) -> None:
        self.dsn, self.app_dsn, self.password, self.schema = dsn, app_dsn, password, schema
        self.ring = KeyRing.open(tmp / "keys", create=True)
        self.folder = tmp / "archive"

    async def append(self, first: int, last: int, *, checkpoint: bool) -> None:
        engine = make_engine(self.app_dsn, self.schema, pool_size=1, password=self.password)
        sessions = make_session_factory(engine)
        try:
            await SqlLedgerAppender(sessions).append([_message(i) for i in range(first, last + 1)])
            if checkpoint:

                def sign(seq: int, head_hash: str, at: dt.datetime) -> Checkpoint:
                    return sign_checkpoint(self.ring.signing_key(), seq, head_hash, at)

                async with SqlAuditUnitOfWork(sessions, messaging_tables(metadata)) as uow:
                    await CheckpointCommands(sign, FixedClock(T0)).checkpoint(uow)
                    await uow.commit()
        finally:
            await engine.dispose()

    async def verify(
        self, *, after_seq: int = 0, prev_hash: str = GENESIS_HASH, limit: int | None = None
    ) -> VerifyLedgerReply:
        engine = make_engine(self.app_dsn, self.schema, pool_size=1, password=self.password)
        try:
            async with SqlAuditUnitOfWork(make_session_factory(engine), messaging_tables(metadata)) as uow:
                views = LedgerViews(self.ring.public_keys, ArchiveFolder(self.folder))
                query = VerifyLedger(command_id="cmd-verify1", after_seq=after_seq, prev_hash=prev_hash, limit=limit)
                return await views.verify_ledger(uow, query)
        finally:
            await engine.dispose()

    async def rows(self) -> list[int]:
        conn = await asyncpg.connect(self.dsn)
        try:
            return [r["seq"] for r in await conn.fetch(f'SELECT seq FROM "{self.schema}".ledger ORDER BY seq')]
        finally:
            await conn.close()


@pytest.fixture
async def ledger(pg_dsn: str, tmp_path: Path) -> Ledger:
    schema = f"t_arch_{uuid.uuid4().hex[:8]}"
    app_dsn, password = await asyncio.to_thread(
        prepare_runtime_schema, ROOT / "services" / "audit" / "migrations", pg_dsn, schema
    )
    return Ledger(pg_dsn, app_dsn, password, schema, tmp_path)


async def test_a_closed_period_moves_to_an_archive_file_and_verify_walks_it(ledger: Ledger) -> None:
    await ledger.append(1, 20, checkpoint=True)
    await ledger.append(21, 30, checkpoint=False)
    done = await archive_before(ledger.dsn, ledger.schema, ledger.folder, T0 + dt.timedelta(days=15, hours=12))
    assert done is not None
    assert (done.first_seq, done.last_seq, done.records, done.checkpoint_seq) == (1, 15, 15, 20)
    assert await ledger.rows() == list(range(16, 31))
    with gzip.open(ledger.folder / done.file_name, "rt") as handle:
        assert sum(1 for _ in handle) == 15
    whole = await ledger.verify()
    assert (whole.ok, whole.checked, whole.head_seq) == (True, 30, 30)
    # In stretches, as `rw audit verify` walks: the archives first, then the table.
    first = await ledger.verify(after_seq=0, prev_hash=GENESIS_HASH, limit=10)
    assert (first.ok, first.last_seq) == (True, 15)
    rest = await ledger.verify(after_seq=first.last_seq, prev_hash=first.last_hash, limit=100)
    assert (rest.ok, rest.last_seq) == (True, 30)
    # A later period goes on from where the first ended; the newest record always stays.
    await ledger.append(31, 40, checkpoint=True)
    later = await archive_before(ledger.dsn, ledger.schema, ledger.folder, T0 + dt.timedelta(days=100))
    assert later is not None
    assert (later.first_seq, later.last_seq) == (16, 39)
    assert await ledger.rows() == [40]
    assert (await ledger.verify()).ok


async def test_nothing_uncovered_by_a_checkpoint_is_archived(ledger: Ledger) -> None:
    await ledger.append(1, 10, checkpoint=False)
    assert await archive_before(ledger.dsn, ledger.schema, ledger.folder, T0 + dt.timedelta(days=100)) is None
    assert await ledger.rows() == list(range(1, 11))


async def test_a_changed_or_missing_archive_file_is_named(ledger: Ledger) -> None:
    await ledger.append(1, 20, checkpoint=True)
    done = await archive_before(ledger.dsn, ledger.schema, ledger.folder, T0 + dt.timedelta(days=10, hours=12))
    assert done is not None
    path = ledger.folder / done.file_name
    with gzip.open(path, "rt") as handle:
        lines = handle.readlines()
    with gzip.open(path, "wt") as handle:
        handle.writelines([lines[0].replace('\\"n\\": 1}', '\\"n\\": 9}'), *lines[1:]])
    changed = await ledger.verify()
    assert (changed.ok, changed.first_broken_seq) == (False, 1)
    assert changed.reason.startswith("archive_changed")
    path.unlink()
    missing = await ledger.verify()
    assert missing.reason.startswith("archive_missing")


async def test_only_the_owner_deletes_and_only_what_an_archive_covers(ledger: Ledger) -> None:
    await ledger.append(1, 5, checkpoint=True)
    app = await asyncpg.connect(ledger.app_dsn, password=ledger.password.get_secret_value())
    owner = await asyncpg.connect(ledger.dsn)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app.execute(f'DELETE FROM "{ledger.schema}".ledger WHERE seq = 1')
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app.execute(f'DELETE FROM "{ledger.schema}".archives')
        await owner.execute(f'SET ROLE "{ledger.schema}_owner"')
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await owner.execute(f'DELETE FROM "{ledger.schema}".ledger WHERE seq = 1')
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await owner.execute(f'UPDATE "{ledger.schema}".archives SET records = 0')
    finally:
        await app.close()
        await owner.close()
    assert await ledger.rows() == [1, 2, 3, 4, 5]
