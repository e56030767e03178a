"""`make bench-relay`: the outbox relay against raw JetStream publishing, on this machine.

Starts its own nats-server and PostgreSQL in a temporary folder (the same as `make run`), so the
figures include `sync_interval: always`, real permissions and a real database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import time
import uuid
from pathlib import Path

import nats

from deploy.embedded import start_nats, start_postgres
from deploy.provision import provision
from services.meetings.adapters.tables import tables
from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.domain.events import AgendaItemProposed
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.db.engine import make_engine, make_session_factory
from shared.db.migrate import upgrade
from shared.messaging.relay import OutboxRelay
from shared.topology import inbox_prefix
from shared.vocabulary import DecisionKind

ROOT = Path(__file__).resolve().parents[1]
COUNT = 5000


def _event() -> AgendaItemProposed:
    return AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title="Benchmark item",
        kind=DecisionKind.DECISION,
        confidentiality=Confidentiality.PUBLIC,
        financial_impact=None,
        proposed_at=dt.datetime.now(dt.UTC),
    )


async def _bench(nats_url: str, passwords: dict[str, str], dsn: str) -> None:
    admin = await nats.connect(nats_url, user="provisioner", password=passwords["provisioner"])
    await provision(admin)
    await admin.close()
    nc = await nats.connect(
        nats_url, user="meetings", password=passwords["meetings"], inbox_prefix=inbox_prefix("meetings")
    )
    js = nc.jetstream()
    payload = SqlMeetingsUnitOfWork.outgoing(_event()).event.model_dump_json().encode()

    start = time.perf_counter()
    for _ in range(1000):
        await js.publish("meetings.agenda_item.proposed", payload, headers={"Nats-Msg-Id": str(uuid.uuid4())})
    sequential = 1000 / (time.perf_counter() - start)

    start = time.perf_counter()
    for _ in range(COUNT // 200):
        await asyncio.gather(
            *(
                js.publish("meetings.agenda_item.proposed", payload, headers={"Nats-Msg-Id": str(uuid.uuid4())})
                for _ in range(200)
            )
        )
    pipelined = COUNT / (time.perf_counter() - start)

    schema = "bench_meetings"
    await asyncio.to_thread(upgrade, ROOT / "services" / "meetings" / "migrations", dsn, schema)
    engine = make_engine(dsn, schema)
    sessions = make_session_factory(engine)
    start = time.perf_counter()
    for _ in range(COUNT // 500):
        async with SqlMeetingsUnitOfWork(sessions, tables) as uow:
            for _ in range(500):
                uow.emit(_event())
            await uow.commit()
    outbox_write = COUNT / (time.perf_counter() - start)

    relay = OutboxRelay(sessions, tables, lambda: js, batch=200)
    start = time.perf_counter()
    sent = 0
    while batch := await relay.drain_once():
        sent += batch
    relayed = sent / (time.perf_counter() - start)
    await engine.dispose()
    await nc.close()

    print(f"JetStream publish, sequential PubAck      {sequential:>9,.0f} msg/s")
    print(f"JetStream publish, 200 in flight          {pipelined:>9,.0f} msg/s")
    print(f"outbox write (500 events a transaction)   {outbox_write:>9,.0f} msg/s")
    print(f"outbox relay (batch 200, marks sent)      {relayed:>9,.0f} msg/s  ({sent} events)")
    print(f"relay / raw pipelined publish             {relayed / pipelined:>9.0%}")


def main() -> None:
    """Run the benchmark in a temporary data folder and print the figures."""
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as tmp:
        nats_proc = start_nats(Path(tmp) / "nats", port=None)
        pg = start_postgres(Path(tmp) / "pg")
        try:
            print(f"raderwerk bench · {COUNT} events · nats-server with sync_interval=always · PostgreSQL 18")
            asyncio.run(_bench(nats_proc.url, nats_proc.passwords, pg.dsn))
        finally:
            nats_proc.stop()
            pg.stop()


if __name__ == "__main__":
    main()
