"""hr against real NATS and PostgreSQL: an appointment from the college; a budget holder granted by the college's
decision (never by a bare command), then revoked."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from nats.aio.client import Client
from sqlalchemy import text

from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind, CommandReply
from shared.contracts.hr import (
    BudgetHolderScope,
    CheckDelegation,
    CheckDelegationReply,
    DelegationPower,
    GrantDelegation,
    ListStaff,
    ListStaffReply,
    RevokeDelegation,
)
from shared.contracts.meetings import AppointmentDetails, DecisionKind, DelegationDetails
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import NoAnswer
from tests.actors import acting_for, as_person
from tests.factories import adopted_decision
from tests.integration.processes import ServiceProcess
from tests.integration.test_tasks_lifecycle import SOURCE, publish_decision, rw
from tests.integration.waiting import eventually


async def _staff_when_up(nc: Client) -> ListStaffReply | None:
    """The staff list, or `None` while hr is still starting (no responder yet)."""
    try:
        return await send_query(
            nc,
            ListStaff(command_id=uuid.uuid4().hex, person_id="p-ad"),
            ListStaffReply,
            actor=as_person("p-ad"),
            source=SOURCE,
            timeout=2,
        )
    except NoAnswer:
        return None


def _appointment(body: BodyKind, person_id: str) -> Any:
    return adopted_decision(
        body=body,
        kind=DecisionKind.APPOINTMENT,
        title="Aanstelling deskundige ICT",
        confidentiality=Confidentiality.CLOSED,
        secret_ballot=True,
        adopted_at=dt.datetime.now(dt.UTC),
        appointment=AppointmentDetails(
            person_id=person_id,
            person_name="Nina Nieuw",
            entity=LegalEntity.GEMEENTE,
            position="deskundige",
            unit_code="ICT",
            grade="B1",
            statutory=True,
            start_date=dt.date(2026, 12, 1),
        ),
    )


def _delegation(body: BodyKind, to: str, power: str = "budget_holder", **scope: str) -> Any:
    return adopted_decision(
        body=body,
        kind=DecisionKind.DELEGATION,
        title="Delegatie",
        adopted_at=dt.datetime.now(dt.UTC),
        delegation=DelegationDetails(delegate_person_id=to, power=power, scope=scope, valid_from=dt.date(2026, 1, 1)),
    )


async def test_appointment_and_budget_holder_delegation(nats_server: Any, pg_dsn: str) -> None:
    schema = f"t_hr_{uuid.uuid4().hex[:8]}"
    service = ServiceProcess("hr", nats_server.url, nats_server.passwords["hr"], pg_dsn, schema)
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.seed)
    engine = make_engine(pg_dsn, schema)
    nc = await nats_server.connect("operator")
    person = f"p-{uuid.uuid4().hex[:6]}"

    async def ask(command: Any) -> CommandReply:
        return await send_command(nc, command, actor=acting_for(command, "p-ad"), source=SOURCE, timeout=10)

    async def published(subject: str, needle: str) -> list[dict[str, Any]]:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT payload FROM outbox WHERE subject = :s AND published_at IS NOT NULL ORDER BY seq"),
                {"s": subject},
            )
            return [json.loads(r.payload) for r in rows if needle in r.payload.decode()]

    try:
        service.start()
        await eventually(lambda: _staff_when_up(nc), lambda r: r is not None, timeout=60, what="hr to answer")
        appointment = _appointment(BodyKind.COLLEGE, person)
        wrong_body = _appointment(BodyKind.VAST_BUREAU, f"{person}-x")
        await publish_decision(nats_server, appointment)
        await publish_decision(nats_server, wrong_body)

        appointed = await eventually(
            lambda: published("hr.staff.appointed", person), bool, timeout=60, what="staff.appointed"
        )
        assert [(e["person_id"], e["entity"], e["position"], e["statutory"], e["decision_id"]) for e in appointed] == [
            (person, "gemeente", "deskundige", True, str(appointment.decision_id))
        ]
        refused = await eventually(
            lambda: published("hr.appointment.refused", f"{person}-x"), bool, what="appointment.refused"
        )
        assert refused[0]["reason"] == "body_not_competent"
        staff = await send_query(
            nc,
            ListStaff(command_id=uuid.uuid4().hex, person_id=person),
            ListStaffReply,
            actor=as_person("p-ad"),
            source=SOURCE,
            timeout=10,
        )
        assert [e.unit_code for e in staff.staff[0].employments] == ["ICT"]

        bare = await ask(
            GrantDelegation(
                command_id=uuid.uuid4().hex,
                from_body=BodyKind.COLLEGE,
                to_person_id="p-ad",
                power=DelegationPower.BUDGET_HOLDER,
                entity=LegalEntity.GEMEENTE,
                budget_scope=BudgetHolderScope(
                    entity=LegalEntity.GEMEENTE, policy_field="0200", max_amount=Decimal("30000.00")
                ),
                valid_from=dt.date(2026, 1, 1),
            )
        )
        assert (bare.accepted, bare.code) == (False, "delegation_by_decision")
        by_decision = _delegation(BodyKind.COLLEGE, "p-ad", policy_field="0200", max_amount="30000.00")
        await publish_decision(nats_server, by_decision)
        granted = await eventually(
            lambda: published("hr.delegation.granted", str(by_decision.decision_id)), bool, what="delegation.granted"
        )
        delegation_id = granted[0]["delegation_id"]
        assert granted[0]["budget_scope"] == {
            "entity": "gemeente",
            "policy_field": "0200",
            "economic_account": None,
            "action": None,
            "max_amount": "30000.00",
        }
        assert (granted[0]["from_body"], granted[0]["to_person_id"]) == ("college", "p-ad")
        check = CheckDelegation(
            command_id=uuid.uuid4().hex,
            person_id="p-ad",
            power=DelegationPower.BUDGET_HOLDER,
            entity=LegalEntity.GEMEENTE,
            amount=Decimal("25000.00"),
            on=dt.date(2026, 6, 1),
            policy_field="0200",
        )
        assert (
            await send_query(
                nc, check, CheckDelegationReply, actor=acting_for(check, "p-ad"), source=SOURCE, timeout=10
            )
        ).valid is True
        shown = await asyncio.to_thread(rw, nats_server, "staff", "list", "--person", "p-ad", "--on", "2026-06-01")
        assert shown.exit_code == 0, shown.output
        assert "budget_holder gemeente ≤ €30000.00 from college" in shown.output
        checked = await asyncio.to_thread(
            rw,
            nats_server,
            "staff",
            "check",
            "p-ad",
            "budget_holder",
            "gemeente",
            "--amount",
            "60000",
            "--on",
            "2026-06-01",
        )
        assert (checked.exit_code, "amount_exceeds_scope" in checked.output) == (1, True)

        forbidden = _delegation(BodyKind.GEMEENTERAAD, "p-ad", power="decide")
        await publish_decision(nats_server, forbidden)
        flagged = await eventually(
            lambda: published("hr.decision.flagged", str(forbidden.decision_id)), bool, what="decision.flagged"
        )
        assert flagged[0]["reason"] == "council_to_person_forbidden"

        revoke = await ask(
            RevokeDelegation(command_id=uuid.uuid4().hex, delegation_id=uuid.UUID(delegation_id), reason="herzien")
        )
        assert revoke.accepted, revoke.message
        revoked = await eventually(
            lambda: published("hr.delegation.revoked", delegation_id), bool, what="delegation.revoked"
        )
        assert revoked[0]["power"] == "budget_holder"
        after = await send_query(
            nc,
            check.model_copy(update={"command_id": uuid.uuid4().hex, "on": dt.date.today()}),
            CheckDelegationReply,
            actor=as_person("p-ad"),
            source=SOURCE,
            timeout=10,
        )
        # The demo's own college delegation (50,000 without a policy field) still covers the amount.
        assert after.valid
        assert str(after.delegation_id) != delegation_id
        assert service.stop() == 0, service.log_tail()
    finally:
        await nc.close()
        if service.process and service.process.poll() is None:
            service.kill()
        await engine.dispose()
