"""The ledger's hash chain: deterministic, and verification names the first broken link."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import itertools
import types
from typing import Any, cast

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.audit.domain.ledger import (
    GENESIS_HASH,
    CapturedMessage,
    ChainHead,
    LedgerRecord,
    StreamSource,
    canonical_json,
    canonical_record,
    chain,
    document,
    parse_stream_source,
    plan_append,
    row_hash,
    service_of,
    verify,
)
from tests.unit.audit.fakes import T0, captured


def _ledger(n: int) -> list[LedgerRecord]:
    records, _ = chain(ChainHead(), [captured(i) for i in range(1, n + 1)])
    return records


# --- the chain ---------------------------------------------------------------------------------


def test_the_first_record_hashes_the_genesis_hash_and_its_canonical_json() -> None:
    message = captured(1)
    (record,), head = chain(ChainHead(), [message])
    expected = hashlib.sha256(b"\x00" * 32 + rfc8785.dumps(cast("Any", document(1, message)))).hexdigest()
    assert record.prev_hash == GENESIS_HASH == "0" * 64
    assert record.row_hash == expected
    assert (head.seq, head.row_hash, head.capture_seq) == (1, expected, 1)


def test_the_chain_is_deterministic() -> None:
    messages = [captured(i) for i in range(1, 6)]
    first, _ = chain(ChainHead(), messages)
    second, _ = chain(ChainHead(), [dataclasses.replace(m) for m in messages])
    assert [r.row_hash for r in first] == [r.row_hash for r in second]
    # Header order does not matter: canonical JSON sorts keys.
    shuffled = [dataclasses.replace(m, headers=dict(reversed(list(m.headers.items())))) for m in messages]
    assert [r.row_hash for r in chain(ChainHead(), shuffled)[0]] == [r.row_hash for r in first]


def test_each_record_links_to_the_one_before() -> None:
    records = _ledger(4)
    assert [r.seq for r in records] == [1, 2, 3, 4]
    for before, after in itertools.pairwise(records):
        assert after.prev_hash == before.row_hash
        assert after.row_hash == row_hash(before.row_hash, after.seq, after)


def test_appending_continues_from_the_head() -> None:
    all_at_once = _ledger(5)
    first, head = chain(ChainHead(), [captured(i) for i in range(1, 3)])
    rest, _ = chain(head, [captured(i) for i in range(3, 6)])
    assert [r.row_hash for r in first + rest] == [r.row_hash for r in all_at_once]


def test_an_intact_ledger_verifies() -> None:
    result = verify(_ledger(10))
    assert result.ok
    assert result.checked == 10
    assert result.first_broken_seq is None


def test_an_empty_ledger_verifies() -> None:
    assert verify([]).ok


def test_a_changed_payload_is_named() -> None:
    records = _ledger(6)
    records[2] = dataclasses.replace(records[2], payload='{"x": 2}')
    result = verify(records)
    assert not result.ok
    assert result.first_broken_seq == 3
    assert result.reason.startswith("row_hash_mismatch")
    assert result.checked == 3


def test_a_change_rehashed_in_place_breaks_the_next_link() -> None:
    records = _ledger(6)
    changed = dataclasses.replace(records[2], payload='{"x": 2}')
    records[2] = dataclasses.replace(changed, row_hash=row_hash(changed.prev_hash, changed.seq, changed))
    result = verify(records)
    assert result.first_broken_seq == 4
    assert result.reason.startswith("prev_hash_mismatch")


def test_a_removed_record_is_named() -> None:
    records = _ledger(6)
    del records[3]
    result = verify(records)
    assert not result.ok
    assert result.first_broken_seq == 4
    assert result.reason.startswith("seq_gap")


def test_reordered_records_are_named() -> None:
    records = _ledger(6)
    records[1], records[2] = records[2], records[1]
    result = verify(records)
    assert not result.ok
    assert result.first_broken_seq == 2


def test_renumbered_records_after_a_removal_are_named() -> None:
    records = _ledger(6)
    del records[3]
    records[3:] = [dataclasses.replace(r, seq=r.seq - 1) for r in records[3:]]
    result = verify(records)
    assert result.first_broken_seq == 4
    assert result.reason.startswith("prev_hash_mismatch")


# --- capture parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("MEETINGS 12 > > meetings.decision.adopted pGpS71YA", StreamSource("MEETINGS", 12)),
        ("COMMANDS 3 > > cmd.meetings.propose_agenda_item sc810oDV", StreamSource("COMMANDS", 3)),
        ("FINANCE 7", StreamSource("FINANCE", 7)),
        ("FINANCE:a1b2c3 7", StreamSource("FINANCE", 7)),
        ("  MEETINGS   9  ", StreamSource("MEETINGS", 9)),
        (None, None),
        ("", None),
        ("MEETINGS", None),
        ("MEETINGS x", None),
        ("MEETINGS 0", None),
        ("MEETINGS -4", None),
        (":abc 4", None),
    ],
)
def test_nats_stream_source_is_parsed(header: str | None, expected: StreamSource | None) -> None:
    assert parse_stream_source(header) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("/raderwerk/meetings", "meetings"),
        ("/raderwerk/finance/relay", "finance"),
        ("/raderwerk/", None),
        ("/elsewhere/meetings", None),
        ("", None),
        (None, None),
    ],
)
def test_the_service_comes_from_ce_source(source: str | None, expected: str | None) -> None:
    assert service_of(source) == expected


def _from_nats(headers: dict[str, str] | None, data: bytes = b"{}") -> CapturedMessage:
    return CapturedMessage.from_nats(
        capture_seq=42, subject="meetings.decision.adopted", headers=headers, data=data, captured_at=T0
    )


def test_a_sourced_event_is_parsed_from_its_headers() -> None:
    headers = {
        "ce-id": "e-1",
        "Nats-Msg-Id": "e-1",
        "ce-source": "/raderwerk/meetings",
        "ce-type": "be.raderwerk.meetings.decision.adopted.v1",
        "ce-correlationid": "corr-9",
        "ce-causationid": "cmd-3",
        "ce-entity": "ocmw",
        "ce-confidentiality": "closed",
        "Nats-Stream-Source": "MEETINGS 5 > > meetings.decision.adopted pGpS71YA",
    }
    message = _from_nats(headers, b'{"title": "\xc3\xa9"}')
    assert (message.source_stream, message.source_seq) == ("MEETINGS", 5)
    assert message.message_id == "e-1"
    assert message.ce_type == "be.raderwerk.meetings.decision.adopted.v1"
    assert (message.correlation_id, message.causation_id) == ("corr-9", "cmd-3")
    assert (message.entity, message.confidentiality, message.service) == ("ocmw", "closed", "meetings")
    assert message.headers == headers
    assert (message.payload, message.payload_encoding) == ('{"title": "é"}', "utf-8")
    assert message.capture_seq == 42


def test_a_command_without_nats_msg_id_uses_ce_id() -> None:
    message = _from_nats({"ce-id": "cmd-1", "ce-source": "/raderwerk/cli"})
    assert message.message_id == "cmd-1"
    assert message.service == "cli"


def test_a_message_without_headers_is_still_recorded() -> None:
    message = _from_nats(None, b"plain")
    assert message.headers == {}
    assert message.message_id is None
    assert message.source_stream is None
    assert message.payload == "plain"


@pytest.mark.parametrize("data", [b"\xff\xfe\x00binary", b"text with a \x00 byte"])
def test_a_body_that_is_not_storable_text_is_kept_as_base64(data: bytes) -> None:
    message = _from_nats({}, data)
    assert message.payload_encoding == "base64"
    assert base64.b64decode(message.payload) == data
    assert message.body() == data


def test_a_nul_in_a_header_is_kept_in_the_headers_but_not_in_derived_columns() -> None:
    message = _from_nats({"ce-correlationid": "a\x00b"})
    assert message.headers["ce-correlationid"] == "a\x00b"
    assert message.correlation_id == "a\ufffdb"


def test_captured_at_is_normalised_to_utc() -> None:
    brussels = dt.timezone(dt.timedelta(hours=1))
    message = CapturedMessage.from_nats(
        capture_seq=1, subject="s", headers={}, data=b"", captured_at=T0.astimezone(brussels)
    )
    assert message.captured_at == T0
    assert message.captured_at.utcoffset() == dt.timedelta(0)
    with pytest.raises(ValueError, match="timezone-aware"):
        CapturedMessage.from_nats(capture_seq=1, subject="s", headers={}, data=b"", captured_at=T0.replace(tzinfo=None))


# --- keeping capture order ---------------------------------------------------------------------


def test_a_batch_is_planned_in_capture_order() -> None:
    plan = plan_append(0, set(), [captured(3), captured(1), captured(2)])
    assert [m.capture_seq for m in plan.write] == [1, 2, 3]
    assert plan.held == plan.duplicates == ()


def test_messages_already_in_the_ledger_are_duplicates() -> None:
    plan = plan_append(5, {4, 5}, [captured(4), captured(5), captured(6)])
    assert [m.capture_seq for m in plan.write] == [6]
    assert plan.duplicates == (4, 5)


def test_messages_after_a_gap_are_held_until_it_closes() -> None:
    plan = plan_append(2, set(), [captured(5), captured(3), captured(6)])
    assert [m.capture_seq for m in plan.write] == [3]
    assert plan.held == (5, 6)
    forced = plan_append(2, set(), [captured(5), captured(3), captured(6)], force=True)
    assert [m.capture_seq for m in forced.write] == [3, 5, 6]
    assert forced.held == ()


def test_a_late_message_behind_a_forced_gap_is_written_not_lost() -> None:
    plan = plan_append(9, {8, 9}, [captured(4), captured(9), captured(10)])
    assert [m.capture_seq for m in plan.write] == [4, 10]
    assert plan.duplicates == (9,)


def test_an_empty_ledger_expects_the_first_capture() -> None:
    assert plan_append(0, set(), [captured(2)]).held == (2,)


def test_a_message_twice_in_one_batch_is_written_once() -> None:
    plan = plan_append(0, set(), [captured(1), captured(1), captured(2)])
    assert [m.capture_seq for m in plan.write] == [1, 2]


# --- properties --------------------------------------------------------------------------------

_text = st.text(max_size=40)
_optional_text = st.none() | _text
_moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))


@st.composite
def _messages(draw: st.DrawFn) -> list[CapturedMessage]:
    count = draw(st.integers(min_value=1, max_value=8))
    seqs = sorted(draw(st.sets(st.integers(min_value=1, max_value=10_000), min_size=count, max_size=count)))
    return [
        CapturedMessage(
            capture_seq=seq,
            source_stream=draw(_optional_text),
            source_seq=draw(st.none() | st.integers(min_value=1, max_value=2**53 - 1)),
            subject=draw(_text),
            message_id=draw(_optional_text),
            ce_type=draw(_optional_text),
            correlation_id=draw(_optional_text),
            causation_id=draw(_optional_text),
            entity=draw(_optional_text),
            confidentiality=draw(_optional_text),
            service=draw(_optional_text),
            headers=draw(st.dictionaries(_text, _text, max_size=5)),
            payload=draw(_text),
            payload_encoding=draw(st.sampled_from(["utf-8", "base64"])),
            captured_at=draw(_moments),
        )
        for seq in seqs
    ]


def _changed(value: Any, name: str) -> Any:
    """A value different from `value`, of the field's type."""
    if name in ("prev_hash", "row_hash"):
        return ("1" if value[0] != "1" else "2") + value[1:]
    if name == "payload_encoding":
        return "base64" if value == "utf-8" else "utf-8"
    if name == "captured_at":
        return value + dt.timedelta(microseconds=1)
    if name == "headers":
        return {**value, "x-tampered": "1"} if "x-tampered" not in value else {}
    if isinstance(value, int):
        return value + 1
    if value is None:
        return 1 if name == "source_seq" else ""
    return value + "x"


