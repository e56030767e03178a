"""The clock rules read: the system's, a shared file's shifted or frozen time, or a test's own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shared.clock import ClockSetting, FileClock, FixedClock, read_clock_file, write_clock_file

REAL = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def test_without_a_file_the_clock_is_the_system_time(tmp_path: Path) -> None:
    assert FileClock(tmp_path / "clock.json", real=lambda: REAL)() == REAL


def test_a_shift_keeps_time_running_and_a_freeze_stops_it(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    real = [REAL]
    clock = FileClock(path, real=lambda: real[0])
    write_clock_file(path, ClockSetting(offset_s=86400))
    assert clock() == REAL + dt.timedelta(days=1)
    real[0] += dt.timedelta(minutes=5)
    assert clock() == REAL + dt.timedelta(days=1, minutes=5)
    frozen = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    write_clock_file(path, ClockSetting(frozen_at=frozen))
    assert clock() == frozen
    real[0] += dt.timedelta(hours=1)
    assert clock() == frozen
    path.unlink()
    assert clock() == real[0]


def test_a_frozen_time_must_carry_its_zone(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    path.write_text('{"frozen_at": "2031-01-01T09:00:00"}')
    with pytest.raises(ValueError, match="time zone"):
        read_clock_file(path)


def test_a_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(REAL)
    assert clock() == REAL
    assert clock.advance(days=2) == REAL + dt.timedelta(days=2)
    assert clock() == REAL + dt.timedelta(days=2)
    with pytest.raises(ValueError, match="aware"):
        FixedClock(dt.datetime(2026, 1, 1))
