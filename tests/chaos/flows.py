"""The demo flow as the chaos tests drive it, and what must hold of its data afterwards."""

from __future__ import annotations

import time
import uuid

from cli.demo import DemoResult, run_demo, wait_for_trail
from shared.contracts.audit import VerifyLedger, VerifyLedgerReply
from shared.contracts.organisation import ListTasks, ListTasksReply
from shared.messaging.commands import send_query
from tests.chaos.launcher import Launch

__all__ = ["EFFECTS", "assert_intact", "demo"]

#: What one demo decision causes, each exactly once.
EFFECTS = {
    "meetings.decision.adopted": 1,
    "finance.commitment.recorded": 1,
    "organisation.task.created": 3,
    "notifications.inbox_entry.created": 3,
}
SOURCE = "tests.chaos"


def _event_name(ce_type: str) -> str:
    """`be.raderwerk.meetings.decision.adopted.v1` -> `meetings.decision.adopted`."""
    return ".".join(ce_type.split(".")[2:-1])


async def demo(launched: Launch) -> DemoResult:
    """Propose and adopt a decision; answers once every effect is in the ledger."""
    nc = await launched.operator()
    try:
        return await run_demo(nc, launched.signer(), timeout=60)
    finally:
        await nc.close()


async def assert_intact(launched: Launch, before: DemoResult) -> None:
    """The earlier flow's state and ledger records survived, each effect once; the hash chain verifies."""
    nc = await launched.operator()
    director = launched.signer().acting_as("p-ad")
    try:
        query = ListTasks(command_id=str(uuid.uuid4()), decision_id=uuid.UUID(before.decision_id))
        tasks = await send_query(nc, query, ListTasksReply, actor=director, source=SOURCE, timeout=10)
        assert sorted(str(t.task_id) for t in tasks.tasks) == sorted(t["task_id"] for t in before.tasks)
        trail = await wait_for_trail(nc, director, before.correlation_id, EFFECTS, time.monotonic() + 30)
        # Records may be added after the flow returned (its queries are audited too); none may be lost.
        assert {r.seq for r in before.trail} <= {r.seq for r in trail}, "the ledger lost records"
        effects = [_event_name(str(r.type)) for r in trail]
        assert {t: effects.count(t) for t in EFFECTS} == EFFECTS, "every effect exactly once"
        verdict = await send_query(
            nc, VerifyLedger(command_id=str(uuid.uuid4())), VerifyLedgerReply, actor=director, source=SOURCE
        )
        assert verdict.ok, verdict
    finally:
        await nc.close()
