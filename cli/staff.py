"""`rw staff …`: staff members with their employments and delegations; delegation checks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.tasks import send
from shared.contracts.base import LegalEntity
from shared.contracts.hr import CheckDelegation, DelegationPower, ListStaff, RevokeDelegation

__all__ = ["app", "staff_table"]

app = typer.Typer(help="Staff and delegations.", no_args_is_help=True, add_completion=False)
console = Console()


def _delegations(rows: Sequence[dict[str, Any]]) -> str:
    lines = []
    for d in rows:
        scope = d.get("budget_scope") or {}
        limit = f" ≤ €{scope['max_amount']}" if scope.get("max_amount") else ""
        state = "" if d["state"] == "valid" else f" ({d['state']})"
        lines.append(f"{d['power']} {d['entity']}{limit} from {d['from']}{state}")
    return "\n".join(lines)


def staff_table(staff: Sequence[dict[str, Any]]) -> Table:
    """Staff with their employments and the delegations they hold."""
    table = Table(title="staff")
    for col in ("person", "name", "role", "grade", "employments", "delegations held"):
        table.add_column(col)
    for s in staff:
        employments = "\n".join(
            f"{e['entity']} {e['position']} {e['grade']} {'statutory' if e['statutory'] else 'contractual'}"
            f"{' unit ' + e['unit_code'] if e.get('unit_code') else ''}"
            f"{' until ' + e['end_date'] if e.get('end_date') else ''}"
            f"{' (works for ' + '+'.join(e['works_for']) + ')' if len(e.get('works_for', [])) > 1 else ''}"
            for e in s["employments"]
        )
        cells = (s["person_id"], s["name"], s["role"], s["grade"], employments, _delegations(s["delegations"]))
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
    reply = send(lambda cid: ListStaff(command_id=cid, entity=employer, person_id=person, on=day))
    staff = reply.data.get("staff", [])
    bodies = reply.data.get("body_delegations", [])
    assert isinstance(staff, list)
    assert isinstance(bodies, list)
    console.print(staff_table(staff))
    if bodies:
        console.print("[bold]delegations to bodies[/]")
        for d in bodies:
            console.print(f"  {d['from']} → {d['to']}: {_delegations([d])}")


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
    day = dt.date.fromisoformat(on) if on else dt.datetime.now(dt.UTC).date()
    value = Decimal(amount) if amount else None
    reply = send(
        lambda cid: CheckDelegation(
            command_id=cid,
            person_id=person,
            power=power,
            entity=entity,
            amount=value,
            on=day,
            policy_field=policy_field,
        )
    )
    if reply.data.get("valid"):
        console.print(f"[green]valid[/]: delegation {reply.data['delegation_id']}")
    else:
        console.print(f"[red]not covered[/]: {reply.data['reason']}")
        raise typer.Exit(1)


@app.command()
def revoke(delegation: uuid.UUID, reason: str) -> None:
    """Revoke a delegation (and the subdelegations resting on it)."""
    reply = send(lambda cid: RevokeDelegation(command_id=cid, delegation_id=delegation, reason=reason))
    console.print(f"[green]revoked[/] {reply.data.get('revoked')}")
