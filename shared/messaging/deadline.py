"""How long a sender waits for its reply, so that no service carries out a request nobody waits for.

A request queues in the serving process until its handler takes it. Under overload that queue grows;
without a deadline the service would carry out, seconds late, commands whose senders already gave
up with `NoAnswer` (and will send again), while fresh requests wait behind them until they too come
too late: the service stays busy and almost no reply arrives in time (congestion collapse).

`send_command` and `send_query` therefore put the moment they stop waiting in `rw-deadline`
(RFC 3339, UTC, milliseconds). A service answers a request whose deadline has passed before a
handler took it with `deadline_passed`, before it reads the body or verifies the actor, and changes
nothing: the sender may send it again with the same command id. A request without the header (a
simple client) has no deadline.

The deadline is the sender's clock against the service's, with no leeway: a leeway would let the
queue grow past the time every sender waits, so that every request taken is one nobody waits for.
Hosts keep their clocks synchronised anyway (actor tokens allow 5 s); a sender whose clock lags the
service's by more than its timeout has every request refused, and the reply names both times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from shared.messaging.rfc3339 import TimeUnreadable, read_time

__all__ = ["DEADLINE_HEADER", "DeadlinePassed", "DeadlineUnreadable", "check_deadline", "deadline_header"]

DEADLINE_HEADER = "rw-deadline"


class DeadlinePassed(Exception):
    """The sender stopped waiting before the service took the request."""

    def __init__(self, deadline: dt.datetime, now: dt.datetime) -> None:
        late = (now - deadline).total_seconds()
        super().__init__(
            f"the sender stopped waiting at {_text(deadline)}, {late:.3f} s before this service took the request "
            f"(its time {_text(now)}); nothing was carried out: send it again with the same command id"
        )


class DeadlineUnreadable(ValueError):
    """The `rw-deadline` header is not an RFC 3339 time with its offset."""


def deadline_header(timeout_s: float, now: dt.datetime) -> str:
    """The header value for a sender that waits `timeout_s` from `now` (an aware time)."""
    return _text(now + dt.timedelta(seconds=timeout_s))


def check_deadline(headers: Mapping[str, str], now: dt.datetime) -> None:
    """Nothing when the request has no deadline or it is still ahead; else why the service will not take it.

    Raises `DeadlinePassed` or `DeadlineUnreadable`.
    """
    value = headers.get(DEADLINE_HEADER)
    if value is None:
        return
    deadline = _parse(value)
    if now > deadline:
        raise DeadlinePassed(deadline, now)


def _parse(value: str) -> dt.datetime:
    try:
        return read_time(value, DEADLINE_HEADER)
    except TimeUnreadable as exc:
        raise DeadlineUnreadable(str(exc)) from exc


def _text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
