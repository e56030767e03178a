"""Reading a body: what `json.loads` lets through is refused here, with one sentence saying why."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from shared.messaging.payload import MAX_DEPTH, UnreadableBody, describe_invalid, read_json, storable


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested more than"),  # json.loads: RecursionError, not ValueError
        (b"[" * (MAX_DEPTH + 2) + b"]" * (MAX_DEPTH + 2), "nested more than"),
        (b'{"a": NaN}', "NaN is not a JSON number"),
        (b"Infinity", "Infinity is not a JSON number"),
        (b'{"title": "a\\u0000b"}', "body.title: text contains a NUL"),
        (b'{"\\u0000": 1}', "a field name"),
        (b'{"command_id": "\\ud800abcdefgh"}', "lone surrogate (\\ud800)"),
        (b'["x", "\\udfff"]', "body[1]: text contains a lone surrogate"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"{'a': 1}", "not JSON"),
        (b"", "not JSON"),
    ],
)
def test_what_no_contract_could_hold_is_refused_with_its_reason(data: bytes, says: str) -> None:
    with pytest.raises(UnreadableBody, match=None) as refused:
        read_json(data)
    assert says in str(refused.value)


def test_json_a_contract_can_judge_is_read() -> None:
    body = {"title": "Zitting 👩‍👩‍👧 é", "n": [1, 2.5, None, True], "deep": [[[[{"a": "b"}]]]]}
    assert read_json(json.dumps(body).encode()) == body
    assert read_json(json.dumps(body, ensure_ascii=False).encode()) == body


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    command_id: str


def test_a_description_of_thousands_of_errors_stays_short() -> None:
    with pytest.raises(ValidationError) as invalid:
        _Strict.model_validate({f"k{i}": i for i in range(60_000)})
    described = describe_invalid(invalid.value)
    assert len(described) <= 1_000
    assert described.startswith("command_id: Field required; k0: Extra inputs are not permitted")
    assert "more" in described


def test_a_description_does_not_repeat_the_input() -> None:
    with pytest.raises(ValidationError) as invalid:
        _Strict.model_validate({"command_id": "y" * 10_000, "extra": "x" * 10_000})
    described = describe_invalid(invalid.value)
    assert described == "extra: Extra inputs are not permitted"


def test_storable_text_has_no_nul_and_no_lone_surrogate() -> None:
    assert storable("a\x00b\ud800c") == "a\ufffdb\ufffdc"
    assert storable("gewoon 👍") == "gewoon 👍"
    storable("\udfff").encode("utf-8")
