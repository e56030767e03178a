"""`rw external …`: the registry of external entities, their representatives, and the legal terms on their
documents (church councils' plans, budgets and accounts; management agreements' reports)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.acting import acting
from cli.connection import NotRunningError, connect, load_run_info
from cli.tasks import send
from shared.contracts.base import Query, QueryReply
from shared.contracts.external import (
    CloseExternalDeadline,
    DeadlineLine,
    EntityLine,
    FileChurchDocument,
    ListExternalDeadlines,
    ListExternalDeadlinesReply,
    ListExternalEntities,
    ListExternalEntitiesReply,
    RegisterExternalEntity,
    ScanExternalDeadlines,
)
from shared.messaging.commands import send_query
from shared.messaging.errors import Rejected
from shared.vocabulary import DeadlineKind, DeadlineOutcome, DeadlineStatus, Involvement, LegalEntity, LegalForm

__all__ = ["app", "deadline_table", "entity_table"]

app = typer.Typer(
    help="External entities, representatives and legal terms.", no_args_is_help=True, add_completion=False
)
console = Console()
R = TypeVar("R", bound=QueryReply)

_STATUS_STYLE = {"open": "white", "met": "green", "lapsed": "red"}


def _ask(query_of: Callable[[str], Query], reply_type: type[R]) -> R:
    async def main() -> R:
        nc = await connect(load_run_info())
        try:
            return await send_query(
                nc, query_of(uuid.uuid4().hex), reply_type, actor=acting(), source="/raderwerk/cli", timeout=10
            )
        finally:
            await nc.close()

    try:
        return asyncio.run(main())
    except NotRunningError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    except Rejected as exc:
        console.print(f"[red]rejected: {exc.code}[/] {exc.message}")
        raise typer.Exit(1) from exc


def entity_table(entities: tuple[EntityLine, ...], as_of: dt.date) -> Table:
    """Entities with their legal form, KBO number, involvement and the representatives sitting on `as_of`."""
    table = Table(title=f"external entities — representatives on {as_of}")
    for col in ("code", "name", "form", "KBO", "entity", "involvement", "representatives"):
        table.add_column(col)
    for e in entities:
        sitting = [f"{r.person_name} ({r.person_id}, {r.role})" for r in e.representatives if r.sitting]
        table.add_row(
            e.code,
            escape(e.name),
            e.legal_form.value,
            e.kbo or "—",
            e.municipal_entity.value,
            ", ".join(i.value for i in e.involvements),
            escape("; ".join(sitting) or "—"),
        )
    return table


def deadline_table(deadlines: tuple[DeadlineLine, ...]) -> Table:
    """Deadlines by last day, lapsed ones in red with what silence decided."""
    table = Table(title="legal terms")
    for col in ("last day", "status", "outcome", "entity", "kind", "title", "silence means", "deadline id"):
        table.add_column(col)
    for d in deadlines:
        style = _STATUS_STYLE.get(d.status.value, "white")
        table.add_row(
            d.due_on.isoformat(),
            f"[{style}]{d.status.value}[/]",
            d.outcome.value if d.outcome else "",
            d.entity_code,
            d.kind.value,
            escape(d.title),
            d.silence.value,
            str(d.deadline_id),
        )
    return table


@app.command("list")
def list_(
    code: str | None = typer.Option(None, "--code", help="One entity, e.g. kf-sint-martinus."),
    as_of: str | None = typer.Option(None, "--as-of", help="The day whose sitting representatives to show."),
) -> None:
    """The registry, with the representatives sitting today (or on --as-of)."""
    day = dt.date.fromisoformat(as_of) if as_of else None
    reply = _ask(lambda cid: ListExternalEntities(command_id=cid, code=code, as_of=day), ListExternalEntitiesReply)
    console.print(entity_table(reply.entities, reply.as_of))


@app.command()
def deadlines(
    code: str | None = typer.Option(None, "--code", help="One entity."),
    status: str | None = typer.Option(None, "--status", help="open, met or lapsed."),
) -> None:
    """The legal terms on the entities' documents and reports, by last day."""
    wanted = DeadlineStatus(status) if status else None
    reply = _ask(
        lambda cid: ListExternalDeadlines(command_id=cid, entity_code=code, status=wanted), ListExternalDeadlinesReply
    )
    console.print(deadline_table(reply.deadlines))


@app.command()
def register(
    code: str,
    *,
    name: str = typer.Option(..., "--name"),
    form: str = typer.Option(..., "--form", help=", ".join(f.value for f in LegalForm)),
    involvement: list[str] = typer.Option(  # noqa: B008 - typer reads its options from the defaults
        ..., "--involvement", help="supervising, co_financing, member or advising; repeat for several."
    ),
    kbo: str | None = typer.Option(None, "--kbo", help="dddd.ddd.ddd"),
    entity: str = typer.Option("gemeente", "--entity", help="gemeente or ocmw."),
) -> None:
    """Enter an external entity in the registry."""
    reply = send(
        lambda cid: RegisterExternalEntity(
            command_id=cid,
            code=code,
            name=name,
            legal_form=LegalForm(form),
            kbo=kbo,
            involvements=frozenset(Involvement(i) for i in involvement),
            municipal_entity=LegalEntity(entity),
        )
    )
    console.print(f"[green]registered[/] {code} {reply.ids.get('entity_id', '')}")


@app.command("file")
def file_(
    code: str,
    kind: str = typer.Option(..., "--kind", help="multi_year_plan, budget, budget_outside_plan or accounts."),
    title: str = typer.Option(..., "--title"),
    received: str = typer.Option(..., "--received", help="The day it came in (YYYY-MM-DD)."),
    advised: str | None = typer.Option(None, "--advised", help="Multi-year plan: the representative organ's advice."),
) -> None:
    """A church council filed a document: the council's legal term starts."""
    reply = send(
        lambda cid: FileChurchDocument(
            command_id=cid,
            entity_code=code,
            kind=DeadlineKind(kind),
            title=title,
            received_on=dt.date.fromisoformat(received),
            advised_on=dt.date.fromisoformat(advised) if advised else None,
        )
    )
    console.print(
        f"[green]filed[/] deadline {reply.ids['deadline_id']}: last day {reply.data['due_on']}, "
        f"silence means {reply.data['silence']}"
    )


@app.command()
def decide(
    deadline: uuid.UUID,
    outcome: str = typer.Option(..., "--outcome", help="approved, refused, adjusted, noted, advised or received."),
    decision: str | None = typer.Option(None, "--decision", help="The council's decision id."),
    on: str | None = typer.Option(None, "--on", help="The day (today when not given)."),
) -> None:
    """The council decided within the term (or the report came in)."""
    send(
        lambda cid: CloseExternalDeadline(
            command_id=cid,
            deadline_id=deadline,
            outcome=DeadlineOutcome(outcome),
            decision_id=uuid.UUID(decision) if decision else None,
            on=dt.date.fromisoformat(on) if on else None,
        )
    )
    console.print(f"[green]{outcome}[/] {deadline}")


@app.command()
def scan(
    as_of: str = typer.Option(..., "--as-of", help="Let silence decide terms that ended before this day."),
) -> None:
    """Run the deadline scan now, as of a day (the service runs it periodically on its clock)."""
    reply = send(lambda cid: ScanExternalDeadlines(command_id=cid, as_of=dt.date.fromisoformat(as_of)))
    console.print(f"[green]scanned[/] {reply.data.get('lapsed', 0)} terms lapsed")
