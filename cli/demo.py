"""`rw demo`: one decision driven through every service, shown as its tree of messages.

The decision is taken in a session of the college: the demo plans a college meeting a moment
ahead, convenes it with the item once finance has checked the credit, opens it at its time with
the college's sitting members present, votes and closes it. The printed tree shows each message
once: a command tried more than once (while finance checks the credit, say) is one node, the
first try, with the code of every refused try.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from nats.aio.client import Client
from rich.console import Console
from rich.tree import Tree

from cli.decisions import ALGEMEEN_DIRECTEUR, FINANCIAL_DIRECTOR, DecisionRefused, DecisionStalled, drive_decision
from shared.actor import ActorCredential, ActorSigner
from shared.clock import Clock, system_clock
from shared.contracts.audit import GetTrail, GetTrailReply, TrailRecord
from shared.contracts.base import Confidentiality, LegalEntity, Query, QueryReply
from shared.contracts.common import BodyKind, FinancialImpact, FollowUpAction, FollowUpKind
from shared.contracts.finance import CreditLine, GetCreditUse, GetCreditUseReply
from shared.contracts.meetings import ProposeAgendaItem
from shared.contracts.notifications import ListInbox, ListInboxReply
from shared.contracts.organisation import ListTasks, ListTasksReply
from shared.messaging.commands import send_query
from shared.messaging.errors import Rejected

__all__ = ["DemoResult", "credit_problem", "demo_proposal", "run_demo", "wait_for_trail"]

SOURCE = "/raderwerk/cli"
#: Message types that complete the demo flow (one each, tasks and inbox entries per action).
FLOW_TYPES = (
    "meetings.decision.adopted",
    "finance.commitment.recorded",
    "organisation.task.created",
    "notifications.inbox_entry.created",
)


R = TypeVar("R", bound=QueryReply)


class DemoError(RuntimeError):
    """The flow did not complete; the message says where it stopped."""


def _id() -> str:
    return uuid.uuid4().hex


def demo_proposal(today: dt.date, amount: Decimal = Decimal("18500.00")) -> ProposeAgendaItem:
    """A college decision of the gemeente, this year, with a financial impact and three follow-up actions."""
    year = today.year
    return ProposeAgendaItem(
        command_id=_id(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title=f"Gunning onderhoud speelpleinen {year}",
        confidentiality=Confidentiality.PUBLIC,
        legal_basis="Decreet lokaal bestuur art. 56; wet overheidsopdrachten 17 juni 2016",
        motivation="Jaarlijks onderhoud van de speelpleinen volgens het meerjarenplan.",
        financial_impact=FinancialImpact(
            entity=LegalEntity.GEMEENTE,
            amount=amount,
            economic_account="6140000",
            policy_field="0119",
            action="AC-1.1.1",
            financial_year=year,
            third_party="Groenwerk Heidebeek bv",
        ),
        follow_up_actions=(
            FollowUpAction(
                action_id="order",
                kind=FollowUpKind.EXECUTE,
                description="Bestelbon opmaken en versturen",
                unit_code="RUIMTE",
                due_date=today + dt.timedelta(days=14),
            ),
            FollowUpAction(
                action_id="inform",
                kind=FollowUpKind.NOTIFY,
                description="Inschrijvers op de hoogte brengen van de gunning",
                unit_code="SECR",
            ),
            FollowUpAction(
                action_id="invoice",
                kind=FollowUpKind.EXECUTE,
                description="Facturen controleren tegen de vastlegging",
                unit_code="FIN",
            ),
        ),
        proposed_by="p-ruimte",
    )


@dataclass
class DemoResult:
    """What the demo produced, for printing and for tests."""

    correlation_id: str
    decision_id: str
    trail: list[TrailRecord]
    tasks: list[dict[str, Any]]
    inbox: dict[str, list[dict[str, Any]]]
    credit: dict[str, Any] | None
    seconds: float
    attempts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per command id, what each try was answered (`accepted` or the rejection code)."""
    meeting_id: str | None = None


async def _ask(nc: Client, actor: ActorCredential, query: Query, reply_type: type[R], correlation_id: str) -> R:
    return await send_query(
        nc, query, reply_type, actor=actor, source=SOURCE, correlation_id=correlation_id, timeout=10
    )


