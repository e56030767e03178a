"""Times in message headers (`ce-time`, `rw-deadline`): RFC 3339, so always with an offset, read as UTC."""

from __future__ import annotations

import datetime as dt

__all__ = ["TimeUnreadable", "read_time"]

#: Longer than any RFC 3339 time, nanoseconds and offset included; a longer value is not parsed.
_MAX_LENGTH = 40


class TimeUnreadable(ValueError):
    """A header value that is no RFC 3339 time with its offset; the message says which and why."""


def read_time(value: str, name: str) -> dt.datetime:
    """`value` of header `name` as an aware time in UTC, or `TimeUnreadable`."""
    shown = repr(value[:_MAX_LENGTH]) + ("..." if len(value) > _MAX_LENGTH else "")
    if len(value) > _MAX_LENGTH:
        raise TimeUnreadable(f"{name} {shown} is longer than any RFC 3339 time")
    try:
        time = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise TimeUnreadable(f"{name} {shown} is not an RFC 3339 time") from exc
    if time.tzinfo is None:
        raise TimeUnreadable(f"{name} {shown} has no time zone offset")
    try:
        # In UTC, so no later comparison or conversion falls off the calendar (year 1 at +14:00).
        return time.astimezone(dt.UTC)
    except OverflowError as exc:
        raise TimeUnreadable(f"{name} {shown} is outside the calendar in UTC") from exc
