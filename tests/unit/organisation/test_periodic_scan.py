"""The periodic overdue scan: as of the clock's today, committed, and never stopped by a failure."""

from __future__ import annotations

import asyncio
import datetime as dt

from services.organisation.domain.commands import ScanOverdue
from services.organisation.domain.model import TaskStatus
from services.organisation.domain.policy import TaskPolicy
from services.organisation.service_layer.commands.tasks import TaskCommands
from shared.clock import FixedClock
from shared.contracts.common import FollowUpAction, FollowUpKind
from shared.contracts.organisation import TaskEscalated, TaskOverdue
from shared.messaging.envelope import Envelope
from shared.periodic import periodic_scan
from tests.factories import adopted_decision
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork
from tests.unit.organisation.routes import Routes

ADOPTED = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
ENVELOPE = Envelope(id="m", type="t", source="/test", time=ADOPTED, correlation_id="c")


async def test_the_scan_runs_as_of_the_clocks_today_and_outlives_a_failed_run() -> None:
    uow = FakeOrganisationUnitOfWork()
    action = FollowUpAction(
        action_id="a", kind=FollowUpKind.EXECUTE, description="Doe a", unit_code="RUIMTE", due_date=ADOPTED.date()
    )
    await Routes().decision_adopted(uow, adopted_decision(adopted_at=ADOPTED, follow_up_actions=(action,)), ENVELOPE)
    await uow.commit()
    clock = FixedClock(dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC))
    opened = 0
    scanned_thrice = asyncio.Event()

    def transaction() -> FakeOrganisationUnitOfWork:
        nonlocal opened
        opened += 1
        if opened == 1:
            raise ConnectionError("database restarting")
        if opened == 4:  # the failed run, then three scans of the same day
            scanned_thrice.set()
        return uow

    tasks = TaskCommands(TaskPolicy(), clock)
    scan = periodic_scan(
        "overdue scan", transaction, lambda uow, today: tasks.scan_overdue(uow, ScanOverdue(as_of=today)), clock, 0
    )
    job = asyncio.create_task(scan())
    try:
        async with asyncio.timeout(5):
            await scanned_thrice.wait()
        assert not job.done()
    finally:
        job.cancel()
    assert list(uow.scans.runs) == [dt.date(2026, 3, 10)]
    [task] = uow.tasks.rows.values()
    assert (task.status, task.owner_person_id, task.escalation_level) == (TaskStatus.OVERDUE, "p-ad", 1)
    # Committed once each, however often the same day is scanned.
    assert [type(e) for e, _ in uow.committed[1:]] == [TaskOverdue, TaskEscalated]
