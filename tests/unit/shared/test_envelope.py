"""The CloudEvents envelope: round trip, SDK compatibility, clear errors."""

from __future__ import annotations

import datetime as dt

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_binary_event
from hypothesis import given, settings

from shared.contracts.base import Confidentiality, Entity
from shared.messaging.envelope import Envelope, EnvelopeError
from tests.unit.shared.header_values import ENVELOPE_HEADERS, header_changes


def _envelope() -> Envelope:
    return Envelope(
        id="0b6f0c1e-0000-4000-8000-000000000001",
        type="be.raderwerk.meetings.decision.adopted.v1",
        source="/raderwerk/meetings",
        time=dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC),
        correlation_id="corr-1",
        causation_id="cause-1",
        subject="decision-1",
        entity=Entity.OCMW,
        confidentiality=Confidentiality.CLOSED,
        dataschema="urn:raderwerk:schema:be.raderwerk.meetings.decision.adopted.v1",
    )


def test_headers_round_trip() -> None:
    env = _envelope()
    assert Envelope.from_headers(env.to_headers()) == env


def test_nats_msg_id_is_the_event_id() -> None:
    headers = _envelope().to_headers()
    assert headers["Nats-Msg-Id"] == headers["ce-id"]


def test_a_cloudevents_sdk_reads_the_binary_mode_headers() -> None:
    env = _envelope()
    event = from_binary_event(HTTPMessage(headers=env.to_headers(), body=b'{"x": 1}'))
    attributes = event.get_attributes()
    assert attributes["id"] == env.id
    assert attributes["type"] == env.type
    assert attributes["source"] == env.source
    assert attributes["subject"] == env.subject
    assert attributes["correlationid"] == "corr-1"
    assert attributes["confidentiality"] == "closed"
    assert event.get_data() == {"x": 1}


def test_missing_headers_are_named() -> None:
    headers = _envelope().to_headers()
    del headers["ce-type"], headers["ce-source"]
    with pytest.raises(EnvelopeError, match="ce-source, ce-type"):
        Envelope.from_headers(headers)


@pytest.mark.parametrize(
    ("header", "value"), [("ce-specversion", "0.3"), ("ce-entity", "province"), ("ce-time", "yesterday")]
)
def test_invalid_attributes_are_refused(header: str, value: str) -> None:
    headers = _envelope().to_headers()
    headers[header] = value
    with pytest.raises(EnvelopeError):
        Envelope.from_headers(headers)


def test_no_headers_at_all() -> None:
    with pytest.raises(EnvelopeError, match="no headers"):
        Envelope.from_headers(None)


def test_a_caused_message_keeps_the_correlation() -> None:
    env = _envelope()
    child = env.caused(type="be.raderwerk.finance.commitment.recorded.v1", source="/raderwerk/finance")
    assert child.correlation_id == env.correlation_id
    assert child.causation_id == env.id
    assert child.id != env.id


@pytest.mark.parametrize(
    ("header", "value", "says"),
    [
        ("ce-time", "2026-11-25T10:00:00", "no time zone offset"),
        ("ce-time", "0001-01-01T00:00:00+14:00", "outside the calendar"),
        ("ce-id", "a\x00b", "control character"),
        ("ce-correlationid", "\x1b[31mred", "control character"),
        ("ce-source", "/raderwerk/\x7f", "control character"),
        ("ce-id", "x" * 257, "at most 256"),
        ("ce-causationid", "x" * 5_000, "at most 256"),
        ("ce-subject", "x" * 5_000, "at most 2048"),
    ],
)
def test_attributes_no_store_or_index_can_hold_are_refused(header: str, value: str, says: str) -> None:
    # They would key inbox rows and travel on into every message they cause.
    headers = _envelope().to_headers()
    headers[header] = value
    with pytest.raises(EnvelopeError, match=says):
        Envelope.from_headers(headers)


def test_an_envelope_without_a_time_is_refused() -> None:
    headers = _envelope().to_headers()
    del headers["ce-time"]
    with pytest.raises(EnvelopeError, match="ce-time"):
        Envelope.from_headers(headers)


def test_a_time_with_an_offset_is_read_as_that_moment_in_utc() -> None:
    headers = _envelope().to_headers()
    headers["ce-time"] = "2026-11-25T11:00:00+01:00"
    time = Envelope.from_headers(headers).time
    assert (time, time.tzinfo) == (dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), dt.UTC)


@settings(max_examples=300, deadline=None)
@given(changes=header_changes((*ENVELOPE_HEADERS, "ce-entity", "ce-confidentiality", "Nats-Msg-Id", "x-other")))
def test_any_header_value_gives_an_envelope_or_an_envelope_error(changes: dict[str, str]) -> None:
    # Anything else escaping would not dead-letter the message with its reason but fail its delivery.
    outcome = _outcome({**_envelope().to_headers(), **changes})
    if isinstance(outcome, EnvelopeError):
        assert str(outcome)
    else:
        assert outcome.time.tzinfo is not None


def _outcome(headers: dict[str, str]) -> Envelope | EnvelopeError:
    try:
        return Envelope.from_headers(headers)
    except EnvelopeError as exc:
        return exc
