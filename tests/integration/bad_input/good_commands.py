"""One valid request per service that serves commands: it must still be carried out afterwards.

Each is built fresh (new ids, dates from today), so it is accepted however often the suite sends
it; a query-only service answers a valid query instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import text

from shared.contracts.audit import VerifyLedger, VerifyLedgerReply
from shared.contracts.base import Command, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.external import RegisterExternalEntity
from shared.contracts.finance import CreditChange, CreditCoding, ProposeBudgetChange
from shared.contracts.hr import OpenConsultation
from shared.contracts.notifications import ListInbox, ListInboxReply
from shared.contracts.operations import OPERATION_SERVICES, operations_of
from shared.contracts.organisation import StartMandate
from shared.contracts.records import RegisterComplaint
from shared.contracts.sessions import ScheduleMeeting
from shared.messaging.commands import send_command, send_query
from shared.topology import CAPTURE_STREAM
from shared.vocabulary import Involvement, LegalForm
from tests.actors import acting_for, as_person
from tests.integration.bad_input.system import System
from tests.integration.waiting import eventually

__all__ = ["carry_out_a_valid_request", "valid_request", "verify_the_ledger"]

SOURCE = "/raderwerk/bad-input-test"


def _id() -> str:
    return uuid.uuid4().hex


def _command(service: str) -> Command | None:
    today = dt.datetime.now(dt.UTC).date()
    if service == "meetings":
        return ScheduleMeeting(
            command_id=_id(),
            body=BodyKind.COLLEGE,
            scheduled_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=30),
            location="Raadzaal",
        )
    if service == "organisation":
        return StartMandate(
            command_id=_id(),
            person_id=f"p-{_id()[:10]}",
            person_name="Nele Nieuwkomer",
            body=BodyKind.GEMEENTERAAD,
            start=today,
        )
    if service == "hr":
        return OpenConsultation(
            command_id=_id(),
            topic="Arbeidsreglement: telewerk",
            entity=LegalEntity.GEMEENTE,
            invitation_sent_on=today,
            meeting_on=today + dt.timedelta(days=40),
        )
    if service == "finance":
        credit = CreditCoding(
            entity=LegalEntity.GEMEENTE,
            financial_year=2026,
            economic_account="6140000",
            policy_field="0119",
            action="AC-1.1.1",
        )
        return ProposeBudgetChange(
            command_id=_id(),
            entity=LegalEntity.GEMEENTE,
            title="Budgetwijziging speelpleinen",
            changes=(CreditChange(credit=credit, change=Decimal("1000.00")),),
            proposed_by="p-fd",
        )
    if service == "records":
        return RegisterComplaint(
            command_id=_id(),
            entity=LegalEntity.GEMEENTE,
            complainant="Karel Klager",
            about="Container niet geledigd",
            service_concerned="RUIMTE",
            received_on=today,
        )
    if service == "external":
        base = int(uuid.uuid4().int % 10_000_000) + 10_000_000
        digits = f"{base:08d}{97 - base % 97:02d}"
        return RegisterExternalEntity(
            command_id=_id(),
            code=f"vzw-{_id()[:10]}",
            name="Vzw Speelpleinwerking",
            legal_form=LegalForm.VZW,
            kbo=f"{digits[:4]}.{digits[4:7]}.{digits[7:]}",
            involvements=frozenset({Involvement.CO_FINANCING}),
        )
    return None


def valid_request(service: str) -> Command:
    """A command `service` would carry out, or for a query-only service a query it would answer."""
    command = _command(service)
    if command is not None:
        return command
    if service == "audit":
        return VerifyLedger(command_id=_id())
    if service == "notifications":
        return ListInbox(command_id=_id(), person_id="p-ad")
    return operations_of(service).list_dead_letters(command_id=_id())


async def verify_the_ledger(system: System) -> str:
    """The audit ledger holds every message CAPTURE holds, good or bad, and its chain verifies."""
    capture = await system.operator.jetstream().stream_info(CAPTURE_STREAM)
    last = capture.state.last_seq

    async def written() -> tuple[int, int]:
        async with system.engines["audit"].connect() as conn:
            row = (await conn.execute(text("SELECT count(*), coalesce(max(capture_seq), 0) FROM ledger"))).one()
        return int(row[0]), int(row[1])

    count, head = await eventually(written, lambda w: w[1] >= last, timeout=90, what=f"the ledger to reach {last}")
    assert count == head, f"the ledger has {count} records up to capture sequence {head}: a hole"
    ledger = await send_query(
        system.operator,
        VerifyLedger(command_id=_id()),
        VerifyLedgerReply,
        actor=as_person("p-ad"),
        source=SOURCE,
        timeout=60,
    )
    assert ledger.ok, f"the ledger does not verify: {ledger}"
    return f"ledger verified ({ledger.checked} records)"


async def carry_out_a_valid_request(system: System, service: str) -> str:
    """Send `service` its valid request; answers what was done, fails unless it was carried out."""
    nc = system.operator
    command = _command(service)
    if command is not None:
        reply = await send_command(nc, command, actor=acting_for(command, "p-ad"), source=SOURCE, timeout=15)
        assert reply.accepted, f"a valid {command.NAME} was not accepted: {reply}"
        return f"{command.NAME} accepted"
    if service == "audit":
        return await verify_the_ledger(system)
    if service == "notifications":
        inbox = await send_query(
            nc, ListInbox(command_id=_id(), person_id="p-ad"), ListInboxReply, actor=as_person("p-ad"), source=SOURCE
        )
        return f"inbox of p-ad answered ({len(inbox.entries)} entries)"
    if service in OPERATION_SERVICES:  # a service without commands of its own: its dead letters
        ops = operations_of(service)
        listed = await send_query(
            nc, ops.list_dead_letters(command_id=_id()), ops.list_reply, actor=as_person("p-ad"), source=SOURCE
        )
        return f"dead letters of {service} listed ({len(listed.letters)})"
    raise AssertionError(f"no valid request known for {service}")
