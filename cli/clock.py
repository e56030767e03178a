"""`rw clock`: move the time of every service of a development or test run at once.

Rules with terms (agenda deadlines, the publication term, overdue tasks) can then be tried on the
real stack without waiting days. `make run` gives each service the same clock file under `.rw/`;
production runs have none, and their services refuse one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console

from cli.connection import NotRunningError, load_run_info
from shared.clock import ClockSetting, read_clock_file, system_clock, write_clock_file

__all__ = ["app"]

app = typer.Typer(help="The shared clock of a development or test run.", no_args_is_help=True)
console = Console()


def _file() -> Path:
    info = load_run_info()
    if info.clock_file is None:
        raise NotRunningError(
            "this run has no shared clock (production, or started without one): its services read the system time"
        )
    return info.clock_file


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not an ISO date or time, e.g. 2026-12-01T09:00") from exc
    # A time without a zone is Belgian local time as people write it; keep it explicit in UTC.
    return moment if moment.tzinfo else moment.astimezone()


def _show(setting: ClockSetting) -> None:
    now = setting.now(system_clock())
    console.print(f"services' time: {now.isoformat(timespec='seconds')} ({setting.describe()})")


@app.command()
def show() -> None:
    """The time the services read now."""
    _show(read_clock_file(_file()))


@app.command(name="set")
def set_(moment: str = typer.Argument(..., help="ISO date or time, e.g. 2026-12-01T09:00+01:00.")) -> None:
    """From now on the services' time is MOMENT, and runs on from there."""
    setting = ClockSetting(offset_s=(_moment(moment) - system_clock()).total_seconds())
    write_clock_file(_file(), setting)
    _show(setting)


@app.command()
def freeze(moment: str = typer.Argument(..., help="ISO date or time, e.g. 2026-12-01T09:00+01:00.")) -> None:
    """Stop the services' time at MOMENT."""
    setting = ClockSetting(frozen_at=_moment(moment).astimezone(dt.UTC))
    write_clock_file(_file(), setting)
    _show(setting)


@app.command()
def advance(
    days: float = typer.Option(0.0, help="Days to move on."),
    hours: float = typer.Option(0.0, help="Hours to move on."),
    minutes: float = typer.Option(0.0, help="Minutes to move on."),
) -> None:
    """Move the services' time on (a frozen clock stays frozen, later)."""
    step = dt.timedelta(days=days, hours=hours, minutes=minutes)
    if step <= dt.timedelta(0):
        raise typer.BadParameter("give a positive --days, --hours or --minutes")
    path = _file()
    current = read_clock_file(path)
    if current.frozen_at is not None:
        setting = ClockSetting(frozen_at=current.frozen_at + step)
    else:
        setting = ClockSetting(offset_s=current.offset_s + step.total_seconds())
    write_clock_file(path, setting)
    _show(setting)


@app.command()
def reset() -> None:
    """Back to the system's time."""
    path = _file()
    path.unlink(missing_ok=True)
    _show(ClockSetting())
