"""CloudEvents headers as a client should send them, and generated ways to get them wrong.

NATS itself limits what a header can be (no CR or LF, a name without `:` or spaces); within that,
anything goes: missing attributes, another spec version, times that are not times, entities and
confidentiality levels that do not exist, ids no database can index, and a `ce-type` that names
another message than the one sent.
"""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import strategies as st

from shared.messaging.envelope import Envelope

__all__ = ["BadHeaders", "bad_envelope", "envelope_headers", "extra_headers"]


def envelope_headers(ce_type: str, ce_id: str, *, source: str = "/raderwerk/bad-input-test") -> dict[str, str]:
    """The headers a well-behaved client sends for a message of `ce_type`."""
    return Envelope(
        id=ce_id,
        type=ce_type,
        source=source,
        time=dt.datetime.now(dt.UTC),
        correlation_id=str(uuid.uuid4()),
        causation_id=str(uuid.uuid4()),
        subject="bad-input",
    ).to_headers()


class BadHeaders:
    """Headers with one fault in the envelope, and the fault (printed short: ids can be long)."""

    __slots__ = ("headers", "why")

    def __init__(self, headers: dict[str, str], why: str) -> None:
        self.headers = headers
        self.why = why

    def __repr__(self) -> str:
        shown = {k: (v if len(v) < 80 else f"{v[:40]}...({len(v)} chars)") for k, v in self.headers.items()}
        return f"BadHeaders({self.why!r}, {shown!r})"


_REQUIRED = ("ce-specversion", "ce-id", "ce-source", "ce-type", "ce-time")
_NOT_A_TIME = (
    "yesterday",
    "2026-13-01T00:00:00Z",
    "2026-02-30T10:00:00Z",
    "2026-11-25T10:00:00",  # no time zone: whose ten o'clock?
    "1732530000",
    "0000-01-01T00:00:00Z",
    "2026-11-25T10:00:00+25:00",
)
# Characters a NATS header value may carry but no attribute should: controls, and more than fits
# an index (ids) or any sensible attribute.
_CONTROLS = st.sampled_from(["\x01abc", "abc\x7f", "a\x00b", "\x1b[31mred"])


def _too_long(name: str) -> st.SearchStrategy[str]:
    shortest = 257 if name in ("ce-id", "ce-correlationid", "ce-causationid") else 2_049
    # At most 6,000: with the rest of the envelope it stays within the room left for headers.
    return st.integers(shortest, 6_000).map(lambda n: "x" * n)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=24)


@st.composite
def bad_envelope(draw: st.DrawFn, ce_type: str, ce_id: str, other_types: list[str]) -> BadHeaders:
    """A complete envelope for `ce_type` but for one fault."""
    headers = envelope_headers(ce_type, ce_id)
    fault = draw(
        st.sampled_from(
            ["missing", "specversion", "time", "entity", "confidentiality", "other_type", "garbage_type", "id", "link"]
        )
    )
    if fault == "missing":
        name = draw(st.sampled_from(_REQUIRED))
        del headers[name]
        return BadHeaders(headers, f"no {name}")
    if fault == "specversion":
        value = draw(st.sampled_from(["0.3", "2.0", "1", "1.0.1", "v1.0"]) | _TEXT.filter(lambda v: v.strip() != "1.0"))
        return BadHeaders({**headers, "ce-specversion": value}, f"ce-specversion {value!r}")
    if fault == "time":
        value = draw(st.sampled_from(_NOT_A_TIME) | _TEXT.filter(lambda v: not v.strip()[:1].isdigit()))
        return BadHeaders({**headers, "ce-time": value}, f"ce-time {value!r}")
    if fault in ("entity", "confidentiality"):
        value = draw(st.sampled_from(["province", "GEMEENTE", "secret", "ocmw,gemeente"]) | _TEXT)
        allowed = {"entity": ("gemeente", "ocmw", "both"), "confidentiality": ("public", "closed", "social")}[fault]
        value = value if value.strip() not in allowed else value + "?"
        return BadHeaders({**headers, f"ce-{fault}": value}, f"ce-{fault} {value!r}")
    if fault == "other_type":
        value = draw(st.sampled_from(other_types))
        return BadHeaders({**headers, "ce-type": value}, f"ce-type of another message: {value}")
    if fault == "garbage_type":
        value = draw(
            st.sampled_from(["be.raderwerk", "be.raderwerk..v1", "com.example.thing.v1", ce_type + ".v2x"])
            | _TEXT.map(lambda t: f"be.raderwerk.{t}.v1")
        )
        value = value if value != ce_type else value + "x"
        return BadHeaders({**headers, "ce-type": value}, f"ce-type {value!r}")
    name = "ce-id" if fault == "id" else draw(st.sampled_from(["ce-correlationid", "ce-causationid", "ce-source"]))
    value = draw(_CONTROLS | _too_long(name))
    return BadHeaders({**headers, name: value}, f"{name} {value[:20]!r} ({len(value)} chars)")


# Header names NATS clients send: an HTTP token (nats-py refuses anything else before sending).
_TOKEN = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_NAMES = st.text(st.sampled_from(_TOKEN), min_size=1, max_size=16)
_VALUES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Co"), exclude_characters="\r\n"), max_size=40)


def extra_headers() -> st.SearchStrategy[dict[str, str]]:
    """Headers that are no part of an envelope: noise a service must ignore."""
    return st.dictionaries(
        _NAMES.filter(lambda n: not n.lower().startswith(("ce-", "nats-")) and n.strip() == n), _VALUES, max_size=4
    )
