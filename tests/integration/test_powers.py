"""Powers checked where the data lives, on the real stack: each service decides from its own data
whether the signed actor may do what the command asks (DESIGN §5).

- finance: the financial director alone grants (with or without conditions) and refuses a visum; a
  budget holder commits only within a delegation that covers the amount, the credit and the date;
- organisation: a task is claimed or completed by its owner or a delegate of the owner;
- hr: staff commands only by the algemeen directeur or a holder of daily staff management; a
  delegation revoked by its grantor or the algemeen directeur; a sanction by command by the
  algemeen directeur alone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from nats.aio.client import Client
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.base import Command, LegalEntity
from shared.contracts.common import BodyKind, CommandReply, FinancialImpact, FollowUpAction, FollowUpKind
from shared.contracts.finance import GrantVisum, RecordCommitment, RefuseVisum, RequestVisum
from shared.contracts.hr import (
    BudgetHolderScope,
    DelegationGranted,
    DelegationPower,
    GrantDelegation,
    ImposeSanction,
    OpenConsultation,
    OpenDisciplinaryCase,
    RevokeDelegation,
)
from shared.contracts.organisation import ClaimTask, CompleteTask, ListTasks, ListTasksReply
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import NoAnswer
from tests.actors import as_person
from tests.factories import adopted_decision, utc_today
from tests.integration.processes import ServiceProcess
from tests.integration.test_finance_concurrency import _publish
from tests.integration.test_finance_flow import CREDIT, command_id, start_stack, stop_stack
from tests.integration.test_tasks_lifecycle import SOURCE, publish_decision
from tests.integration.waiting import eventually


async def _send(nc: Client, command: Command, by: str, timeout: float = 10) -> CommandReply:
    """The command signed as `by`; waits while the service is still subscribing."""

    async def attempt() -> CommandReply | None:
        try:
            return await send_command(nc, command, actor=as_person(by), source=SOURCE, timeout=timeout)
        except NoAnswer:
            return None

    reply = await eventually(attempt, lambda r: r is not None, timeout=60, what=f"a reply to {command.NAME}")
    assert reply is not None
    return reply


def _refused(reply: CommandReply, code: str) -> None:
    assert (reply.accepted, reply.code) == (False, code), reply


async def _scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


# --- finance --------------------------------------------------------------------------------------


def _impact(amount: str, **change: Any) -> FinancialImpact:
    fields: dict[str, Any] = {
        "entity": LegalEntity.GEMEENTE,
        "amount": Decimal(amount),
        "economic_account": CREDIT[2],
        "policy_field": CREDIT[3],
        "action": CREDIT[4],
        "financial_year": CREDIT[1],
        "third_party": "Drukkerij Heidebeek",
    }
    return FinancialImpact(**{**fields, **change})


def _budget_holder(person: str, **dates: dt.date) -> DelegationGranted:
    return DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id=person,
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.GEMEENTE,
        budget_scope=BudgetHolderScope(
            entity=LegalEntity.GEMEENTE, policy_field=CREDIT[3], max_amount=Decimal("30000.00")
        ),
        valid_from=dates.get("valid_from", utc_today() - dt.timedelta(days=30)),
        valid_until=dates.get("valid_until"),
    )


async def test_the_financial_director_alone_decides_a_visum_and_a_budget_holder_commits_within_the_delegation(
    nats_server: Any, pg_dsn: str
) -> None:
    stack, _ = await start_stack(nats_server, pg_dsn, meetings=False)
    holder, later = f"p-bh-{uuid.uuid4().hex[:6]}", f"p-bh-{uuid.uuid4().hex[:6]}"
    try:
        await _publish(
            nats_server,
            "hr",
            [_budget_holder(holder), _budget_holder(later, valid_from=utc_today() + dt.timedelta(days=1))],
        )

        async def delegations() -> int:
            # The stream may hold earlier tests' delegations too: count this test's people only.
            sql = "SELECT count(*) FROM budget_holder_delegations WHERE to_person_id IN (:a, :b)"
            return int(await stack.scalar(sql, a=holder, b=later) or 0)

        await eventually(delegations, lambda n: n == 2, timeout=30, what="finance to know the delegations")

        def commitment(amount: str, **change: Any) -> RecordCommitment:
            return RecordCommitment(
                command_id=command_id(), impact=_impact(amount, **change), third_party="Drukkerij Heidebeek"
            )

        # The budget holder: only the signed actor's delegation counts, for the amount, credit and date.
        _refused(await _send(stack.nc, commitment("1000.00"), by="p-ruimte"), "no_valid_delegation")
        _refused(await _send(stack.nc, commitment("1000.00"), by=later), "no_valid_delegation")  # from tomorrow
        beyond = await _send(stack.nc, commitment("30000.01"), by=holder)
        _refused(beyond, "no_valid_delegation")
        assert "allows at most 30000.00 per commitment" in beyond.message
        other_credit = commitment("1000.00", policy_field="0200")
        _refused(await _send(stack.nc, other_credit, by=holder), "no_valid_delegation")
        made = await _send(stack.nc, commitment("1000.00"), by=holder)
        assert made.accepted, made
        recorded_by = await stack.scalar(
            "SELECT recorded_by FROM commitments WHERE commitment_id = :c", c=uuid.UUID(made.ids["commitment_id"])
        )
        assert recorded_by == holder, "the commitment names the signed actor"

        # The visum on a budget holder's commitment above the threshold: the financial director alone.
        asked = await _send(
            stack.nc,
            RequestVisum(command_id=command_id(), impact=_impact("20000.00"), third_party="Drukkerij Heidebeek"),
            by=holder,
        )
        assert asked.accepted, asked
        request = uuid.UUID(asked.ids["request_id"])
        conditional = GrantVisum(command_id=command_id(), item_id=request, conditions=("Bestelbon per fase",))
        for pretender in (holder, "p-ad"):
            _refused(
                await _send(stack.nc, conditional.model_copy(update={"command_id": command_id()}), by=pretender),
                "not_financial_director",
            )
            refusal = RefuseVisum(command_id=command_id(), item_id=request, reasons=("Geen raamcontract",))
            _refused(await _send(stack.nc, refusal, by=pretender), "not_financial_director")
        granted = await _send(stack.nc, conditional, by="p-fd")
        assert granted.accepted, granted
        row = (await stack.rows("SELECT status, decided_by, conditions FROM visums WHERE item_id = :i", i=request))[0]
        assert (row.status, row.decided_by, row.conditions) == ("granted", "p-fd", ["Bestelbon per fase"])
        under_visum = commitment("20000.00").model_copy(update={"visum_request_id": request})
        committed = await _send(stack.nc, under_visum, by=holder)
        assert committed.accepted, committed
    finally:
        await stop_stack(stack)


# --- organisation ---------------------------------------------------------------------------------


async def test_a_task_is_claimed_and_completed_by_its_owner_or_a_delegate_of_the_owner(
    nats_server: Any, pg_dsn: str
) -> None:
    schema = f"t_pow_org_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("organisation", nats_server.url, nats_server.passwords["organisation"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.seed)
    engine = make_engine(pg_dsn, schema)
    nc: Client = await nats_server.connect("operator")
    decision = adopted_decision(
        body=BodyKind.VAST_BUREAU,
        adopted_at=dt.datetime.now(dt.UTC),
        follow_up_actions=(
            FollowUpAction(
                action_id="a",
                kind=FollowUpKind.EXECUTE,
                description="Contract opmaken",
                unit_code="RUIMTE",
                due_date=utc_today() + dt.timedelta(days=10),
            ),
            FollowUpAction(
                action_id="b",
                kind=FollowUpKind.EXECUTE,
                description="Bestelling plaatsen",
                unit_code="RUIMTE",
                due_date=utc_today() + dt.timedelta(days=10),
            ),
        ),
    )
    try:
        service.start()
        await publish_decision(nats_server, decision)

        async def tasks() -> ListTasksReply | None:
            try:
                query = ListTasks(command_id=command_id(), decision_id=decision.decision_id)
                return await send_query(nc, query, ListTasksReply, actor=as_person("p-ad"), source=SOURCE, timeout=2)
            except NoAnswer:
                return None

        listed = await eventually(tasks, lambda r: r is not None and len(r.tasks) == 2, timeout=60, what="the tasks")
        assert listed is not None
        first, second = sorted(listed.tasks, key=lambda t: t.action_id)
        assert {first.owner_person_id, second.owner_person_id} == {"p-ruimte"}

        # Nobody but the owner, until the owner delegates `decide` for the ocmw (hr tells organisation).
        _refused(await _send(nc, ClaimTask(command_id=command_id(), task_id=first.task_id), by="p-secr"), "not_owner")
        deputy = DelegationGranted(
            delegation_id=uuid.uuid4(),
            from_body=None,
            from_person_id="p-ruimte",
            to_person_id="p-secr",
            power=DelegationPower.DECIDE,
            entity=LegalEntity.OCMW,
            valid_from=utc_today() - dt.timedelta(days=1),
            valid_until=None,
        )
        await _publish(nats_server, "hr", [deputy])
        await eventually(
            lambda: _scalar(engine, "SELECT count(*) FROM delegates WHERE delegation_id = :d", d=deputy.delegation_id),
            lambda n: n == 1,
            timeout=30,
            what="organisation to know the delegate",
        )
        claimed = await _send(nc, ClaimTask(command_id=command_id(), task_id=first.task_id), by="p-secr")
        assert claimed.accepted, claimed
        done = await _send(nc, CompleteTask(command_id=command_id(), task_id=first.task_id), by="p-secr")
        assert done.accepted, done
        completed_by = await _scalar(engine, "SELECT completed_by FROM tasks WHERE task_id = :t", t=first.task_id)
        assert completed_by == "p-secr"
        # Another person stays refused; the owner still acts.
        _refused(
            await _send(nc, CompleteTask(command_id=command_id(), task_id=second.task_id), by="p-fin"), "not_owner"
        )
        own = await _send(nc, CompleteTask(command_id=command_id(), task_id=second.task_id), by="p-ruimte")
        assert own.accepted, own
    finally:
        await nc.close()
        service.stop()
        await engine.dispose()


# --- hr -------------------------------------------------------------------------------------------


async def test_hr_acts_on_staff_only_for_the_algemeen_directeur_or_a_holder_of_daily_staff_management(
    nats_server: Any, pg_dsn: str
) -> None:
    schema = f"t_pow_hr_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("hr", nats_server.url, nats_server.passwords["hr"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.seed)
    nc: Client = await nats_server.connect("operator")

    def consultation() -> OpenConsultation:
        return OpenConsultation(
            command_id=command_id(),
            topic="Arbeidsreglement: telewerk",
            entity=LegalEntity.GEMEENTE,
            invitation_sent_on=utc_today(),
            meeting_on=utc_today() + dt.timedelta(days=40),
        )

    try:
        service.start()
        _refused(await _send(nc, consultation(), by="p-fin"), "not_staff_authority")
        case = OpenDisciplinaryCase(
            command_id=command_id(), person_id="p-ruimte", entity=LegalEntity.GEMEENTE, facts="Herhaaldelijk te laat"
        )
        _refused(await _send(nc, case, by="p-secr"), "not_staff_authority")
        staff = GrantDelegation(
            command_id=command_id(),
            to_person_id="p-secr",
            power=DelegationPower.DAILY_STAFF_MANAGEMENT,
            entity=LegalEntity.GEMEENTE,
            valid_from=utc_today(),
        )
        # The grantor is the signed actor: a head of service holds no daily staff management to pass on.
        _refused(await _send(nc, staff, by="p-fin"), "subdelegation_not_allowed")
        granted = await _send(nc, staff.model_copy(update={"command_id": command_id()}), by="p-ad")
        assert granted.accepted, granted
        delegation_id = uuid.UUID(granted.ids["delegation_id"])
        opened = await _send(nc, consultation(), by="p-secr")
        assert opened.accepted, opened
        case_opened = await _send(nc, case.model_copy(update={"command_id": command_id()}), by="p-secr")
        assert case_opened.accepted, case_opened
        impose = ImposeSanction(
            command_id=command_id(),
            case_id=uuid.UUID(case_opened.ids["case_id"]),
            sanction="blaam",
            reasons="Herhaaldelijk te laat, gehoord.",
        )
        _refused(await _send(nc, impose, by="p-secr"), "not_algemeen_directeur")
        revoke = RevokeDelegation(command_id=command_id(), delegation_id=delegation_id, reason="Andere functie")
        _refused(await _send(nc, revoke, by="p-fin"), "not_algemeen_directeur")
        revoked = await _send(nc, revoke.model_copy(update={"command_id": command_id()}), by="p-ad")
        assert revoked.accepted, revoked
        _refused(await _send(nc, consultation(), by="p-secr"), "not_staff_authority")
    finally:
        await nc.close()
        service.stop()
