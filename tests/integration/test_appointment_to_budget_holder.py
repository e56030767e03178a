"""From a secret college vote to a budget holder's commitment, across meetings, hr and finance.

The college appoints a staff member by secret ballot in `meetings`; `hr` records the employment;
the college makes the algemeen directeur budget holder by a decision in session (a body delegates
only by decision), who subdelegates to the new colleague; `finance` accepts a commitment made under
that delegation and refuses the next one once it is revoked.
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

from shared.contracts.base import Command, Confidentiality, LegalEntity
from shared.contracts.common import BodyKind, CommandReply, FinancialImpact
from shared.contracts.finance import RecordCommitment
from shared.contracts.hr import (
    BudgetHolderScope,
    DelegationPower,
    GrantDelegation,
    ListStaff,
    ListStaffReply,
    RevokeDelegation,
)
from shared.contracts.meetings import AppointmentDetails, DecisionKind, DelegationDetails, VoteTally
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from tests.actors import acting_for, as_person
from tests.factories import utc_today
from tests.integration.meeting_driver import MeetingDriver, majority, meetings_process, publish_mandates
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import eventually


@dataclass
class Stack:
    nc: Client
    meetings: MeetingDriver
    engines: dict[str, AsyncEngine]

    async def ask(self, command: Command, *, by: str | None = None) -> CommandReply:
        actor = as_person(by) if by else acting_for(command, "p-ad")
        return await send_command(self.nc, command, actor=actor, source="/raderwerk/test", timeout=10)

    async def rows(self, service: str, sql: str, **params: Any) -> list[Any]:
        async with self.engines[service].connect() as conn:
            return list(await conn.execute(text(sql), params))


@pytest.fixture
async def stack(nats_server: Any, pg_dsn: str, tmp_path: Path) -> AsyncIterator[Stack]:
    tag = uuid.uuid4().hex[:6]
    clock_file = tmp_path / "clock.json"
    services = {
        name: ServiceProcess(name, nats_server.url, nats_server.passwords[name], pg_dsn, f"t_{name[:4]}_{tag}")
        for name in ("hr", "finance")
    }
    services["meetings"] = meetings_process(nats_server, pg_dsn, f"t_meet_{tag}", clock_file)
    for name, service in services.items():
        await asyncio.to_thread(service.migrate)
        if name != "meetings":
            await asyncio.to_thread(service.seed)
    engines = {name: make_engine(pg_dsn, s.schema) for name, s in services.items()}
    nc: Client = await nats_server.connect("operator")
    org: Client = await nats_server.connect("organisation")
    try:
        await publish_mandates(org, BodyKind.COLLEGE, [f"cbs-{tag}-{i}" for i in range(5)])
        for service in services.values():
            service.start()
        stack = Stack(nc, MeetingDriver(nc, engines["meetings"], clock_file), engines)
        await stack.meetings.wait_ready()
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


def _impact(amount: str) -> FinancialImpact:
    return FinancialImpact(
        entity=LegalEntity.GEMEENTE,
        amount=Decimal(amount),
        economic_account="6150000",
        policy_field="0190",
        action="AC-4.1.1",
        financial_year=utc_today().year,  # the demo plan covers the current year
        third_party="Softwarehuis Heidebeek bv",
    )


async def test_a_secretly_appointed_colleague_commits_credits_until_the_delegation_is_revoked(stack: Stack) -> None:
    person = f"p-nieuw-{uuid.uuid4().hex[:6]}"
    college = await stack.meetings.voters(BodyKind.COLLEGE, at_least=5)

    # meetings: the college appoints by secret ballot.
    item = await stack.meetings.propose(
        BodyKind.COLLEGE,
        "Aanstelling deskundige financiën",
        kind=DecisionKind.APPOINTMENT,
        confidentiality=Confidentiality.CLOSED,
        appointment=AppointmentDetails(
            person_id=person,
            person_name="Nora Nieuw",
            entity=LegalEntity.GEMEENTE,
            position="deskundige financiën",
            unit_code="FIN",
            grade="B1",
            statutory=False,
            start_date=utc_today(),
        ),
    )
    meeting = await stack.meetings.schedule(BodyKind.COLLEGE, days=0.1)
    await stack.meetings.convene(meeting, item)
    present = majority(college, extra=1)
    await stack.meetings.open(meeting, present)
    decided = await stack.meetings.vote_secret(
        meeting, item, VoteTally(in_favour=len(present) - 1, against=1, abstentions=0)
    )
    assert decided.data["outcome"] == "adopted"
    decision_id = decided.ids["decision_id"]

    # hr: the employment, from that decision.
    async def employments() -> list[Any]:
        return await stack.rows("hr", "SELECT entity, decision_id FROM employments WHERE person_id = :p", p=person)

    [employment] = await eventually(employments, bool, timeout=90, what="the employment in hr")
    assert (employment.entity, str(employment.decision_id)) == ("gemeente", decision_id)
    staff = await send_query(
        stack.nc,
        ListStaff(command_id=uuid.uuid4().hex, person_id=person),
        ListStaffReply,
        actor=as_person("p-ad"),
        source="/raderwerk/test",
    )
    assert [(s.person_id, s.entity) for s in staff.staff] == [(person, LegalEntity.GEMEENTE)]

    # The college decides, in session, to make the algemeen directeur budget holder for ICT credits up to 5,000.
    delegation = await stack.meetings.propose(
        BodyKind.COLLEGE,
        "Budgethouderschap ICT voor de algemeen directeur",
        kind=DecisionKind.DELEGATION,
        delegation=DelegationDetails(
            delegate_person_id="p-ad",
            power="budget_holder",
            scope={"policy_field": "0190", "max_amount": "5000.00"},
            valid_from=utc_today() - dt.timedelta(days=1),
        ),
    )
    delegated = await stack.meetings.decide(BodyKind.COLLEGE, delegation, present)
    assert delegated.data["outcome"] == "adopted"

    async def the_colleges_delegation() -> list[Any]:
        return await stack.rows(
            "hr",
            "SELECT delegation_id FROM delegations WHERE decision_id = :d",
            d=uuid.UUID(delegated.ids["decision_id"]),
        )

    [to_ad] = await eventually(the_colleges_delegation, bool, timeout=90, what="the college's delegation in hr")

    # hr: the algemeen directeur passes it on to the new colleague.
    scope = BudgetHolderScope(entity=LegalEntity.GEMEENTE, policy_field="0190", max_amount=Decimal("5000.00"))
    to_person = await stack.ask(
        GrantDelegation(
            command_id=uuid.uuid4().hex,
            to_person_id=person,
            power=DelegationPower.BUDGET_HOLDER,
            entity=LegalEntity.GEMEENTE,
            budget_scope=scope,
            valid_from=utc_today(),
            parent_delegation_id=to_ad.delegation_id,
        ),
        by="p-ad",
    )
    assert to_person.accepted, to_person.message
    delegation_id = to_person.ids["delegation_id"]

    # finance: a commitment under that delegation, once finance has heard of it.
    async def commit(amount: str) -> CommandReply:
        return await stack.ask(
            RecordCommitment(
                command_id=uuid.uuid4().hex,
                impact=_impact(amount),
                third_party="Softwarehuis Heidebeek bv",
                reason="Licenties boekhoudpakket",
            ),
            by=person,
        )

    accepted = await eventually(
        lambda: commit("1200.00"), lambda r: r.code != "no_valid_delegation", timeout=60, what="finance to know it"
    )
    assert accepted.accepted, accepted.message
    [row] = await stack.rows(
        "finance",
        "SELECT entity, amount, delegation_id FROM commitments WHERE commitment_id = :c",
        c=uuid.UUID(accepted.ids["commitment_id"]),
    )
    assert (row.entity, row.amount, str(row.delegation_id)) == ("gemeente", Decimal("1200.00"), delegation_id)
    over_scope = await commit("6000.00")
    assert (over_scope.accepted, over_scope.code) == (False, "no_valid_delegation")

    # hr revokes; finance refuses from then on.
    revoked = await stack.ask(
        RevokeDelegation(command_id=uuid.uuid4().hex, delegation_id=uuid.UUID(delegation_id), reason="andere functie")
    )
    assert revoked.accepted, revoked.message

    async def revocation_known() -> list[Any]:
        return await stack.rows(
            "finance",
            "SELECT revoked_at FROM budget_holder_delegations WHERE delegation_id = :d AND revoked_at IS NOT NULL",
            d=uuid.UUID(delegation_id),
        )

    await eventually(revocation_known, bool, timeout=60, what="finance to hear of the revocation")
    refused = await commit("300.00")
    assert (refused.accepted, refused.code) == (False, "no_valid_delegation")
    assert "revoked" in refused.message
    committed = await stack.rows(
        "finance", "SELECT count(*) FROM commitments WHERE delegation_id = :d", d=uuid.UUID(delegation_id)
    )
    assert committed[0][0] == 1, "only the commitment made before the revocation stands"
