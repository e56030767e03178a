"""Which failures of a handler are the input's, so that trying again cannot help.

A handler that fails is retried (an event) or reported as `internal_error` (a command), because
most failures pass: a database restarting, a lock timing out. Some never pass for the same input:
a value a column cannot hold, a date pushed off the calendar, a derived value that breaks its own
contract. Retrying those only delays the dead letter by the whole retry schedule, and a command
that carries one is bad input, not a failure of the service.
"""

from __future__ import annotations

import decimal

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

__all__ = ["describe_failure", "is_permanent"]

# SQLSTATE classes: 22 data exception (out of range, too long, invalid text representation, ...),
# 54 program limit exceeded (an index entry too large, ...).
_PERMANENT_SQLSTATE_CLASSES = ("22", "54")


def _sqlstate(exc: DBAPIError) -> str | None:
    for error in (exc.orig, getattr(exc.orig, "__cause__", None)):
        state = getattr(error, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def is_permanent(exc: BaseException) -> bool:
    """Whether `exc` will be raised again for the same input, whatever else changes."""
    if isinstance(exc, ValidationError | OverflowError | decimal.DecimalException | RecursionError | UnicodeError):
        return True
    if isinstance(exc, DBAPIError):
        state = _sqlstate(exc)
        return state is not None and state[:2] in _PERMANENT_SQLSTATE_CLASSES
    return False


def describe_failure(exc: BaseException) -> str:
    """The failure in one line: its type and the first line of its message, at most 300 characters."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}"[:300]
