"""How a service reads a request before any handler runs: bad ones become an `invalid_command` reply."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import given, settings
from nats.aio.msg import Msg

from shared.contracts.common import CommandReply
from shared.contracts.hr import OpenConsultation
from shared.messaging.commands import _read, command_headers, message_size
from shared.messaging.errors import Rejected, TooLarge
from tests.actors import as_person, verifier
from tests.unit.shared.header_values import ENVELOPE_HEADERS, header_changes

_BODY = {
    "command_id": "c0ffee00-0000-4000-8000-000000000001",
    "topic": "Arbeidsreglement",
    "entity": "gemeente",
    "invitation_sent_on": "2026-11-02",
    "meeting_on": "2026-12-01",
}


def _msg(body: object, headers: dict[str, str] | None = None) -> Msg:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Msg(_client=None, subject=OpenConsultation.subject(), data=data, headers=headers)  # type: ignore[arg-type]


def _refusal(msg: Msg) -> CommandReply:
    read = _read(OpenConsultation, msg, verifier())
    assert isinstance(read, CommandReply), f"accepted as {read!r}"
    assert (read.status.value, read.code) == ("rejected", "invalid_command")
    read.model_dump_json()  # the reply can always be sent
    return read


def test_a_body_nested_past_the_interpreters_stack_is_refused_not_crashed() -> None:
    assert "nested" in _refusal(_msg(b"[" * 100_000 + b"]" * 100_000)).message


def test_thousands_of_unknown_fields_get_a_short_reply() -> None:
    reply = _refusal(_msg({**_BODY, **{f"k{i}": i for i in range(60_000)}}))
    assert reply.command_id == _BODY["command_id"]
    assert len(reply.message) <= 1_000


@pytest.mark.parametrize("command_id", ["\ud800abcdefgh", "abc\x00defgh", "x" * 5_000, "met spatie", 12345678])
def test_a_command_id_that_is_no_command_id_is_refused_and_never_echoed(command_id: object) -> None:
    reply = _refusal(_msg({**_BODY, "command_id": command_id}))
    assert reply.command_id == ""


def test_text_the_database_cannot_store_is_refused() -> None:
    assert "NUL" in _refusal(_msg({**_BODY, "topic": "Arbeids\x00reglement"})).message


def _headers(**changes: str) -> dict[str, str]:
    headers = command_headers(OpenConsultation.model_validate(_BODY), source="/raderwerk/test", actor=as_person("p-ad"))
    headers.update(changes)
    return headers


def test_a_command_without_any_envelope_starts_its_own_tree() -> None:
    actor = as_person("p-ad")(OpenConsultation.subject(), str(_BODY["command_id"]))
    headers = {"traceparent": "garbage", "X-Whatever": "1", "rw-actor": actor}
    read = _read(OpenConsultation, _msg(_BODY, headers), verifier())
    assert not isinstance(read, CommandReply)
    command, envelope, _actor = read
    assert (envelope.id, envelope.correlation_id, envelope.type) == (
        command.command_id,
        command.command_id,
        OpenConsultation.ce_type(),
    )


def test_a_command_with_its_own_envelope_is_read() -> None:
    read = _read(OpenConsultation, _msg(_BODY, _headers(**{"ce-correlationid": "corr-7"})), verifier())
    assert not isinstance(read, CommandReply)
    assert read[1].correlation_id == "corr-7"


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        (_headers(**{"ce-type": "be.raderwerk.cmd.hr.revoke_delegation.v1"}), "ce-type"),
        (_headers(**{"ce-id": str(uuid.uuid4())}), "ce-id is not the command id"),
        (_headers(**{"ce-specversion": "0.3"}), "ce-specversion"),
        (_headers(**{"ce-time": "gisteren"}), "gisteren"),
        (_headers(**{"ce-entity": "provincie"}), "invalid envelope attribute"),
        ({"ce-correlationid": "only-this"}, "missing CloudEvents headers"),
    ],
)
def test_headers_that_are_not_this_commands_envelope_are_refused(headers: dict[str, str], says: str) -> None:
    assert says in _refusal(_msg(_BODY, headers)).message


def test_the_size_of_a_request_counts_its_headers() -> None:
    headers = {"ce-id": "abc", "x": "y"}
    assert message_size(b"12345", headers) == 5 + len(b"NATS/1.0\r\n\r\nce-id: abc\r\nx: y\r\n")


def test_a_request_too_large_for_the_server_is_a_rejection_the_client_can_read() -> None:
    refused = TooLarge("cmd.finance.import_plan", 1_048_700, 1_048_576)
    assert isinstance(refused, Rejected)
    assert refused.code == "invalid_command"
    assert "1048700 bytes" in refused.message


def test_a_command_under_its_old_version_is_refused_not_misread() -> None:
    """`sign_minutes` v2 no longer names the signatory: a v1 request is told so, never carried out."""
    from shared.contracts.sessions import SignMinutes

    command = SignMinutes(command_id=str(_BODY["command_id"]), meeting_id=uuid.uuid4())
    assert SignMinutes.ce_type().endswith(".v2")
    headers = command_headers(command, source="/raderwerk/test", actor=as_person("p-ad"))
    headers["ce-type"] = SignMinutes.ce_type().replace(".v2", ".v1")
    msg = Msg(_client=None, subject=SignMinutes.subject(), data=command.model_dump_json().encode(), headers=headers)  # type: ignore[arg-type]
    read = _read(SignMinutes, msg, verifier())
    assert isinstance(read, CommandReply)
    assert (read.code, "ce-type" in read.message) == ("invalid_command", True)
    old_body = {**command.model_dump(mode="json"), "person_id": "p-ad"}
    msg = Msg(_client=None, subject=SignMinutes.subject(), data=json.dumps(old_body).encode(), headers=headers)  # type: ignore[arg-type]
    refused = _read(SignMinutes, msg, verifier())
    assert isinstance(refused, CommandReply)
    assert refused.code == "invalid_command"


# Every header a service reads before a handler runs.
@settings(max_examples=300, deadline=None)
@given(changes=header_changes((*ENVELOPE_HEADERS, "rw-actor", "rw-deadline", "traceparent")))
def test_any_header_value_is_read_or_refused_with_a_reply_never_raised(changes: dict[str, str]) -> None:
    read = _read(OpenConsultation, _msg(_BODY, _headers(**changes)), verifier())
    if isinstance(read, CommandReply):
        assert read.status.value == "rejected"
        assert read.message
        read.model_dump_json()
