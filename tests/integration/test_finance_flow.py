"""The finance flow on the real stack: budget check fails, the council's budget change is
applied, the item passes and is committed, paid; the OCMW's credits stay untouched."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from nats.aio.client import Client
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.base import Command, Confidentiality, LegalEntity, Query, QueryReply
from shared.contracts.common import BodyKind, CommandReply, FinancialImpact
from shared.contracts.finance import (
    CreditChange,
    CreditCoding,
    GetCreditUse,
    GetCreditUseReply,
    GetVisumReport,
    GetVisumReportReply,
    GrantVisum,
    MarkPaid,
    OrderPayment,
    ProposeBudgetChange,
    RefuseVisum,
    VisumCounts,
)
from shared.contracts.meetings import DecisionKind, ProposeAgendaItem
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import NoAnswer
from shared.vocabulary import MandateRole
from tests.actors import acting_for, as_person
from tests.integration.meeting_driver import MeetingDriver, meetings_process, publish_mandates
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import answered, eventually

SOURCE = "/raderwerk/test"
OCMW_CREDITS = (
    "SELECT financial_year, economic_account, policy_field, action, amount, committed FROM credits"
    " WHERE entity = 'ocmw' ORDER BY 1, 2, 3, 4"
)
#: The demo plan is seeded for the current year (and the five after it).
YEAR = dt.datetime.now(dt.UTC).year
CREDIT = ("gemeente", YEAR, "6140000", "0119", "AC-1.1.1")  # 12 500 000.00 in the demo plan of 2026
R = TypeVar("R", bound=QueryReply)


def command_id() -> str:
    return uuid.uuid4().hex


@dataclass
class FinanceStack:
    """Running finance (and optionally meetings) processes, an operator connection, the databases."""

    nc: Client
    finance_db: AsyncEngine
    meetings_db: AsyncEngine | None
    processes: list[ServiceProcess]
    meetings: MeetingDriver | None = None
    """Drives meetings' sessions, where decisions are taken (when meetings runs)."""

    async def send(self, command: Command, timeout: float = 10.0, *, by: str | None = None) -> CommandReply:
        """Send a command signed as `by` (else as its scenario names); waits (briefly) for the subscription."""
        actor = as_person(by) if by else acting_for(command, "p-ad")

        async def attempt() -> CommandReply | None:
            try:
                return await send_command(self.nc, command, actor=actor, source=SOURCE, timeout=timeout)
            except NoAnswer:
                return None

        reply = await eventually(attempt, lambda r: r is not None, timeout=60, what=f"a reply to {command.NAME}")
        assert reply is not None
        return reply

    async def ask(self, query: Query, reply_type: type[R]) -> R:
        """Ask a query for its typed reply; asked again while the service is not yet subscribed."""

        async def attempt(seconds: float) -> R:
            return await send_query(
                self.nc, query, reply_type, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=seconds
            )

        return await answered(attempt, what=f"a reply to {query.NAME}")

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.finance_db.connect() as conn:
            return await conn.scalar(text(sql), params)

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.finance_db.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())

    async def events(self, subject: str) -> int:
        return int(await self.scalar("SELECT count(*) FROM outbox WHERE subject = :s", s=subject) or 0)

    def logs(self) -> str:
        return "\n".join(p.log_tail() for p in self.processes)


async def start_stack(
    nats_server: Any, pg_dsn: str, *, meetings: bool, finance_replicas: int = 1
) -> tuple[FinanceStack, list[ServiceProcess]]:
    tag = uuid.uuid4().hex[:8]
    finance_schema = f"t_fin_{tag}"
    password = nats_server.passwords["finance"]
    replicas = [
        ServiceProcess("finance", nats_server.url, password, pg_dsn, finance_schema) for _ in range(finance_replicas)
    ]
    await asyncio.to_thread(replicas[0].migrate)
    await asyncio.to_thread(replicas[0].seed)
    processes = list(replicas)
    meetings_db = None
    clock_file = Path(tempfile.mkdtemp(prefix="rw-fin-")) / "clock.json"
    if meetings:
        m = meetings_process(nats_server, pg_dsn, f"t_mtg_{tag}", clock_file)
        await asyncio.to_thread(m.migrate)
        processes.append(m)
        meetings_db = make_engine(pg_dsn, m.schema)
        org = await nats_server.connect("organisation")
        try:
            await publish_mandates(org, BodyKind.COLLEGE, [f"cbs-{tag}-{i}" for i in range(5)], first=MandateRole.MAYOR)
            await publish_mandates(org, BodyKind.GEMEENTERAAD, [f"gr-{tag}-{i}" for i in range(9)])
        finally:
            await org.close()
    for p in processes:
        p.start()
    nc = await nats_server.connect("operator")
    stack = FinanceStack(nc, make_engine(pg_dsn, finance_schema), meetings_db, processes)
    if meetings_db is not None:
        stack.meetings = MeetingDriver(nc, meetings_db, clock_file)
    # Every durable consumer of finance must be bound before events are published.
    try:
        await stack.ask(GetCreditUse(command_id=command_id()), GetCreditUseReply)
    except BaseException:
        await stop_stack(stack)  # a stack that never came up must not outlive the test
        raise
    return stack, processes


