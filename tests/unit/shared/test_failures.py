"""Which handler failures are the input's for good (dead-lettered at once, or `invalid_command`)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError

from shared.messaging.failures import describe_failure, is_permanent


class _Short(BaseModel):
    text: str


def _validation_error() -> ValidationError:
    try:
        _Short.model_validate({"text": 1})
    except ValidationError as exc:
        return exc
    raise AssertionError("unreachable")


def _overflow() -> OverflowError:
    try:
        dt.date(9999, 12, 31) + dt.timedelta(days=1)
    except OverflowError as exc:
        return exc
    raise AssertionError("unreachable")


class _Orig(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__("from the database")
        self.sqlstate = sqlstate


def _wrapped(sqlstate: str) -> _Orig:
    """How SQLAlchemy's asyncpg adapter wraps the driver's error: the state is on its cause."""
    adapter = _Orig(None)
    adapter.__cause__ = _Orig(sqlstate)
    return adapter


@pytest.mark.parametrize(
    "exc",
    [
        _validation_error(),
        _overflow(),
        decimal.InvalidOperation(),
        RecursionError(),
        DBAPIError("INSERT", {}, _Orig("22003")),  # numeric value out of range
        DBAPIError("INSERT", {}, _Orig("54000")),  # index row size exceeds the maximum
        DBAPIError("INSERT", {}, _wrapped("22000")),  # asyncpg's own check of an argument, wrapped
    ],
    ids=lambda e: type(e).__name__,
)
def test_failures_the_same_input_repeats_are_permanent(exc: BaseException) -> None:
    assert is_permanent(exc)


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("SELECT 1", {}, _Orig("57P01")),  # admin shutdown: the database restarts
        DBAPIError("INSERT", {}, _Orig("40001")),  # serialization failure: try again
        DBAPIError("INSERT", {}, _Orig(None)),
        ConnectionError("reset by peer"),
        TimeoutError(),
        RuntimeError("a bug"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_failures_that_may_pass_are_not(exc: BaseException) -> None:
    assert not is_permanent(exc)


def test_a_failure_is_described_in_one_short_line() -> None:
    described = describe_failure(_validation_error())
    assert described.startswith("ValidationError: 1 validation error for _Short")
    assert "\n" not in described
    assert len(described) <= 300