FIELDS = [f.name for f in dataclasses.fields(LedgerRecord)]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(_messages())
def test_any_sequence_of_records_chains_and_verifies(messages: list[CapturedMessage]) -> None:
    records, head = chain(ChainHead(), messages)
    result = verify(records)
    assert result.ok, result.reason
    assert result.checked == len(messages) == head.seq


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_messages(), st.data())
def test_changing_any_field_of_any_record_breaks_verification_there(
    messages: list[CapturedMessage], data: st.DataObject
) -> None:
    records, _ = chain(ChainHead(), messages)
    index = data.draw(st.integers(min_value=0, max_value=len(records) - 1), label="index")
    name = data.draw(st.sampled_from(FIELDS), label="field")
    target = records[index]
    records[index] = dataclasses.replace(target, **{name: _changed(getattr(target, name), name)})
    result = verify(records)
    assert not result.ok
    assert result.first_broken_seq == target.seq


_json_text = st.text(max_size=20)  # every code point but lone surrogates, which UTF-8 cannot carry
_doc_values = (
    st.none()
    | _json_text
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.dictionaries(_json_text, _json_text, max_size=4)
)


@settings(max_examples=500)
@given(st.dictionaries(_json_text, _doc_values, max_size=8))
def test_canonical_json_is_rfc8785(doc: dict[str, Any]) -> None:
    assert canonical_json(doc) == rfc8785.dumps(doc)