async def stop_stack(stack: FinanceStack) -> None:
    await stack.nc.close()
    for p in stack.processes:
        if p.process and p.process.poll() is None:
            p.stop()
    await stack.finance_db.dispose()
    if stack.meetings_db is not None:
        await stack.meetings_db.dispose()


@pytest.fixture
async def stack(nats_server: Any, pg_dsn: str) -> AsyncIterator[FinanceStack]:
    s, _ = await start_stack(nats_server, pg_dsn, meetings=True)
    try:
        yield s
    finally:
        await stop_stack(s)


async def credit(stack: FinanceStack, key: tuple[str, int, str, str, str]) -> tuple[Decimal, Decimal]:
    [row] = await stack.rows(
        "SELECT amount, committed FROM credits WHERE entity = :e AND financial_year = :y"
        " AND economic_account = :a AND policy_field = :p AND action = :act",
        e=key[0],
        y=key[1],
        a=key[2],
        p=key[3],
        act=key[4],
    )
    return row.amount, row.committed


def _impact(amount: str) -> FinancialImpact:
    return FinancialImpact(
        entity=LegalEntity.GEMEENTE,
        amount=Decimal(amount),
        economic_account=CREDIT[2],
        policy_field=CREDIT[3],
        action=CREDIT[4],
        financial_year=CREDIT[1],
        third_party="Groendienst BV",
    )


