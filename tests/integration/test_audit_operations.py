"""The audit tools on the real stack: seven service processes, nats-server and PostgreSQL.

* After the demo's flow, the trail holds exactly the messages of its correlation id in the source
  streams, and a consume record for every delivery of them to every consumer.
* Replaying every consumer from sequence 0 doubles no effect (the inbox), and each replayed message
  leaves a consume record `via replay`.
* `rw dlq list` shows a refused message with its reason; a retry that fails again is audited and
  leaves no second dead letter (a retry after a fix: `test_dead_letters.py`).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client
from nats.js.errors import NotFoundError
from sqlalchemy import text

from cli.demo import run_demo
from cli.dlq import dead_letters, retry
from cli.replay import replay_consumer
from shared.contracts.audit import GetTrail, GetTrailReply, TrailRecord
from shared.contracts.hr import DelegationRevoked
from shared.contracts.operations import OPERATION_SERVICES, DeadLetter
from shared.messaging.commands import send_query
from shared.messaging.envelope import Envelope
from shared.topology import CONSUMERS, STREAMS, subject_matches
from tests.actors import acting_for, as_person, signer
from tests.integration.bad_input.snapshot import changed_tables, fingerprint
from tests.integration.bad_input.system import System, running_system
from tests.integration.waiting import eventually

SOURCE = "/raderwerk/audit-test"
#: The streams whose messages a trail shows (AUDIT holds consume records and checkpoints, CAPTURE copies).
SOURCE_STREAMS = tuple(s.name for s in STREAMS if not s.sources and s.name != "AUDIT")
REPLAYED = tuple(c for c in CONSUMERS if c.service != "audit")


@pytest.fixture(scope="module")
async def system(tmp_path_factory: pytest.TempPathFactory, pg_dsn: str) -> AsyncIterator[System]:
    async with running_system(tmp_path_factory.mktemp("audit-nats"), pg_dsn) as running:
        yield running


async def _stream_messages(js: object, stream: str) -> list[tuple[int, str, dict[str, str]]]:
    """Every message of a stream: (seq, subject, headers), read by sequence as the provisioner."""
    found: list[tuple[int, str, dict[str, str]]] = []
    seq = 1
    while True:
        try:
            msg = await js.get_msg(stream, seq=seq, subject=">", next=True)  # type: ignore[attr-defined]
        except NotFoundError:
            return found
        found.append((msg.seq, msg.subject, dict(msg.headers or {})))
        seq = msg.seq + 1


async def _trail(nc: Client, correlation_id: str) -> list[TrailRecord]:
    query = GetTrail(command_id=uuid.uuid4().hex, correlation_id=correlation_id)
    return list(
        (await send_query(nc, query, GetTrailReply, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=10)).records
    )


async def test_the_trail_holds_every_message_and_every_consume_of_the_demo_flow(system: System) -> None:
    result = await run_demo(system.operator, signer(), timeout=90)
    cid = result.correlation_id
    admin = await system.connection("provisioner")
    js = admin.jetstream()
    by_stream = {s: await _stream_messages(js, s) for s in SOURCE_STREAMS}
    mine = {s: [m for m in msgs if m[2].get("ce-correlationid") == cid] for s, msgs in by_stream.items()}
    expected_ids = sorted(h.get("ce-id", "") for msgs in mine.values() for _, _, h in msgs)
    # Every delivery of those messages to every consumer whose filter takes them.
    expected_consumes = {
        (spec.durable, seq)
        for spec in REPLAYED
        for seq, subject, _ in mine.get(spec.stream, [])
        if any(subject_matches(f, subject) for f in spec.filter_subjects)
    }
    assert expected_consumes, "the demo's events are consumed"

    def complete(trail: list[TrailRecord]) -> bool:
        got = {(r.consume.consumer, r.consume.stream_seq) for r in trail if r.consume is not None}
        return got >= expected_consumes and sum(1 for r in trail if r.consume is None) >= len(expected_ids)

    trail = await eventually(
        lambda: _trail(system.operator, cid), complete, timeout=60, what="every consume record in the ledger"
    )
    events = [r for r in trail if r.consume is None]
    assert sorted(str(r.message_id) for r in events) == expected_ids
    consumes = [r.consume for r in trail if r.consume is not None]
    assert {(c.consumer, c.stream_seq) for c in consumes} == expected_consumes
    # Per consumer and message: deliveries 1..n, the last one acknowledged.
    for durable, seq in expected_consumes:
        of_pair = (c for c in consumes if (c.consumer, c.stream_seq) == (durable, seq))
        mine_of = sorted(of_pair, key=lambda c: c.delivery)
        assert [c.delivery for c in mine_of] == list(range(1, len(mine_of) + 1)), (durable, seq)
        assert mine_of[-1].outcome == "acked", (durable, seq, mine_of)
        assert all(c.outcome == "retried" for c in mine_of[:-1])
        assert all(c.via == "delivery" for c in mine_of)


async def test_replaying_every_consumer_from_zero_doubles_no_effect(system: System) -> None:
    await run_demo(system.operator, signer(), timeout=90)
    await system.wait_quiet()
    schemas = {name: system.schema(name) for name in system.services}
    before = await fingerprint(system.engines, schemas)
    outcomes = {}
    for spec in REPLAYED:
        operator = as_person("p-ad")
        outcomes[spec.durable] = await replay_consumer(system.operator, spec.durable, actor=operator, from_seq=0)
    await system.wait_quiet()
    after = await fingerprint(system.engines, schemas)
    assert changed_tables(before, after) == [], "a replay changed state"
    assert sum(int(str(o["duplicate"])) for o in outcomes.values()) > 0
    for durable, o in outcomes.items():
        assert o["acked"] == 0, (durable, o)
        assert "stopped" not in o, (durable, o)
    # Each replayed message left a consume record `via replay` in its service's outbox.
    finance = outcomes["finance_decisions"]
    async with system.engines["finance"].connect() as conn:
        replayed = await conn.scalar(
            text(
                f'SELECT count(*) FROM "{system.schema("finance")}".outbox WHERE subject = :s'
                " AND convert_from(payload, 'UTF8')::jsonb @> :body"
            ),
            {"s": "audit.consume.recorded", "body": json.dumps({"consumer": "finance_decisions", "via": "replay"})},
        )
    assert replayed == finance["messages"]


async def test_rw_dlq_lists_a_refused_message_with_its_reason_and_a_retry_is_audited_without_a_second_letter(
    system: System,
) -> None:
    # An event with a valid envelope and a body its contract refuses: dead-lettered at once.
    hr = await system.connection("hr")
    envelope = Envelope(
        id=uuid.uuid4().hex,
        type=DelegationRevoked.ce_type(),
        source="/raderwerk/hr",
        time=dt.datetime.now(dt.UTC),
        correlation_id=uuid.uuid4().hex,
    )
    await hr.jetstream().publish(DelegationRevoked.SUBJECT, b"{}", headers=envelope.to_headers())

    async def listed() -> list[DeadLetter]:
        replies = await dead_letters(system.operator, OPERATION_SERVICES, actor=as_person("p-ad"))
        return [d for r in replies for d in r.letters if d.message_id == envelope.id]

    readers = {
        c.durable for c in CONSUMERS if any(subject_matches(f, DelegationRevoked.SUBJECT) for f in c.filter_subjects)
    }
    assert {"finance_delegations", "organisation_delegations"} <= readers
    letters = await eventually(
        listed, lambda found: len(found) == len(readers), timeout=30, what="every reader's dead letter"
    )
    assert {d.consumer for d in letters} == readers
    assert {d.reason for d in letters} == {"invalid_body"}
    letter = next(d for d in letters if d.consumer == "organisation_delegations")
    outcome = await retry(system.operator, "organisation", letter.id, actor=as_person("p-ad"))
    assert (outcome["outcome"], outcome["reason"]) == ("dead_lettered", "invalid_body")
    assert len(await listed()) == len(readers), "a retry that fails again leaves the one dead letter, not a second"
    trail = await eventually(
        lambda: _trail(system.operator, envelope.correlation_id),
        lambda t: any(r.consume is not None and r.consume.via == "dlq_retry" for r in t),
        timeout=30,
        what="the retry's consume record in the ledger",
    )
    retried = [r.consume for r in trail if r.consume is not None and r.consume.consumer == "organisation_delegations"]
    assert [(c.via, c.outcome) for c in retried] == [("delivery", "dead_lettered"), ("dlq_retry", "dead_lettered")]
