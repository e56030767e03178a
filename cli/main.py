"""The `rw` command."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from cli.connection import NotRunningError, connect, load_run_info
from cli.demo import DemoError, render, run_demo
from cli.finance import app as finance_app
from cli.meeting import app as meeting_app
from cli.staff import app as staff_app
from cli.status import consumer_table, service_table
from cli.tasks import app as tasks_app

app = typer.Typer(help="Raderwerk operator tools.", no_args_is_help=True, add_completion=False)
console = Console()
app.add_typer(meeting_app, name="meeting")
app.add_typer(finance_app, name="finance")
app.add_typer(tasks_app, name="tasks")
app.add_typer(staff_app, name="staff")


def _fail(message: str) -> None:
    console.print(f"[red]{message}[/]")
    raise typer.Exit(1)


@app.command()
def demo(timeout: float = typer.Option(30.0, help="Seconds to wait for the whole flow.")) -> None:
    """Propose and adopt a college decision; print every resulting message under one correlation id."""

    async def main() -> None:
        nc = await connect(load_run_info())
        try:
            with console.status("driving a decision through meetings, finance, organisation, notifications…"):
                result = await run_demo(nc, timeout=timeout)
            render(result, console)
        finally:
            await nc.close()

    try:
        asyncio.run(main())
    except (NotRunningError, DemoError) as exc:
        _fail(str(exc))


@app.command()
def status() -> None:
    """Health of every service and the lag of every durable consumer."""

    async def main() -> None:
        info = load_run_info()
        console.print(await service_table(info))
        nc = await connect(info)
        try:
            console.print(await consumer_table(nc))
        finally:
            await nc.close()

    try:
        asyncio.run(main())
    except NotRunningError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    app()
