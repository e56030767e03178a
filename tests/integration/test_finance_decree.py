"""Finance as the decree has it, on the real stack: finance, meetings, external and notifications.

* A plan read from a CSV is staged; nothing can be committed on it before its council adopts it; a
  plan out of financial balance never reaches an agenda; the OCMW's part is in force only once the
  gemeenteraad approved what the RMW adopted.
* A budget holder's commitment above the visum threshold is refused without the financial
  director's visum; when the college overrules a refused visum, the overruling is reported to the
  supervisory authority and every sitting council member finds it in the inbox.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.base import Command, LegalEntity, Query
from shared.contracts.common import BodyKind, CommandReply, FinancialImpact
from shared.contracts.finance import (
    GetCreditUse,
    GetCreditUseReply,
    ImportPlan,
    RecordCommitment,
    RefuseVisum,
    RequestVisum,
)
from shared.contracts.hr import BudgetHolderScope, DelegationGranted, DelegationPower
from shared.contracts.meetings import DecisionKind, ProposeAgendaItem
from shared.contracts.notifications import ListInbox, ListInboxReply
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.messaging.envelope import Envelope
from shared.messaging.errors import NoAnswer
from shared.vocabulary import MandateRole
from tests.actors import acting_for, as_person
from tests.integration.meeting_driver import MeetingDriver, majority, meetings_process, publish_mandates
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import answered, eventually

SOURCE = "/raderwerk/test"
#: A year the demo plan does not cover: what the test stages there is all there is.
YEAR = 2040
HEADER = "entity,financial_year,kind,economic_account,policy_field,action,amount,description\n"


def _cid() -> str:
    return uuid.uuid4().hex


@dataclass
class Stack:
    nc: Client
    meetings: MeetingDriver
    engines: dict[str, AsyncEngine]
    council: list[str]
    """The council members this test seated (gemeenteraad and RMW: the same persons)."""

    async def send(self, command: Command, *, by: str | None = None) -> CommandReply:
        actor = as_person(by) if by else acting_for(command, "p-ad")

        async def attempt() -> CommandReply | None:
            try:
                return await send_command(self.nc, command, actor=actor, source=SOURCE, timeout=30)
            except NoAnswer:
                return None

        reply = await eventually(attempt, lambda r: r is not None, timeout=60, what=f"a reply to {command.NAME}")
        assert reply is not None
        return reply

    async def ask(self, query: Query, reply: type[Any], *, timeout: float = 30.0) -> Any:
        return await send_query(self.nc, query, reply, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=timeout)

    async def wait_for_finance(self) -> None:
        """Finance answers a query: bound, and through the work it does once at start (four services
        start at once here, beside two other workers)."""
        await answered(
            lambda seconds: self.ask(GetCreditUse(command_id=_cid()), GetCreditUseReply, timeout=seconds),
            what="finance to answer",
            timeout=120,
        )

    async def rows(self, service: str, sql: str, **params: Any) -> list[Any]:
        async with self.engines[service].connect() as conn:
            return list(await conn.execute(text(sql), params))

    async def decide(self, body: BodyKind, item: uuid.UUID) -> CommandReply:
        present = majority(await self.meetings.voters(body, at_least=5), extra=2)
        return await self.meetings.decide(body, item, present)

    async def propose(self, body: BodyKind, title: str, **fields: Any) -> uuid.UUID:
        return await self.meetings.propose(body, title, **fields)

    async def credits(self, entity: LegalEntity) -> GetCreditUseReply:
        reply: GetCreditUseReply = await self.ask(GetCreditUse(command_id=_cid(), entity=entity), GetCreditUseReply)
        return reply


@pytest.fixture
async def stack(nats_server: Any, pg_dsn: str, tmp_path: Path) -> AsyncIterator[Stack]:
    tag = uuid.uuid4().hex[:6]
    clock_file = tmp_path / "clock.json"
    services = {
        name: ServiceProcess(name, nats_server.url, nats_server.passwords[name], pg_dsn, f"t_{name[:4]}_{tag}")
        for name in ("finance", "external", "notifications")
    }
    services["meetings"] = meetings_process(nats_server, pg_dsn, f"t_meet_{tag}", clock_file)
    for name, service in services.items():
        await asyncio.to_thread(service.migrate)
        if name == "finance":
            await asyncio.to_thread(service.seed)
    engines = {name: make_engine(pg_dsn, s.schema) for name, s in services.items()}
    nc: Client = await nats_server.connect("operator")
    org: Client = await nats_server.connect("organisation")
    council = [f"gr-{tag}-{i:02d}" for i in range(9)]
    try:
        for service in services.values():
            service.start()
        await publish_mandates(org, BodyKind.COLLEGE, [f"cbs-{tag}-{i}" for i in range(5)], first=MandateRole.MAYOR)
        await publish_mandates(org, BodyKind.GEMEENTERAAD, council)
        await publish_mandates(org, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, council)
        stack = Stack(nc, MeetingDriver(nc, engines["meetings"], clock_file), engines, council)
        await stack.meetings.wait_ready()
        await stack.wait_for_finance()
        yield stack
        for service in services.values():
            assert service.stop() == 0, service.log_tail()
    finally:
        for service in services.values():
            if service.process and service.process.poll() is None:
                service.kill()
        await nc.close()
        await org.close()
        for engine in engines.values():
            await engine.dispose()


def _impact(entity: LegalEntity, amount: str, year: int = YEAR) -> FinancialImpact:
    return FinancialImpact(
        entity=entity,
        amount=Decimal(amount),
        economic_account="6140000",
        policy_field="0119" if entity is LegalEntity.GEMEENTE else "0900",
        action="AC-1.1.1" if entity is LegalEntity.GEMEENTE else "AC-3.1.1",
        financial_year=year,
        third_party="Groenwerk Heidebeek bv",
    )


async def _credit_amount(stack: Stack, entity: LegalEntity, key: str) -> Decimal | None:
    reply = await stack.credits(entity)
    return next((c.amount for c in reply.credits if c.credit_key == key), None)


def _college_item() -> ProposeAgendaItem:
    return ProposeAgendaItem(
        command_id=_cid(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title="Onderhoud speelpleinen",
        legal_basis="Decreet lokaal bestuur art. 56",
        financial_impact=_impact(LegalEntity.GEMEENTE, "1000.00"),
    )


async def test_a_plan_is_committable_only_once_adopted_balanced_and_for_the_ocmw_approved(stack: Stack) -> None:
    plan = ImportPlan(
        command_id=_cid(),
        csv=HEADER
        + f"gemeente,{YEAR},expense,6140000,0119,AC-1.1.1,400000.00,Onderhoud speelpleinen\n"
        + f"gemeente,{YEAR},receipt,7300000,0020,,500000.00,Aanvullende belasting\n"
        + f"ocmw,{YEAR},expense,6140000,0900,AC-3.1.1,100000.00,Werking sociale dienst\n"
        + f"ocmw,{YEAR},receipt,7400000,0900,,150000.00,Werkingsbijdrage gemeente\n",
    )
    staged = await stack.send(plan, by="p-fd")
    assert staged.accepted, staged
    gemeente, ocmw = uuid.UUID(staged.ids["gemeente"]), uuid.UUID(staged.ids["ocmw"])
    gemeente_key, ocmw_key = f"gemeente/{YEAR}/6140000/0119/AC-1.1.1", f"ocmw/{YEAR}/6140000/0900/AC-3.1.1"

    # 1. Staged, not in force: an item on the new credit fails its budget check and cannot be tabled.
    early = await stack.send(_college_item())
    assert early.accepted, early
    refused = await stack.decide(BodyKind.COLLEGE, uuid.UUID(early.ids["item_id"]))
    assert (refused.accepted, refused.code) == (False, "budget_check_failed")
    assert await _credit_amount(stack, LegalEntity.GEMEENTE, gemeente_key) is None
    assert (await stack.rows("finance", "SELECT count(*) FROM commitments"))[0][0] == 0

    # 2. A plan out of balance cannot reach an agenda.
    unbalanced = await stack.send(
        ImportPlan(command_id=_cid(), csv=HEADER + f"gemeente,{YEAR + 1},expense,6140000,0119,AC-1.1.1,9.99,Zonder\n")
    )
    assert unbalanced.data["gemeente"]["balanced"] is False  # type: ignore[index]
    off = await stack.propose(
        BodyKind.GEMEENTERAAD,
        "Aanpassing meerjarenplan zonder dekking",
        kind=DecisionKind.BUDGET_CHANGE,
        budget_change_id=uuid.UUID(unbalanced.ids["gemeente"]),
    )
    kept_off = await stack.decide(BodyKind.GEMEENTERAAD, off)
    assert (kept_off.accepted, kept_off.code) == (False, "budget_check_failed")
    assert "financial balance" in kept_off.message

    # 3. The gemeenteraad adopts the gemeente's part: its credit is in force and can be committed.
    item = await stack.propose(
        BodyKind.GEMEENTERAAD, "Aanpassing meerjarenplan", kind=DecisionKind.BUDGET_CHANGE, budget_change_id=gemeente
    )
    adopted = await stack.decide(BodyKind.GEMEENTERAAD, item)
    assert adopted.accepted, adopted
    in_force = await eventually(
        lambda: _credit_amount(stack, LegalEntity.GEMEENTE, gemeente_key),
        lambda a: a is not None,
        timeout=30,
        what="the gemeente's part in force",
    )
    assert in_force == Decimal("400000.00")
    later = await stack.send(_college_item())
    decided = await stack.decide(BodyKind.COLLEGE, uuid.UUID(later.ids["item_id"]))
    assert decided.accepted, decided
    await eventually(
        lambda: stack.rows(
            "finance", "SELECT amount FROM commitments WHERE decision_id = :d", d=decided.ids["decision_id"]
        ),
        lambda rows: len(rows) == 1,
        timeout=30,
        what="the commitment on the adopted credit",
    )

    # 4. The RMW adopts the OCMW's part: not in force before the gemeenteraad approves it.
    rmw_item = await stack.propose(
        BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
        "Meerjarenplan OCMW",
        kind=DecisionKind.BUDGET_CHANGE,
        budget_change_id=ocmw,
    )
    assert (await stack.decide(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, rmw_item)).accepted

    async def status() -> str:
        [(value,)] = await stack.rows(
            "finance", "SELECT status FROM budget_changes WHERE budget_change_id = :c", c=ocmw
        )
        return str(value)

    await eventually(status, lambda s: s == "adopted", timeout=30, what="the RMW's adoption")
    assert await _credit_amount(stack, LegalEntity.OCMW, ocmw_key) is None, "adopted by the RMW: not yet in force"
    approval = await stack.propose(
        BodyKind.GEMEENTERAAD,
        "Goedkeuring meerjarenplan OCMW",
        kind=DecisionKind.BUDGET_APPROVAL,
        budget_change_id=ocmw,
    )
    assert (await stack.decide(BodyKind.GEMEENTERAAD, approval)).accepted
    approved = await eventually(
        lambda: _credit_amount(stack, LegalEntity.OCMW, ocmw_key),
        lambda a: a is not None,
        timeout=30,
        what="the OCMW's part in force after the approval",
    )
    assert approved == Decimal("100000.00")
    assert await status() == "applied"


async def _grant_budget_holder(nats_server: Any, person: str) -> uuid.UUID:
    granted = DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id=person,
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.GEMEENTE,
        budget_scope=BudgetHolderScope(entity=LegalEntity.GEMEENTE, max_amount=Decimal("100000.00")),
        valid_from=dt.date(2020, 1, 1),
        valid_until=None,
    )
    hr = await nats_server.connect("hr")
    try:
        envelope = Envelope(
            id=str(uuid.uuid4()),
            type=granted.ce_type(),
            source="/raderwerk/hr",
            time=dt.datetime.now(dt.UTC),
            correlation_id=str(uuid.uuid4()),
        )
        await hr.jetstream().publish(granted.SUBJECT, granted.model_dump_json().encode(), headers=envelope.to_headers())
    finally:
        await hr.close()
    return granted.delegation_id


async def test_an_overruled_visum_is_reported_to_the_supervisor_and_every_council_member(
    stack: Stack, nats_server: Any
) -> None:
    person = f"p-bh-{uuid.uuid4().hex[:6]}"
    await _grant_budget_holder(nats_server, person)
    year = dt.date.today().year  # the demo plan covers this year
    impact = _impact(LegalEntity.GEMEENTE, "25000.00", year)

    def commitment(request: uuid.UUID | None = None) -> RecordCommitment:
        return RecordCommitment(
            command_id=_cid(),
            impact=impact,
            third_party="Groenwerk Heidebeek bv",
            reason="Extra onderhoud",
            visum_request_id=request,
        )

    # Above the threshold: no commitment without the visum (once finance knows the delegation).
    missing = await eventually(
        lambda: stack.send(commitment(), by=person),
        lambda r: r.code != "no_valid_delegation",
        timeout=30,
        what="the delegation",
    )
    assert (missing.accepted, missing.code) == (False, "visum_missing")
    asked = await stack.send(
        RequestVisum(command_id=_cid(), impact=impact, third_party="Groenwerk Heidebeek bv"), by=person
    )
    assert asked.accepted, asked
    request = uuid.UUID(asked.ids["request_id"])
    refusal = RefuseVisum(command_id=_cid(), item_id=request, reasons=("Geen raamcontract",))
    assert (await stack.send(refusal, by="p-fd")).accepted
    blocked = await stack.send(commitment(request), by=person)
    assert (blocked.accepted, blocked.code) == (False, "visum_refused")

    # The college overrules the refusal in a session.
    overruling = await stack.propose(
        BodyKind.COLLEGE,
        "Overruling visum extra onderhoud speelpleinen",
        kind=DecisionKind.VISUM_OVERRULING,
        overrules_item_id=request,
    )
    decided = await stack.decide(BodyKind.COLLEGE, overruling)
    assert decided.accepted, decided
    decision_id = decided.ids["decision_id"]

    # Reported to the supervisory authority ...
    [report] = await eventually(
        lambda: stack.rows("external", "SELECT * FROM overruling_reports WHERE decision_id = :d", d=decision_id),
        lambda rows: len(rows) == 1,
        timeout=30,
        what="the supervision report of the overruling",
    )
    assert (report.body, report.entity, report.amount) == ("college", "gemeente", Decimal("25000.00"))
    assert list(report.refusal_reasons) == ["Geen raamcontract"]
    reported = await stack.rows(
        "external", "SELECT subject FROM outbox WHERE subject = 'external.visum_overruling.reported'"
    )
    assert len(reported) == 1

    # ... and to the council: one inbox entry for every sitting council member.
    about = f"overruling:{report.overruling_id}"

    async def entries() -> dict[str, int]:
        found: dict[str, int] = {}
        for member in stack.council:
            inbox: ListInboxReply = await stack.ask(ListInbox(command_id=_cid(), person_id=member), ListInboxReply)
            found[member] = sum(1 for e in inbox.entries if e.about == about)
        return found

    counts = await eventually(entries, lambda c: all(n == 1 for n in c.values()), timeout=30, what="the inbox entries")
    assert set(counts) == set(stack.council)
    [(sitting,)] = await stack.rows(
        "notifications",
        "SELECT count(DISTINCT person_id) FROM council_seats WHERE body = 'gemeenteraad' AND voting",
    )
    [(told,)] = await stack.rows("notifications", "SELECT count(*) FROM inbox_entries WHERE about = :a", a=about)
    assert told == sitting, "every sitting council member notifications knows of, once"

    # The budget holder may now commit under the overruled visum.
    made = await stack.send(commitment(request), by=person)
    assert made.accepted, made
