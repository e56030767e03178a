"""`rw staff …`: staff members with their employments and delegations; delegation checks; discipline.

A sanction comes from a body's decision in session (a `discipline` item, `rw meeting`), or from the
algemeen directeur (`rw staff sanction`); here a case is opened and the hearing recorded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.acting import acting
from cli.connection import NotRunningError, clock_of, connect, load_run_info
from cli.tasks import send
from shared.contracts.base import LegalEntity, Query, QueryReply
from shared.contracts.hr import (
    CheckDelegation,
    CheckDelegationReply,
    DelegationLine,
    DelegationPower,
    EmploymentLine,
    ImposeSanction,
    ListStaff,
    ListStaffReply,
    OpenDisciplinaryCase,
    RecordHearing,
    RevokeDelegation,
    StaffLine,
)
from shared.messaging.commands import send_query
from shared.messaging.errors import Rejected

__all__ = ["app", "staff_table"]

app = typer.Typer(help="Staff and delegations.", no_args_is_help=True, add_completion=False)
console = Console()

R = TypeVar("R", bound=QueryReply)


def ask(query_of: Callable[[str], Query], reply_type: type[R], timeout: float = 10.0) -> R:
    """Ask one query as the operator and answer its typed reply (exit 1 when not running or rejected)."""

    async def main() -> R:
        nc = await connect(load_run_info())
        try:
            return await send_query(
                nc, query_of(uuid.uuid4().hex), reply_type, actor=acting(), source="/raderwerk/cli", timeout=timeout
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


def _grantor(d: DelegationLine) -> str:
    return d.from_body.value if d.from_body else str(d.from_person_id)


def _delegations(rows: Sequence[DelegationLine]) -> str:
    lines = []
    for d in rows:
        cap = d.budget_scope.max_amount if d.budget_scope else None
        limit = f" ≤ €{cap}" if cap is not None else ""
        state = "" if d.state == "valid" else f" ({d.state})"
        lines.append(f"{d.power.value} {d.entity.value}{limit} from {_grantor(d)}{state}")
    return "\n".join(lines)


def _employment(e: EmploymentLine) -> str:
    return (
        f"{e.entity.value} {e.position} {e.grade} {'statutory' if e.statutory else 'contractual'}"
        f"{' unit ' + e.unit_code if e.unit_code else ''}"
        f"{' until ' + e.end_date.isoformat() if e.end_date else ''}"
        f"{' (works for ' + '+'.join(w.value for w in e.works_for) + ')' if len(e.works_for) > 1 else ''}"
    )


def staff_table(staff: Sequence[StaffLine]) -> Table:
    """Staff with their employments and the delegations they hold."""
    table = Table(title="staff")
    for col in ("person", "name", "role", "grade", "employments", "delegations held"):
        table.add_column(col)
    for s in staff:
        employments = "\n".join(_employment(e) for e in s.employments)
        cells = (s.person_id, s.name, s.role, s.grade, employments, _delegations(s.delegations))
        table.add_row(*(escape(str(c)) for c in cells))
    return table


@app.command("list")
def list_(
    entity: str | None = typer.Option(None, "--entity", "-e", help="gemeente or ocmw (the employer)."),
    person: str | None = typer.Option(None, "--person", "-p"),
    on: str | None = typer.Option(None, "--on", help="Delegation states on this date (default today)."),
) -> None:
    """Staff with their employments and delegations."""
    day = dt.date.fromisoformat(on) if on else None
    employer = LegalEntity(entity) if entity else None
    reply = ask(lambda cid: ListStaff(command_id=cid, entity=employer, person_id=person, on=day), ListStaffReply)
    console.print(staff_table(reply.staff))
    if reply.body_delegations:
        console.print("[bold]delegations to bodies[/]")
        for d in reply.body_delegations:
            console.print(f"  {_grantor(d)} → {d.to_person_id}: {_delegations([d])}")


@app.command()
def check(
    person: str,
    power: DelegationPower,
    entity: LegalEntity,
    *,
    amount: str | None = typer.Option(None, "--amount", help="Euro, e.g. 1250.00"),
    on: str | None = typer.Option(None, "--on", help="Date (default today)."),
    policy_field: str | None = typer.Option(None, "--policy-field"),
) -> None:
    """Is there a valid delegation for this use? Prints its id or the reason."""
    day = dt.date.fromisoformat(on) if on else clock_of(load_run_info())().date()
    value = Decimal(amount) if amount else None
    reply = ask(
        lambda cid: CheckDelegation(
            command_id=cid,
            person_id=person,
            power=power,
            entity=entity,
            amount=value,
            on=day,
            policy_field=policy_field,
        ),
        CheckDelegationReply,
    )
    if reply.valid:
        console.print(f"[green]valid[/]: delegation {reply.delegation_id}")
    else:
        console.print(f"[red]not covered[/]: {reply.reason}")
        raise typer.Exit(1)


@app.command()
def revoke(delegation: uuid.UUID, reason: str) -> None:
    """Revoke a delegation (and the subdelegations resting on it)."""
    reply = send(lambda cid: RevokeDelegation(command_id=cid, delegation_id=delegation, reason=reason))
    console.print(f"[green]revoked[/] {reply.data.get('revoked')}")


@app.command("open-case")
def open_case(
    person: str,
    entity: LegalEntity,
    facts: str,
    by: str = typer.Option(..., "--by", help="Who opens the case (not the person concerned)."),
) -> None:
    """Open a disciplinary case against a statutory staff member; prints the case id."""
    reply = send(
        lambda cid: OpenDisciplinaryCase(command_id=cid, person_id=person, entity=entity, facts=facts, opened_by=by)
    )
    console.print(f"[green]case opened[/] {reply.ids['case_id']} (employment {reply.ids['employment_id']})")


@app.command()
def hearing(
    case: uuid.UUID,
    defence: str,
    on: str | None = typer.Option(None, "--on", help="Day of the hearing (default today)."),
) -> None:
    """Record that the staff member was heard, with their defence: only then can a sanction follow."""
    day = dt.date.fromisoformat(on) if on else clock_of(load_run_info())().date()
    reply = send(lambda cid: RecordHearing(command_id=cid, case_id=case, heard_on=day, defence=defence))
    console.print(f"[green]heard[/] case {case}: {reply.data.get('state')}")


@app.command()
def sanction(
    case: uuid.UUID,
    name: str,
    reasons: str,
    by: str = typer.Option(..., "--by", help="The algemeen directeur."),
    effective: str | None = typer.Option(None, "--from", help="The day it takes effect (default today)."),
) -> None:
    """The algemeen directeur imposes a sanction the staff regulations give them, with reasons."""
    day = dt.date.fromisoformat(effective) if effective else None
    reply = send(
        lambda cid: ImposeSanction(
            command_id=cid, case_id=case, sanction=name, reasons=reasons, decided_by=by, takes_effect_on=day
        )
    )
    console.print(f"[green]sanctioned[/] case {case}: {name} (decision {reply.ids['decision_id']})")
