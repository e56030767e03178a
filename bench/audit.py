"""`make bench-audit`: the audit ledger at 1,000,000 entries, beside the targets of DESIGN §10.

Starts its own nats-server and PostgreSQL in a temporary folder (as `make run` does), then:

1. ingest through NATS: a burst of messages is published to a domain stream, sourced into CAPTURE,
   and the ledger writer (`LedgerWriter` + `SqlLedgerAppender`, as the audit service runs them)
   appends them; the rate is messages in the ledger per second of the writer's run;
2. fills the ledger to the size asked for (1,000,000 by default) through the writer's own append
   path (`SqlLedgerAppender.append`: lock, head, plan, chain, insert, one transaction per 1,000
   synthetic CloudEvents messages of ~0.6 kB), without NATS, so the size is reached in minutes;
3. signs a checkpoint of the head, then `verify` walks the whole chain against it (the query's code);
4. times `get_trail` (the query's code, in a unit of work) for 200 random correlation ids.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import nats

from deploy.embedded import start_nats, start_postgres
from deploy.provision import provision
from services.audit.adapters.keys import KeyRing
from services.audit.adapters.ledger_writer import LedgerWriter, PullSubscription
from services.audit.adapters.repository import SqlLedgerAppender
from services.audit.adapters.tables import metadata
from services.audit.adapters.uow import SqlAuditUnitOfWork
from services.audit.domain.checkpoints import Checkpoint, sign_checkpoint
from services.audit.domain.ledger import CapturedMessage
from services.audit.service_layer import views
from services.audit.service_layer.commands.checkpoints import CheckpointCommands
from shared.contracts.audit import GetTrail, VerifyLedger
from shared.db.engine import make_engine, make_session_factory
from shared.db.migrate import upgrade
from shared.db.tables import messaging_tables
from shared.topology import CAPTURE_STREAM, consumer, inbox_prefix

ROOT = Path(__file__).resolve().parents[1]
TARGET_INGEST = 10_000  # messages per second
TARGET_VERIFY_S = 30.0  # for 1,000,000 entries
TARGET_TRAIL_MS = 50.0  # at 1,000,000 entries
PER_FLOW = 15  # messages a decision's flow leaves under one correlation id
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _headers(n: int, correlation_id: str) -> dict[str, str]:
    return {
        "ce-specversion": "1.0",
        "ce-id": f"{uuid.UUID(int=n)}",
        "ce-source": "/raderwerk/meetings",
        "ce-type": "be.raderwerk.meetings.decision.adopted.v1",
        "ce-time": "2026-01-01T00:00:00Z",
        "ce-correlationid": correlation_id,
        "ce-entity": "gemeente",
        "ce-confidentiality": "public",
        "content-type": "application/json",
        "Nats-Msg-Id": f"{uuid.UUID(int=n)}",
    }


def _body(n: int) -> bytes:
    return (
        f'{{"decision_id": "{uuid.UUID(int=n)}", "item_id": "{uuid.UUID(int=n + 1)}", "body": "college",'
        f' "entity": "gemeente", "kind": "decision", "title": "Benchmark decision {n}", "adopted_at":'
        f' "2026-01-01T10:00:00Z", "financial_impact": {{"amount": "1250.00", "credit_key": "0119-00/6140000"}}}}'
    ).encode()


def _correlation(n: int) -> str:
    return f"bench-flow-{n // PER_FLOW:08d}"


def _captured(capture_seq: int) -> CapturedMessage:
    return CapturedMessage.from_nats(
        capture_seq=capture_seq,
        subject="meetings.decision.adopted",
        headers={**_headers(capture_seq, _correlation(capture_seq)), "Nats-Stream-Source": f"MEETINGS {capture_seq}"},
        data=_body(capture_seq),
        captured_at=T0 + dt.timedelta(milliseconds=capture_seq),
    )


async def _ingest_through_nats(url: str, passwords: dict[str, str], appender: SqlLedgerAppender, count: int) -> float:
    admin = await nats.connect(url, user="provisioner", password=passwords["provisioner"])
    await provision(admin)
    meetings = await nats.connect(
        url, user="meetings", password=passwords["meetings"], inbox_prefix=inbox_prefix("meetings")
    )
    js = meetings.jetstream()
    for start in range(1, count + 1, 500):
        await asyncio.gather(
            *(
                js.publish("meetings.decision.adopted", _body(n), headers=_headers(n, _correlation(n)))
                for n in range(start, min(start + 500, count + 1))
            )
        )
    # Everything is in CAPTURE before the writer starts: the rate is the writer's alone.
    while (await admin.jetstream().stream_info(CAPTURE_STREAM)).state.messages < count:  # noqa: ASYNC110
        await asyncio.sleep(0.05)  # the server's count, polled: there is no event to wait on
    await meetings.close()
    await admin.close()
    audit = await nats.connect(url, user="audit", password=passwords["audit"], inbox_prefix=inbox_prefix("audit"))
    spec = consumer("audit_ledger")

    async def subscribe() -> PullSubscription:
        sub: PullSubscription = await audit.jetstream().pull_subscribe_bind(durable=spec.durable, stream=CAPTURE_STREAM)
        return sub

    writer = LedgerWriter(appender, subscribe, batch=spec.batch_size, fetch_timeout_s=0.2)
    start_time = time.perf_counter()
    while writer.appended_total < count:
        await writer.step()
    elapsed = time.perf_counter() - start_time
    await writer.close()
    await audit.close()
    return count / elapsed


async def _bench(url: str, passwords: dict[str, str], dsn: str, *, entries: int, burst: int, keys: Path) -> None:
    schema = "bench_audit"
    await asyncio.to_thread(upgrade, ROOT / "services" / "audit" / "migrations", dsn, schema)
    engine = make_engine(dsn, schema, pool_size=4)
    sessions = make_session_factory(engine)
    tables = messaging_tables(metadata)
    appender = SqlLedgerAppender(sessions)

    ingest = await _ingest_through_nats(url, passwords, appender, burst)
    print(
        f"ingest through NATS (CAPTURE → writer)    {ingest:>10,.0f} msg/s   target ≥ {TARGET_INGEST:,}  "
        f"({burst:,} msgs)"
    )

    start_time = time.perf_counter()
    filled = burst
    last_report = start_time
    while filled < entries:
        batch = [_captured(n) for n in range(filled + 1, min(filled + 1000, entries) + 1)]
        plan = await appender.append(batch)
        filled += len(plan.write)
        if time.perf_counter() - last_report > 15:
            last_report = time.perf_counter()
            print(f"  … {filled:,} entries")
    fill_rate = (entries - burst) / (time.perf_counter() - start_time)
    print(f"append path alone (1,000 a transaction)   {fill_rate:>10,.0f} msg/s   (filled to {entries:,} this way)")

    ring = KeyRing.open(keys, create=True)

    def sign(seq: int, head_hash: str, at: dt.datetime) -> Checkpoint:
        return sign_checkpoint(ring.signing_key(), seq, head_hash, at)

    async with SqlAuditUnitOfWork(sessions, tables) as uow:
        await CheckpointCommands(sign, lambda: dt.datetime.now(dt.UTC)).checkpoint(uow)
        await uow.commit()

    start_time = time.perf_counter()
    async with SqlAuditUnitOfWork(sessions, tables) as uow:
        reply = await views.LedgerViews(ring.public_keys).verify_ledger(uow, VerifyLedger(command_id="bench-verify"))
    verify_s = time.perf_counter() - start_time
    assert reply.ok, reply.reason
    print(
        f"verify, {reply.checked:,} entries + checkpoint   {verify_s:>9.1f} s  "
        f"({reply.checked / verify_s:,.0f} entries/s)   target < {TARGET_VERIFY_S:.0f} s"
    )

    flows = entries // PER_FLOW
    times: list[float] = []
    rng = random.Random(7)
    for _ in range(200):
        flow = f"bench-flow-{rng.randrange(flows):08d}"
        start_time = time.perf_counter()
        async with SqlAuditUnitOfWork(sessions, tables) as uow:
            trail = await views.get_trail(uow, GetTrail(command_id="bench-trail", correlation_id=flow))
        times.append((time.perf_counter() - start_time) * 1000)
        assert trail.records
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(
        f"trail by correlation id ({PER_FLOW} records)    p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, "
        f"max {times[-1]:.1f} ms   target < {TARGET_TRAIL_MS:.0f} ms"
    )
    await engine.dispose()


def main() -> None:
    """Run the audit benchmark in a temporary data folder and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=1_000_000, help="ledger size for verify and trail")
    parser.add_argument("--burst", type=int, default=20_000, help="messages ingested through NATS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rw-bench-audit-") as tmp:
        nats_proc = start_nats(Path(tmp) / "nats", port=None)
        pg = start_postgres(Path(tmp) / "pg")
        try:
            print(
                f"raderwerk audit bench · {args.entries:,} ledger entries · nats-server with sync_interval=always · "
                "PostgreSQL 18, one 2-core machine"
            )
            print(
                f"ingest: {args.burst:,} messages published to MEETINGS, sourced into CAPTURE, appended by the ledger "
                f"writer; then filled to {args.entries:,} entries through the writer's append path "
                "(SqlLedgerAppender.append, no NATS)"
            )
            keys = Path(tmp) / "keys"
            asyncio.run(
                _bench(nats_proc.url, nats_proc.passwords, pg.dsn, entries=args.entries, burst=args.burst, keys=keys)
            )
        finally:
            nats_proc.stop()
            pg.stop()


if __name__ == "__main__":
    main()
