"""Generated bodies no contract accepts: not JSON, the wrong shape, one wrong field, huge, odd text.

Each strategy answers a `BadBody`: the bytes to send and a short account of what is wrong with
them, so a failing example says what it tried. Huge bodies are built by repetition from a small
draw: hypothesis need not generate a megabyte, and the examples stay cheap to shrink.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from tests.integration.bad_input.schema_values import contract_body, faulty_body

__all__ = ["BadBody", "bad_bodies", "near_limit_body"]

#: Room left for the headers under the server's maximum payload (they count against it too).
HEADER_ROOM = 8 * 1024


class BadBody:
    """What is sent, and why no contract can accept it.

    Not a dataclass: hypothesis prints a dataclass field by field, megabytes included.
    """

    __slots__ = ("data", "why")

    def __init__(self, data: bytes, why: str) -> None:
        self.data = data
        self.why = why

    def __repr__(self) -> str:  # a failing example prints this: keep megabytes out of the report
        shown = self.data[:160]
        more = f"... ({len(self.data)} bytes)" if len(self.data) > len(shown) else ""
        return f"BadBody({self.why!r}, {shown!r}{more})"


def _dumps(value: Any) -> bytes:
    # ensure_ascii keeps lone surrogates as escapes: the bytes stay valid UTF-8 JSON text.
    return json.dumps(value, ensure_ascii=True).encode()


_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
_json = st.recursive(
    _json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)

not_json: st.SearchStrategy[BadBody] = st.one_of(
    st.binary(min_size=1, max_size=64).filter(lambda b: not _parses(b)).map(lambda b: BadBody(b, "bytes, not JSON")),
    st.sampled_from(
        [
            b"",
            b"{",
            b'{"command_id": "abcdefgh",',
            b"{'single': 'quotes'}",
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b"<xml/>",
            b"undefined",
        ]
    ).map(lambda b: BadBody(b, "text, not JSON")),
    st.integers(1_000, 200_000).map(lambda depth: BadBody(b"[" * depth + b"]" * depth, f"arrays nested {depth} deep")),
    st.integers(1_000, 100_000).map(
        lambda depth: BadBody(b'{"a":' * depth + b"1" + b"}" * depth, f"objects nested {depth} deep")
    ),
)


def _parses(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return False
    return True


# JSON, but not an object with the contract's fields: arrays, scalars, nested nonsense.
wrong_shape: st.SearchStrategy[BadBody] = st.one_of(
    _json.filter(lambda v: not isinstance(v, dict)).map(lambda v: BadBody(_dumps(v), "JSON, not an object")),
    st.dictionaries(st.text(max_size=10).filter(lambda k: k != "command_id"), _json, max_size=5).map(
        lambda v: BadBody(_dumps(v), "an object without the contract's fields")
    ),
    st.sampled_from([b"NaN", b"Infinity", b"-0", b"1e999", b'"\\ud800"', b"[]", b"{}", b"null"]).map(
        lambda b: BadBody(b, "a JSON literal")
    ),
)

# Text a contract field cannot hold: PostgreSQL has no NUL, UTF-8 has no lone surrogate.
_unstorable = st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfffy", "\ud83d"])


@st.composite
def _with_unstorable_text(draw: st.DrawFn, bodies: st.SearchStrategy[dict[str, Any]]) -> BadBody:
    """A body that fits the contract but for text no database can store, in one of its strings."""
    body = draw(bodies)
    text = draw(_unstorable)
    strings = sorted(name for name, value in body.items() if isinstance(value, str))
    name = draw(st.sampled_from(strings))
    return BadBody(_dumps({**body, name: body[name] + text}), f"{text!r} in {name}")


@functools.cache
def bad_bodies(model: type[BaseModel], max_payload: int) -> st.SearchStrategy[BadBody]:
    """Everything a client might send that `model` must refuse, from one byte to the limit.

    Built once per contract: a composite that draws it per example would otherwise rebuild the
    contract's JSON schema and every strategy of its fields at each draw.
    """
    schema = model.model_json_schema()
    faults = faulty_body(schema)
    one_fault = faults.map(
        lambda pair: BadBody(_dumps(pair[0]), f"{pair[1].kind} at {'.'.join(pair[1].path)}: {pair[1].value!r}"[:200])
    )
    odd_names = _odd_text.map(lambda text: BadBody(_dumps({text: text}), f"{text!r} as the only field"))
    limit = max_payload - HEADER_ROOM
    # The padding below keeps 4 KiB for the body itself: a fault that is itself long (a text over a
    # 200,000-character limit) would push the whole past the limit, so such bodies are not padded.
    small_fault = faults.filter(lambda pair: len(_dumps(pair[0])) <= _BODY_ROOM)
    huge = st.tuples(small_fault, st.integers(4_096, limit), st.sampled_from(_HUGE)).map(
        lambda args: args[2](args[0][0], args[1])
    )
    unstorable = _with_unstorable_text(contract_body(model))
    # A fault of the contract is the most telling case: it is drawn most often.
    return st.one_of(one_fault, one_fault, one_fault, not_json, wrong_shape, unstorable, odd_names, huge)


# Valid UTF-8 that trips careless code: right-to-left marks, combining marks, emoji, BOMs.
_odd_text = st.sampled_from(
    ["\u202e\u202dcommand_id", "e\u0301\u0301\u0301", "👩‍👩‍👧‍👦", "\ufeff", "\u2028\u2029", "ﷺ" * 40, "𝔘𝔫𝔦"]
)


#: What the padding functions leave for the body they pad (they pad to `size - 4096`).
_BODY_ROOM = 3 * 1024


# Each leaves room for the rest of the body (a few hundred bytes) under `size`.
def _huge_string(body: dict[str, Any], size: int) -> BadBody:
    return BadBody(_dumps({**body, "command_id": "x" * (size - 4096)}), f"a command id of {size - 4096} characters")


def _many_fields(body: dict[str, Any], size: int) -> BadBody:
    extra = {f"k{i}": i for i in range((size - 4096) // 20)}
    return BadBody(_dumps({**body, **extra}), f"{len(extra)} unknown fields")


def _huge_array(body: dict[str, Any], size: int) -> BadBody:
    count = (size - 4096) // 7
    return BadBody(_dumps({**body, "items": [None] * count}), f"an unknown array of {count} nulls")


def _huge_garbage(_body: dict[str, Any], size: int) -> BadBody:
    return BadBody(b"\x80" * size, f"{size} bytes of non-UTF-8")


_HUGE = (_huge_string, _many_fields, _huge_array, _huge_garbage)


@functools.cache
def near_limit_body(max_payload: int) -> BadBody:
    """The largest body that still fits beside the headers: a command with unknown fields to the brim.

    Made once per limit: every test sends it, and encoding its 65,000 fields took a fifth of the
    CPU the test process spent on a subject.
    """
    size = max_payload - HEADER_ROOM
    fields = {f"k{i:06}": i for i in range(size // 16)}
    data = _dumps({"command_id": "abcdefgh", **fields})
    return BadBody(data[: size - 1].rsplit(b",", 1)[0] + b"}", f"{len(fields)} unknown fields, near the limit")