def _proposal(amount: str) -> ProposeAgendaItem:
    return ProposeAgendaItem(
        command_id=command_id(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title="Gunning groot onderhoud speelpleinen",
        confidentiality=Confidentiality.PUBLIC,
        legal_basis="Decreet lokaal bestuur art. 56",
        financial_impact=_impact(amount),
    )


async def _budget_check(stack: FinanceStack, item_id: str) -> str:
    async def probe() -> list[Any]:
        return await stack.rows(
            "SELECT subject FROM outbox WHERE subject LIKE 'finance.budget_check.%' AND headers->>'ce-subject' = :item",
            item=item_id,
        )

    [row] = await eventually(probe, lambda r: len(r) == 1, timeout=30, what=f"the budget check of {item_id}")
    return str(row.subject)


async def _decide(stack: FinanceStack, item_id: str, body: BodyKind = BodyKind.COLLEGE) -> CommandReply:
    """Decide in a session of `body`, convened once meetings recorded the budget check and the visum."""
    driver = stack.meetings
    assert driver is not None
    present = await driver.voters(body, at_least=5)
    return await driver.decide(body, uuid.UUID(item_id), present, against=1)


async def test_budget_change_lets_the_item_pass_and_be_committed_and_paid(stack: FinanceStack) -> None:
    ocmw_before = await stack.rows(OCMW_CREDITS)
    base, _ = await credit(stack, CREDIT)
    [operating] = await stack.rows(
        f"SELECT amount FROM limitative_totals WHERE entity = 'gemeente' AND financial_year = {YEAR}"
        " AND total = 'operating'"
    )
    wanted = f"{base + 50000:.2f}"

    # 1. More than the credit holds: the budget check fails.
    first = await stack.send(_proposal(wanted))
    assert first.accepted, first
    assert await _budget_check(stack, first.ids["item_id"]) == "finance.budget_check.failed"

    # 2. Finance prepares the budget change; the council adopts it through meetings.
    change = await stack.send(
        ProposeBudgetChange(
            command_id=command_id(),
            entity=LegalEntity.GEMEENTE,
            title="Aanpassing meerjarenplan 2026/1",
            changes=(
                CreditChange(
                    credit=CreditCoding(
                        entity=LegalEntity.GEMEENTE,
                        financial_year=YEAR,
                        economic_account=CREDIT[2],
                        policy_field=CREDIT[3],
                        action=CREDIT[4],
                    ),
                    change=Decimal("75000.00"),
                ),
            ),
        ),
        by="p-fd",
    )
    assert change.accepted, change
    assert change.data["status"] == "proposed"
    budget_change_id = change.ids["budget_change_id"]
    council_item = await stack.send(
        ProposeAgendaItem(
            command_id=command_id(),
            body=BodyKind.GEMEENTERAAD,
            entity=LegalEntity.GEMEENTE,
            title="Aanpassing meerjarenplan 2026/1",
            kind=DecisionKind.BUDGET_CHANGE,
            legal_basis="Decreet lokaal bestuur art. 249",
            budget_change_id=uuid.UUID(budget_change_id),
        )
    )
    assert council_item.accepted, council_item
    adopted = await _decide(stack, council_item.ids["item_id"], BodyKind.GEMEENTERAAD)
    assert adopted.accepted, adopted
    assert adopted.data["outcome"] == "adopted"

    async def amount() -> Decimal:
        return (await credit(stack, CREDIT))[0]

    await eventually(amount, lambda a: a == base + 75000, timeout=30, what="the applied budget change")
    assert await stack.events("finance.budget_change.applied") == 3, "the demo plan's two parts, then this change"
    [total] = await stack.rows(
        f"SELECT amount FROM limitative_totals WHERE entity = 'gemeente' AND financial_year = {YEAR}"
        " AND total = 'operating'"
    )
    assert total.amount == operating.amount + 75000, "the operating total rose with the credit"

    # 3. The same item proposed again passes; the financial director grants the visum.
    second = await stack.send(_proposal(wanted))
    item_id = second.ids["item_id"]
    assert await _budget_check(stack, item_id) == "finance.budget_check.passed"
    visum = await stack.send(
        GrantVisum(command_id=command_id(), item_id=uuid.UUID(item_id), conditions=("Raamcontract",)), by="p-fd"
    )
    assert visum.accepted, visum
    decided = await _decide(stack, item_id)
    assert decided.accepted, decided
    decision_id = decided.ids["decision_id"]

    async def commitment() -> list[Any]:
        return await stack.rows(
            "SELECT commitment_id, entity, amount, third_party FROM commitments WHERE decision_id = :d", d=decision_id
        )

    [row] = await eventually(commitment, lambda r: len(r) == 1, timeout=30, what="the commitment")
    assert row.entity == "gemeente"
    assert row.amount == Decimal(wanted)
    assert row.third_party == "Groendienst BV"
    assert await credit(stack, CREDIT) == (base + 75000, Decimal(wanted))

    # 4. A payment order against the commitment, then paid; never more than committed.
    too_much = await stack.send(
        OrderPayment(
            command_id=command_id(),
            commitment_id=row.commitment_id,
            amount=Decimal(wanted) + Decimal("0.01"),
        ),
        by="p-fd",
    )
    assert too_much.code == "payment_exceeds_commitment"
    order = await stack.send(
        OrderPayment(
            command_id=command_id(),
            commitment_id=row.commitment_id,
            amount=Decimal("120000.50"),
            reference="F-2026-0042",
        ),
        by="p-fd",
    )
    assert order.accepted, order
    paid = await stack.send(
        MarkPaid(command_id=command_id(), payment_order_id=uuid.UUID(order.ids["payment_order_id"]))
    )
    assert paid.accepted, paid
    [payment] = await stack.rows("SELECT ordered, paid FROM commitments WHERE commitment_id = :c", c=row.commitment_id)
    assert (payment.ordered, payment.paid) == (Decimal("120000.50"), Decimal("120000.50"))
    assert await stack.events("finance.payment.paid") == 1

    # 5. Nothing of this touched the OCMW.
    ocmw_after = await stack.rows(OCMW_CREDITS)
    assert ocmw_after == ocmw_before
    assert all(r.committed == 0 for r in ocmw_after)
    assert await stack.scalar("SELECT count(*) FROM commitments WHERE entity = 'ocmw'") == 0


async def test_a_refused_visum_blocks_the_commitment_until_the_college_overrules_it(stack: FinanceStack) -> None:
    proposed = await stack.send(_proposal("20000.00"))
    item_id = proposed.ids["item_id"]
    assert await _budget_check(stack, item_id) == "finance.budget_check.passed"
    not_fd = await stack.send(
        RefuseVisum(command_id=command_id(), item_id=uuid.UUID(item_id), reasons=("Nee",)), by="p-schepen"
    )
    assert not_fd.code == "not_financial_director"
    refused = await stack.send(
        RefuseVisum(
            command_id=command_id(),
            item_id=uuid.UUID(item_id),
            reasons=("Geen overheidsopdracht gevoerd",),
        ),
        by="p-fd",
    )
    assert refused.accepted, refused

    # Meetings refuses to table the item once it knows of the refusal.
    blocked = await _decide(stack, item_id)
    assert (blocked.accepted, blocked.code) == (False, "visum_refused")
    assert await stack.scalar("SELECT count(*) FROM commitments") == 0

    overruling = await stack.send(
        ProposeAgendaItem(
            command_id=command_id(),
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            title="Overruling visum groot onderhoud speelpleinen",
            kind=DecisionKind.VISUM_OVERRULING,
            legal_basis="Decreet lokaal bestuur art. 266",
            overrules_item_id=uuid.UUID(item_id),
        )
    )
    assert overruling.accepted, overruling
    overruled = await _decide(stack, overruling.ids["item_id"])
    assert overruled.accepted, overruled
    decided = await _decide(stack, item_id)
    assert decided.accepted, decided

    async def committed() -> list[Any]:
        return await stack.rows("SELECT decision_id, amount FROM commitments")

    [row] = await eventually(committed, lambda r: len(r) == 1, timeout=30, what="the commitment after overruling")
    assert str(row.decision_id) == decided.ids["decision_id"]
    assert row.amount == Decimal("20000.00")
    [record] = await stack.rows("SELECT body, decision_id FROM visum_overrulings")
    assert (record.body, str(record.decision_id)) == ("college", overruled.ids["decision_id"])
    assert await stack.events("finance.visum.overruled") == 1
    report = await stack.ask(GetVisumReport(command_id=command_id()), GetVisumReportReply)
    assert report.summary == VisumCounts(requested=0, granted=0, refused=0, overruled=1)
