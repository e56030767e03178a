"""Hypothesis strategies for the headers of a message: any text, and times in every zone and year."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

__all__ = ["ENVELOPE_HEADERS", "header_changes"]

#: The CloudEvents attributes every reader of a message looks at.
ENVELOPE_HEADERS = (
    "ce-specversion",
    "ce-id",
    "ce-source",
    "ce-type",
    "ce-time",
    "ce-correlationid",
    "ce-causationid",
)


def header_changes(names: Sequence[str]) -> st.SearchStrategy[dict[str, str]]:
    """Up to four of `names` set to any text, or to a time with an offset (year 1 at +14:00 included)."""
    values = st.one_of(st.text(max_size=60), st.datetimes(timezones=st.timezones()).map(lambda t: t.isoformat()))
    return st.dictionaries(st.sampled_from(list(names)), values, max_size=4)
