"""A request whose sender stopped waiting is answered `deadline_passed` and never carried out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time

import pytest
from nats.aio.msg import Msg

from shared.actor import ActorVerifier
from shared.contracts.common import CommandReply
from shared.contracts.hr import OpenConsultation
from shared.messaging.commands import _read, command_headers
from shared.messaging.deadline import (
    DEADLINE_HEADER,
    DeadlinePassed,
    DeadlineUnreadable,
    check_deadline,
    deadline_header,
)
from tests.actors import as_person, verifier

COMMAND_ID = "c0ffee00-0000-4000-8000-000000000002"
_BODY = {
    "command_id": COMMAND_ID,
    "topic": "Arbeidsreglement",
    "entity": "gemeente",
    "invitation_sent_on": "2026-11-02",
    "meeting_on": "2026-12-01",
}
NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def _headers(timeout: float | None) -> dict[str, str]:
    command = OpenConsultation.model_validate(_BODY)
    return command_headers(command, source="/raderwerk/test", actor=as_person("p-ad"), timeout=timeout)


def _msg(headers: dict[str, str], data: bytes | None = None) -> Msg:
    body = json.dumps(_BODY).encode() if data is None else data
    return Msg(_client=None, subject=OpenConsultation.subject(), data=body, headers=headers)  # type: ignore[arg-type]


def _service_at(seconds_from_now: float) -> ActorVerifier:
    """The serving side, whose clock reads `seconds_from_now` later: the request waited that long."""
    return dataclasses.replace(verifier(), now=lambda: time.time() + seconds_from_now)


def test_the_header_is_the_moment_the_sender_stops_waiting() -> None:
    assert deadline_header(2.5, NOON) == "2026-12-03T12:00:02.500Z"
    assert deadline_header(1, NOON.astimezone(dt.timezone(dt.timedelta(hours=1)))) == "2026-12-03T12:00:01.000Z"


def test_a_deadline_ahead_or_none_at_all_lets_the_request_through() -> None:
    check_deadline({DEADLINE_HEADER: "2026-12-03T12:00:00.001Z"}, NOON)
    check_deadline({DEADLINE_HEADER: "2026-12-03T12:00:00Z"}, NOON)  # the very moment still counts
    check_deadline({}, NOON)


def test_a_passed_deadline_names_both_times() -> None:
    with pytest.raises(DeadlinePassed) as passed:
        check_deadline({DEADLINE_HEADER: "2026-12-03T11:59:58.750Z"}, NOON)
    message = str(passed.value)
    assert "2026-12-03T11:59:58.750Z" in message
    assert "2026-12-03T12:00:00.000Z" in message
    assert "1.250 s" in message


@pytest.mark.parametrize(
    "value",
    [
        "tomorrow",
        "2026-12-03T12:00:00",
        "",
        "2026-13-03T12:00:00Z",
        "2026-12-03T12:00:00Z" + " " * 100,
        # Year 1 at +14:00 is before year 1 in UTC: comparing it with the service's time overflowed.
        "0001-01-01T00:00:00+14:00",
    ],
)
def test_a_deadline_that_is_no_rfc3339_time_with_its_offset_is_unreadable(value: str) -> None:
    with pytest.raises(DeadlineUnreadable):
        check_deadline({DEADLINE_HEADER: value}, NOON)


def test_a_sender_with_a_timeout_sends_its_deadline() -> None:
    before = dt.datetime.now(dt.UTC)
    deadline = dt.datetime.fromisoformat(_headers(timeout=10)[DEADLINE_HEADER])
    assert before + dt.timedelta(seconds=9.9) <= deadline <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10)
    assert DEADLINE_HEADER not in _headers(timeout=None)


def test_a_request_taken_in_time_is_read() -> None:
    read = _read(OpenConsultation, _msg(_headers(timeout=10)), _service_at(9))
    assert not isinstance(read, CommandReply), read


def test_a_request_taken_after_its_deadline_is_answered_without_reading_it() -> None:
    """The body is garbage and the actor token another command's: neither is looked at."""
    headers = _headers(timeout=10)
    read = _read(OpenConsultation, _msg(headers, b"{not json"), _service_at(11))
    assert isinstance(read, CommandReply)
    assert (read.status.value, read.code, read.command_id) == ("rejected", "deadline_passed", COMMAND_ID)
    assert "send it again with the same command id" in read.message


def test_an_unreadable_deadline_is_an_invalid_command() -> None:
    headers = {**_headers(timeout=10), DEADLINE_HEADER: "soon"}
    read = _read(OpenConsultation, _msg(headers), verifier())
    assert isinstance(read, CommandReply)
    assert (read.code, DEADLINE_HEADER in read.message) == ("invalid_command", True)


def test_a_passed_deadline_does_not_echo_a_ce_id_that_is_no_command_id() -> None:
    headers = {**_headers(timeout=1), "ce-id": "x" * 500}
    read = _read(OpenConsultation, _msg(headers), _service_at(5))
    assert isinstance(read, CommandReply)
    assert (read.code, read.command_id) == ("deadline_passed", "")
