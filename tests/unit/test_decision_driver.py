"""The decision driver plans its session far enough ahead for the queue it meets, instead of retrying forever."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from cli.decisions import LEAD, MAX_LEAD, DecisionStalled, _schedule
from shared.contracts.base import Command
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.sessions import ScheduleMeeting
from shared.vocabulary import BodyKind

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


class Connection:
    """Stands for a NATS connection: the driver remembers its lead per connection."""


class Meetings:
    """A flow whose commands reach meetings `delay` after they were sent, as in a queue under load."""

    def __init__(self, delay: dt.timedelta, *, deadline_after: int = 1_000) -> None:
        self.nc = Connection()
        self.delay = delay
        self.leads: list[dt.timedelta] = []
        self.deadline_after = deadline_after

    async def send(self, command: Command, waiting_for: str) -> CommandReply:
        assert isinstance(command, ScheduleMeeting)
        self.leads.append(command.scheduled_at - NOW)
        if command.scheduled_at < NOW + self.delay:
            return CommandReply(
                command_id=command.command_id, status=CommandStatus.REJECTED, code="meeting_in_past", message="late"
            )
        return CommandReply(
            command_id=command.command_id, status=CommandStatus.ACCEPTED, ids={"meeting_id": str(uuid.uuid4())}
        )

    async def pause(self, waiting_for: str, seconds: float = 0.05) -> None:
        if len(self.leads) >= self.deadline_after:
            raise DecisionStalled(f"still waiting for {waiting_for}")


async def test_a_queue_longer_than_the_lead_doubles_it_until_a_planning_is_taken() -> None:
    meetings = Meetings(dt.timedelta(seconds=1.5))
    _meeting, at = await _schedule(meetings, BodyKind.COLLEGE, lambda: NOW)  # type: ignore[arg-type]
    assert meetings.leads == [LEAD, LEAD * 2, LEAD * 4]
    assert at == NOW + LEAD * 4


async def test_the_connection_keeps_its_lead_so_later_decisions_rarely_try_twice() -> None:
    meetings = Meetings(dt.timedelta(seconds=1.5))
    for _ in range(20):
        await _schedule(meetings, BodyKind.COLLEGE, lambda: NOW)  # type: ignore[arg-type]
    # A fixed lead of 400 ms would be refused every time and never end.
    assert len(meetings.leads) <= 30, meetings.leads


async def test_without_a_queue_the_lead_shrinks_back_to_the_first() -> None:
    meetings = Meetings(dt.timedelta(seconds=1.5))
    await _schedule(meetings, BodyKind.COLLEGE, lambda: NOW)  # type: ignore[arg-type]
    meetings.delay = dt.timedelta(0)
    for _ in range(40):
        await _schedule(meetings, BodyKind.COLLEGE, lambda: NOW)  # type: ignore[arg-type]
    assert meetings.leads[-1] == LEAD


async def test_a_planning_never_taken_stops_at_the_flows_deadline_with_the_lead_bounded() -> None:
    meetings = Meetings(dt.timedelta(hours=1), deadline_after=12)
    with pytest.raises(DecisionStalled, match="planning time"):
        await _schedule(meetings, BodyKind.COLLEGE, lambda: NOW)  # type: ignore[arg-type]
    assert max(meetings.leads) == MAX_LEAD
