"""A burst of decisions driven as `rw demo` drives one, and the count of what they caused.

The burst goes through `cli.decisions.drive_decision`, the same steps `rw demo` takes, so it keeps
following the meeting rules when they change. It is patient: while a service, NATS or PostgreSQL
is down it retries each step with the same command id until the deadline, so every decision is
carried out once however often its commands are sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from nats.aio.client import Client
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cli.decisions import Decided, drive_decision
from cli.demo import demo_proposal
from shared.actor import ActorCredential, ActorSigner
from shared.contracts.audit import VerifyLedger, VerifyLedgerReply
from shared.messaging.commands import send_query
from shared.messaging.errors import NoAnswer, Rejected
from tests.integration.waiting import eventually

#: Small enough that even a long burst never exhausts the demo credit; one in twenty needs the visum.
AMOUNTS = (Decimal("15000.00"), *(Decimal(f"{80 + 7 * i}.{i:02d}") for i in range(19)))


@dataclass(frozen=True)
class Effects:
    """What the decisions of a burst caused, counted in the services' own tables."""

    decisions: int
    """Adopted decisions in meetings."""
    commitments: int
    doubled_commitments: int
    tasks: int
    doubled_tasks: int
    inbox_entries: int
    doubled_inbox_entries: int


async def run_burst(
    nc: Client,
    signer: ActorSigner,
    count: int,
    *,
    today: dt.date,
    concurrency: int = 8,
    timeout: float = 240.0,
    until: asyncio.Event | None = None,
) -> list[Decided]:
    """Drive at least `count` decisions, `concurrency` at a time, each patient through outages.

    With `until`, new decisions keep starting until the event is set, so the burst is still
    running whatever happens beside it (kills, restarts) however fast this machine is.
    """
    deadline = time.monotonic() + timeout
    decided: list[Decided] = []

    async def lane(lane_no: int) -> None:
        n = lane_no
        while n < count or (until is not None and not until.is_set()):
            proposal = demo_proposal(today, amount=AMOUNTS[n % len(AMOUNTS)])
            decided.append(
                await drive_decision(
                    nc, signer, proposal, correlation_id=str(uuid.uuid4()), deadline=deadline, patient=True
                )
            )
            n += concurrency

    await asyncio.gather(*(lane(i) for i in range(concurrency)))
    return decided


async def count_effects(engine: AsyncEngine, decided: Sequence[Decided]) -> Effects:
    """Count each decision's effects across the schemas (the test connection sees them all)."""
    ids = [str(d.decision_id) for d in decided]
    async with engine.connect() as conn:

        async def scalar(sql: str) -> int:
            return int(await conn.scalar(text(sql), {"ids": ids}) or 0)

        return Effects(
            decisions=await scalar(
                "SELECT count(*) FROM meetings.decisions WHERE decision_id::text = ANY(:ids) AND outcome = 'adopted'"
            ),
            commitments=await scalar("SELECT count(*) FROM finance.commitments WHERE decision_id::text = ANY(:ids)"),
            doubled_commitments=await scalar(
                "SELECT count(*) FROM (SELECT decision_id FROM finance.commitments WHERE decision_id::text = ANY(:ids)"
                " GROUP BY decision_id HAVING count(*) > 1) d"
            ),
            tasks=await scalar("SELECT count(*) FROM organisation.tasks WHERE decision_id::text = ANY(:ids)"),
            doubled_tasks=await scalar(
                "SELECT count(*) FROM (SELECT 1 FROM organisation.tasks WHERE decision_id::text = ANY(:ids)"
                " GROUP BY decision_id, action_id HAVING count(*) > 1) d"
            ),
            inbox_entries=await scalar(
                "SELECT count(*) FROM notifications.inbox_entries WHERE about IN"
                " (SELECT 'task:' || task_id FROM organisation.tasks WHERE decision_id::text = ANY(:ids))"
            ),
            doubled_inbox_entries=await scalar(
                "SELECT count(*) FROM (SELECT 1 FROM notifications.inbox_entries WHERE about IN"
                " (SELECT 'task:' || task_id FROM organisation.tasks WHERE decision_id::text = ANY(:ids))"
                " GROUP BY person_id, about HAVING count(*) > 1) d"
            ),
        )


async def every_effect_once(engine: AsyncEngine, decided: Sequence[Decided], actions: int = 3) -> Effects:
    """Wait until every decision has all its effects, then answer the counts (doubles included)."""
    n = len(decided)

    def complete(e: Effects) -> bool:
        return e.decisions >= n and e.commitments >= n and e.tasks >= n * actions and e.inbox_entries >= n * actions

    return await eventually(
        lambda: count_effects(engine, decided), complete, timeout=180, interval=0.5, what="every effect of the burst"
    )


async def ledger_verifies(nc: Client, actor: ActorCredential) -> VerifyLedgerReply:
    """The audit ledger's own verdict on its hash chain, asked until audit answers."""

    async def ask() -> VerifyLedgerReply | None:
        try:
            return await send_query(
                nc,
                VerifyLedger(command_id=uuid.uuid4().hex),
                VerifyLedgerReply,
                actor=actor,
                source="/raderwerk/test",
                timeout=30,
            )
        except (NoAnswer, Rejected):
            return None  # audit is restarting or its database is away: ask again until the deadline

    reply = await eventually(ask, lambda r: r is not None, timeout=120, interval=0.5, what="audit to verify")
    assert reply is not None
    return reply