@settings(max_examples=300)
@given(_messages())
def test_record_documents_are_rfc8785(messages: list[CapturedMessage]) -> None:
    for message in messages:
        doc = document(message.capture_seq, message)
        expected = rfc8785.dumps(cast("Any", doc))
        assert canonical_json(doc) == expected
        assert canonical_record(message.capture_seq, message) == expected


def test_a_record_outside_the_fast_path_is_still_rfc8785() -> None:
    for message in (
        captured(1, headers={"\U0001f600": "a", "\uff5e": "b"}),
        captured(2, headers=types.MappingProxyType({"b": "1", "a": "2"})),
        captured(3, source_seq=2**60),
    ):
        try:
            expected = rfc8785.dumps(cast("Any", document(message.capture_seq, message)))
        except rfc8785.IntegerDomainError:
            with pytest.raises(rfc8785.IntegerDomainError):
                canonical_record(message.capture_seq, message)
            continue
        assert canonical_record(message.capture_seq, message) == expected


def test_keys_outside_ascii_are_ordered_by_utf16_like_rfc8785() -> None:
    # U+1F600 sorts before U+FF5E in UTF-16 (surrogate D83D < FF5E) but after it by code point.
    doc = {"headers": {"\U0001f600": "a", "\uff5e": "b"}}
    assert canonical_json(doc) == rfc8785.dumps(doc)
    assert canonical_json(doc).index("\U0001f600".encode()) < canonical_json(doc).index("\uff5e".encode())


def test_integers_beyond_the_safe_range_are_refused_like_rfc8785() -> None:
    with pytest.raises(rfc8785.IntegerDomainError):
        canonical_json({"seq": 2**53})


def test_a_value_no_canonical_json_can_carry_is_reported_not_raised() -> None:
    # Found by the property test above: a stored integer past 2**53 cannot be hashed, so it can
    # only come from a change after writing; verify must name the record, not crash.
    records, _ = chain(ChainHead(), [captured(i) for i in range(1, 4)])
    records[1] = dataclasses.replace(records[1], source_seq=2**53)
    result = verify(records)
    assert not result.ok
    assert result.first_broken_seq == records[1].seq
    assert result.reason is not None
    assert result.reason.startswith("row_hash_mismatch")
