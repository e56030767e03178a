"""The `rw` command.

Every command ends in one of two ways: what it was asked, with exit status 0, or one line that
names the problem and what to do, with a non-zero exit status. A system that is not running or a
service that does not answer is such a problem, never a traceback.
"""

from __future__ import annotations

import asyncio
import sys

import typer
from rich.console import Console
from rich.text import Text

from cli.acting import ActorNeeded, operator_signer, set_acting_person
from cli.audit import VerifyFailed
from cli.audit import app as audit_app
from cli.clock import app as clock_app
from cli.connection import NotRunningError, clock_of, connect, load_run_info
from cli.demo import DemoError, render, run_demo
from cli.district import app as district_app
from cli.dlq import app as dlq_app
from cli.external import app as external_app
from cli.finance import app as finance_app
from cli.gateway import tokens_app, users
from cli.meeting import app as meeting_app
from cli.records import app as records_app
from cli.replay import replay
from cli.reports import app as reports_app
from cli.staff import app as staff_app
from cli.status import NotReady, check_ready, consumer_table, service_table
from cli.subscriptions import app as subscriptions_app
from cli.tasks import app as tasks_app
from shared.kernel import RuleViolation
from shared.messaging.errors import NoAnswer, Rejected

app = typer.Typer(help="Raderwerk operator tools.", no_args_is_help=True, add_completion=False)
console = Console()
errors = Console(stderr=True)


@app.callback()
def acting_person(
    acting: str | None = typer.Option(
        None,
        "--as",
        metavar="PERSON-ID",
        help="Act as this person (signed with the operator's key, recorded as the operator acting for them).",
    ),
) -> None:
    """Raderwerk operator tools."""
    set_acting_person(acting)


app.add_typer(meeting_app, name="meeting")
app.add_typer(finance_app, name="finance")
app.add_typer(reports_app, name="reports")
app.add_typer(tasks_app, name="tasks")
app.add_typer(staff_app, name="staff")
app.add_typer(clock_app, name="clock")
app.add_typer(external_app, name="external")
app.add_typer(subscriptions_app, name="subscriptions")
app.add_typer(district_app, name="district")
app.add_typer(records_app, name="records")
app.add_typer(audit_app, name="audit")
app.add_typer(dlq_app, name="dlq")
app.command()(replay)
app.command()(users)
app.add_typer(tokens_app, name="tokens")


@app.command()
def demo(timeout: float = typer.Option(30.0, help="Seconds to wait for the whole flow.")) -> None:
    """Decide a college item in a college session; print every resulting message under one correlation id."""

    async def main() -> None:
        info = load_run_info()
        await check_ready(info)
        nc = await connect(info)
        try:
            with console.status("driving a decision through meetings, finance, organisation, notifications…"):
                result = await run_demo(nc, operator_signer(info), timeout=timeout, clock=clock_of(info))
            render(result, console)
        finally:
            await nc.close()

    asyncio.run(main())


@app.command()
def status() -> None:
    """Health of every service and the lag of every durable consumer; non-zero when one is not ready."""

    async def main() -> None:
        info = load_run_info()
        services, not_ready = await service_table(info)
        console.print(services)
        nc = await connect(info)
        try:
            console.print(await consumer_table(nc))
        finally:
            await nc.close()
        if not_ready:
            raise NotReady(not_ready)

    asyncio.run(main())


def _problem(exc: BaseException) -> str | None:
    """The one line for a failure a person can act on; None for a bug (its traceback is shown)."""
    if isinstance(exc, NoAnswer):
        return (
            f"{exc.service} does not answer ({exc.reason} on {exc.subject}): "
            "see `rw status`; `make run` starts every service."
        )
    if isinstance(exc, Rejected):
        return f"refused: {exc.code}: {exc.message}"
    if isinstance(exc, RuleViolation):
        return f"refused: {exc.code}: {exc.message}"
    if isinstance(exc, NotRunningError | NotReady | DemoError | VerifyFailed | ActorNeeded):
        return str(exc)
    return None


def main() -> None:
    """Entry point of `rw`: run the command; turn a known failure into one line and exit 1."""
    try:
        app()
    except Exception as exc:
        line = _problem(exc)
        if line is None:
            raise
        errors.print(Text(f"rw: {line}", style="red"), soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