async def wait_for_trail(
    nc: Client, actor: ActorCredential, correlation_id: str, expected: dict[str, int], deadline: float
) -> list[TrailRecord]:
    """Poll the ledger until it holds at least `expected` messages of each type, or fail."""
    records: list[TrailRecord] = []
    while True:
        query = GetTrail(command_id=_id(), correlation_id=correlation_id)
        try:
            records = list((await send_query(nc, query, GetTrailReply, actor=actor, source=SOURCE)).records)
        except Rejected:
            records = []  # the ledger cannot answer now: ask again until the deadline
        counts: dict[str, int] = {}
        for r in records:
            counts[_event_name(str(r.type))] = counts.get(_event_name(str(r.type)), 0) + 1
        missing = {t: n for t, n in expected.items() if counts.get(t, 0) < n}
        if not missing:
            return records
        if time.monotonic() > deadline:
            raise DemoError(f"still waiting for {missing} in the ledger of {correlation_id}")
        await asyncio.sleep(0.2)


def _event_name(ce_type: str) -> str:
    """`be.raderwerk.meetings.decision.adopted.v1` -> `meetings.decision.adopted`."""
    parts = ce_type.split(".")
    return ".".join(parts[2:-1]) if len(parts) > 3 else ce_type


def _key_of(impact: FinancialImpact) -> str:
    return (
        f"{impact.entity.value}/{impact.financial_year}/{impact.economic_account}/{impact.policy_field}"
        f"/{impact.action or '-'}"
    )


def credit_problem(impact: FinancialImpact, lines: tuple[CreditLine, ...]) -> str | None:
    """Why the demo's credit cannot take the demo's commitment, and how to add to it; None when it can."""
    key = _key_of(impact)
    credit = next((c for c in lines if c.credit_key == key), None)
    if credit is None:
        return (
            f"the demo's credit {key} is not in force: the demo plan covers the year `make run` was first started"
            f" in and the five after it; stage and adopt a plan for {impact.financial_year} (`rw finance import`,"
            " then a budget_change item for the gemeenteraad), or start `make run` on a fresh data folder"
        )
    if credit.available >= impact.amount:
        return None
    year = impact.financial_year
    return (
        f"the demo's credit {key} is exhausted: {credit.available:.2f} left, the demo commits {impact.amount:.2f}."
        f" Add to it inside the operating total with an internal adjustment, e.g. `rw finance adjust --entity"
        f" {impact.entity.value} --year {year} --from 6100000/0190/- --to {impact.economic_account}/"
        f"{impact.policy_field}/{impact.action} --amount 1000000.00`, or raise it by a budget change the"
        " gemeenteraad adopts (`rw finance import` of the new amount, then a budget_change item)"
    )


async def run_demo(
    nc: Client, signer: ActorSigner, *, timeout: float = 30.0, clock: Clock = system_clock
) -> DemoResult:
    """Propose, decide in a college session, and wait until every effect is in the ledger.

    `signer` signs each step as the demo person who takes it (`cli.decisions`); the financial
    director reads the credits, the algemeen directeur the ledger and the tasks, each task owner
    their own inbox.

    The demo's credit is read first: when it can no longer take the demo's commitment the demo
    stops before proposing anything and says which credit it is and how to add to it.
    """
    started = time.monotonic()
    deadline = started + timeout
    correlation_id = str(uuid.uuid4())
    proposal = demo_proposal(clock().date())
    impact = proposal.financial_impact
    assert impact is not None
    director, finance = signer.acting_as(ALGEMEEN_DIRECTEUR), signer.acting_as(FINANCIAL_DIRECTOR)
    use = await _ask(
        nc, finance, GetCreditUse(command_id=_id(), entity=impact.entity), GetCreditUseReply, correlation_id
    )
    problem = credit_problem(impact, use.credits)
    if problem is not None:
        raise DemoError(problem)
    try:
        decided = await drive_decision(
            nc, signer, proposal, correlation_id=correlation_id, deadline=deadline, clock=clock
        )
    except DecisionRefused as exc:
        if exc.code == "budget_check_failed":  # another run took what was left meanwhile
            use = await _ask(
                nc, finance, GetCreditUse(command_id=_id(), entity=impact.entity), GetCreditUseReply, correlation_id
            )
            raise DemoError(credit_problem(impact, use.credits) or str(exc)) from exc
        raise DemoError(str(exc)) from exc
    except DecisionStalled as exc:
        raise DemoError(str(exc)) from exc
    decision_id = str(decided.decision_id)
    actions = len(proposal.follow_up_actions)
    expected = {
        "meetings.decision.adopted": 1,
        "finance.commitment.recorded": 1,
        "organisation.task.created": actions,
        "notifications.inbox_entry.created": actions,
    }
    trail = await wait_for_trail(nc, director, correlation_id, expected, deadline)
    query = ListTasks(command_id=_id(), decision_id=uuid.UUID(decision_id))
    listed = await _ask(nc, director, query, ListTasksReply, correlation_id)
    tasks = [t.model_dump(mode="json") for t in listed.tasks]
    inbox: dict[str, list[dict[str, Any]]] = {}
    for owner in sorted({str(t["owner_person_id"]) for t in tasks}):
        mine = signer.acting_as(owner)
        entries = await _ask(nc, mine, ListInbox(command_id=_id(), person_id=owner), ListInboxReply, correlation_id)
        inbox[owner] = [e.model_dump(mode="json") for e in entries.entries]
    use = await _ask(
        nc, finance, GetCreditUse(command_id=_id(), entity=LegalEntity.GEMEENTE), GetCreditUseReply, correlation_id
    )
    credit = next((c.model_dump(mode="json") for c in use.credits if c.credit_key == _key_of(impact)), None)
    return DemoResult(
        correlation_id,
        decision_id,
        trail,
        tasks,
        inbox,
        credit,
        time.monotonic() - started,
        attempts=decided.attempts,
        meeting_id=str(decided.meeting_id) if decided.meeting_id else None,
    )


