"""Dates and times in values and messages: with their offset, in the years the records keep."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from shared.contracts.common import FollowUpAction, FollowUpKind
from shared.contracts.sessions import ScheduleMeeting
from shared.vocabulary import BodyKind


def _meeting(at: str) -> ScheduleMeeting:
    return ScheduleMeeting.model_validate(
        {"command_id": "c0ffee00-1", "body": BodyKind.COLLEGE, "scheduled_at": at, "location": "Raadzaal"}
    )


@pytest.mark.parametrize(
    ("at", "says"),
    [
        # Year 9999 at -12:00 is year 10000 in UTC: PostgreSQL's driver could not store it.
        ("9999-12-31T23:59:59-12:00", "outside the calendar in UTC"),
        ("2999-12-31T23:00:00-12:00", "years 1900 to 2999"),
        ("1899-12-31T23:59:59+00:00", "years 1900 to 2999"),
    ],
)
def test_a_time_outside_the_years_the_records_keep_is_refused(at: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        _meeting(at)


def test_a_time_in_them_is_kept_with_its_offset() -> None:
    assert _meeting("2999-12-31T10:00:00+14:00").scheduled_at.utcoffset() == dt.timedelta(hours=14)


def test_a_date_in_a_nested_value_is_checked_too() -> None:
    # A due date of 9999-12-31 made a task's escalation date overflow in organisation.
    with pytest.raises(ValidationError, match="years 1900 to 2999"):
        FollowUpAction(action_id="a", kind=FollowUpKind.EXECUTE, description="x", due_date=dt.date(9999, 12, 31))


def test_a_time_without_its_offset_is_refused_in_any_message() -> None:
    from tests.factories import adopted_decision

    with pytest.raises(ValidationError, match="needs its UTC offset"):
        adopted_decision(adopted_at=dt.datetime(2026, 3, 2, 20, 0))