def _tries(outcomes: tuple[str, ...]) -> str:
    """`rejected budget_check_missing ×2, then accepted`: what the tries of one command were answered."""
    runs: list[tuple[str, int]] = []
    for outcome in outcomes:
        if runs and runs[-1][0] == outcome:
            runs[-1] = (outcome, runs[-1][1] + 1)
        else:
            runs.append((outcome, 1))
    said = [
        f"{o}{f' ×{n}' if n > 1 else ''}" if o == "accepted" else f"rejected {o}{f' ×{n}' if n > 1 else ''}"
        for o, n in runs
    ]
    return ", then ".join(said)


def render(result: DemoResult, console: Console) -> None:
    """Print the causation tree of the correlation id, with the ledger position of each message.

    A command sent more than once keeps its id, so the ledger holds each try under that id: the
    tree shows it once, as its first try, with the ledger position of every try and, where the
    demo knows them, the codes of the tries that were refused.
    """
    tries: dict[str, list[TrailRecord]] = {}
    # Consume records are shown by `rw audit trail`; the demo's tree is the commands and events.
    consumes = [r for r in result.trail if r.consume is not None]
    for r in sorted((r for r in result.trail if r.consume is None), key=lambda x: x.seq):
        tries.setdefault(str(r.message_id), []).append(r)
    firsts = [records[0] for records in tries.values()]
    children: dict[str | None, list[TrailRecord]] = {}
    for r in firsts:
        parent = r.causation_id
        children.setdefault(parent if parent in tries else None, []).append(r)
    heading = f"[bold]correlation {result.correlation_id}[/] · decision {result.decision_id}"
    if result.meeting_id:
        heading += f" · college session {result.meeting_id}"
    root = Tree(heading)

    def label(r: TrailRecord) -> str:
        hash_prefix = r.row_hash[:12]
        seqs = ", ".join(f"#{t.seq}" for t in tries[str(r.message_id)])
        text = (
            f"[cyan]{_event_name(str(r.type))}[/] [dim]from {r.service} · "
            f"{r.entity}/{r.confidentiality} · ledger {seqs} {hash_prefix}…[/]"
        )
        outcomes = result.attempts.get(str(r.message_id), ())
        if outcomes and outcomes != ("accepted",):
            text += f" [yellow]{_tries(outcomes)}[/]"
        return text

    def add(node: Tree, parent_id: str | None) -> None:
        for r in sorted(children.get(parent_id, []), key=lambda x: x.seq):
            add(node.add(label(r)), str(r.message_id))

    add(root, None)
    console.print(root)
    if result.credit:
        c = result.credit
        console.print(
            f"[bold]commitment[/] on {c['credit_key']}: committed €{c['committed']} of €{c['amount']}, "
            f"available €{c['available']}"
        )
    for t in result.tasks:
        console.print(
            f"[bold]task[/] {t.get('title')} → {t.get('owner_name')} ({t.get('unit_code')}), due {t.get('due_date')}"
        )
    for person, entries in result.inbox.items():
        console.print(f"[bold]inbox[/] {person}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
    console.print(
        f"[green]flow complete in {result.seconds:.2f} s[/] — {len(result.trail) - len(consumes)} audited messages"
        + (f" and {len(consumes)} consume records (`rw audit trail {result.correlation_id}`)" if consumes else "")
    )
