"""Records on the real stack: nats-server, PostgreSQL, records, organisation and audit as processes.

Who signs comes from organisation's and hr's events (published here as those services publish them);
the time is the shared clock file the test moves, never a wait.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from nats.aio.client import Client
from rich.console import Console
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

import cli.records
import cli.reports
import shared.contracts.records as c
from cli.main import app
from shared.clock import ClockSetting, write_clock_file
from shared.contracts.audit import GetTrail, GetTrailReply
from shared.contracts.base import Command, Event, Query, QueryReply
from shared.contracts.common import CommandReply
from shared.contracts.hr import DelegationGranted, DelegationRevoked
from shared.contracts.organisation import ListTasks, ListTasksReply, MandateStarted
from shared.db.engine import make_engine
from shared.messaging.commands import send_command, send_query
from shared.messaging.envelope import Envelope
from shared.messaging.errors import NoAnswer
from shared.topology import consumer
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    DelegationPower,
    LegalEntity,
    MandateRole,
    MandateStatus,
)
from tests.actors import acting_for, as_person, operator_env
from tests.factories import adopted_decision
from tests.integration.processes import ServiceProcess
from tests.integration.test_tasks_lifecycle import SOURCE, publish_decision
from tests.integration.waiting import eventually

#: The frozen day every test starts from: the sample selection rules (published 2024-03-01) are in force.
NOW = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
AD = "p-ad"
"""The demo's algemeen directeur (`RW_ALGEMEEN_DIRECTEUR_PERSON_ID` of the test processes)."""

R = TypeVar("R", bound=QueryReply)


@dataclass
class Stack:
    nats_server: Any
    nc: Client
    clock_file: Path
    records: ServiceProcess
    records_db: AsyncEngine
    suffix: str

    def at(self, moment: dt.datetime) -> None:
        """Move the shared clock: every service reads it on its next look at the time."""
        write_clock_file(self.clock_file, ClockSetting(frozen_at=moment))

    async def send(self, command: Command) -> CommandReply:
        return await send_command(self.nc, command, actor=acting_for(command, "p-ad"), source=SOURCE, timeout=10)

    async def ask(self, query: Query, reply_type: type[R]) -> R:
        return await send_query(self.nc, query, reply_type, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=10)

    async def publish_as(self, service: str, event: Event) -> None:
        """Publish as `service` would: its own NATS user, a CloudEvents envelope."""
        nc = await self.nats_server.connect(service)
        try:
            envelope = Envelope(
                id=str(uuid.uuid4()),
                type=event.ce_type(),
                source=f"/raderwerk/{service}",
                time=dt.datetime.now(dt.UTC),
                correlation_id=str(uuid.uuid4()),
            )
            await nc.jetstream().publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())
        finally:
            await nc.close()

    async def consumed(self, durable: str) -> None:
        """Wait until records has handled everything its durable consumer was given (side-effect free)."""
        spec = consumer(durable)

        async def left() -> int:
            admin = await self.nats_server.connect("provisioner")
            try:
                info = await admin.jetstream().consumer_info(spec.stream, spec.durable)
            finally:
                await admin.close()
            return int(info.num_pending or 0) + int(info.num_ack_pending or 0)

        await eventually(left, lambda n: n == 0, timeout=60, what=f"records to handle {durable}")

    async def published(self, subject: str) -> list[dict[str, Any]]:
        """What records put in its outbox on `subject`, oldest first."""
        async with self.records_db.connect() as conn:
            rows = await conn.execute(
                text("SELECT payload FROM outbox WHERE subject = :s ORDER BY created_at"), {"s": subject}
            )
            return [json.loads(r.payload) for r in rows]

    async def mayor(self) -> str:
        """A burgemeester of the college (organisation's mandate event), known to records once it answers."""
        person = f"p-burg-{uuid.uuid4().hex[:6]}"
        await self.publish_as(
            "organisation",
            MandateStarted(
                mandate_id=uuid.uuid4(),
                person_id=person,
                person_name="Burgemeester",
                body=BodyKind.COLLEGE,
                entity=LegalEntity.GEMEENTE,
                role=MandateRole.MAYOR,
                status=MandateStatus.EFFECTIVE,
                start=dt.date(2025, 1, 1),
            ),
        )
        return person

    async def draft(self, *, in_reply_to: uuid.UUID | None = None) -> uuid.UUID:
        reply = await self.send(
            c.DraftLetter(
                command_id=uuid.uuid4().hex,
                entity=LegalEntity.GEMEENTE,
                issuer=BodyKind.COLLEGE,
                addressee="Jan Peeters",
                about="Antwoord op uw vraag over de speelpleinen",
                in_reply_to=in_reply_to,
            )
        )
        assert reply.accepted, reply
        return uuid.UUID(reply.ids["letter_id"])

    def sign(self, letter: uuid.UUID, person: str, capacity: c.SignatureCapacity) -> c.SignLetter:
        return c.SignLetter(command_id=uuid.uuid4().hex, letter_id=letter, person_id=person, capacity=capacity)

    async def sign_once_known(self, letter: uuid.UUID, person: str, capacity: c.SignatureCapacity) -> CommandReply:
        """Sign as soon as records has read the seat or delegation that gives `person` the power."""
        return await eventually(
            lambda: self.send(self.sign(letter, person, capacity)),
            lambda r: r.accepted,
            timeout=60,
            what=f"records to know {person}'s power",
        )

    async def records_of(self, **filters: Any) -> tuple[c.ArchiveRecordLine, ...]:
        query = c.ListArchiveRecords(command_id=uuid.uuid4().hex, include_destroyed=True, **filters)
        return (await self.ask(query, c.ListArchiveRecordsReply)).records


async def _up(nc: Client) -> bool:
    try:
        await send_query(
            nc,
            c.ListLetters(command_id=uuid.uuid4().hex),
            c.ListLettersReply,
            actor=as_person("p-ad"),
            source=SOURCE,
            timeout=2,
        )
    except NoAnswer:
        return False
    return True


@pytest.fixture(scope="module")
async def stack(nats_server: Any, pg_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """Records, organisation (with the demo organogram) and audit, on one clock file, for the module."""
    clock_file = tmp_path_factory.mktemp("records-clock") / "clock.json"
    write_clock_file(clock_file, ClockSetting(frozen_at=NOW))
    suffix = uuid.uuid4().hex[:8]
    clock = {"RW_CLOCK_FILE": str(clock_file)}
    records = ServiceProcess(
        "records",
        nats_server.url,
        nats_server.passwords["records"],
        pg_dsn,
        f"t_rec_{suffix}",
        extra_env={**clock, "RW_RECORDS_DEADLINE_SCAN_INTERVAL_S": "0.5"},
    )
    organisation = ServiceProcess(
        "organisation",
        nats_server.url,
        nats_server.passwords["organisation"],
        pg_dsn,
        f"t_rorg_{suffix}",
        extra_env={**clock, "RW_ORGANISATION_OVERDUE_SCAN_INTERVAL_S": "0"},
    )
    # The session's CAPTURE stream holds every earlier test's messages: a fresh ledger starts past them.
    audit = ServiceProcess(
        "audit",
        nats_server.url,
        nats_server.passwords["audit"],
        pg_dsn,
        f"t_raud_{suffix}",
        extra_env={**clock, "RW_AUDIT_LEDGER_GAP_TIMEOUT_S": "1"},
    )
    processes = (records, organisation, audit)
    for p in processes:  # one at a time: concurrent role grants in one cluster can collide
        await asyncio.to_thread(p.migrate)
    await asyncio.to_thread(organisation.seed)
    records_db = make_engine(pg_dsn, records.schema)
    nc: Client = await nats_server.connect("operator")
    try:
        for p in processes:
            p.start()
        await eventually(lambda: _up(nc), lambda up: up, timeout=60, what="records to answer")
        yield Stack(nats_server, nc, clock_file, records, records_db, suffix)
    finally:
        await nc.close()
        codes = {p.name: (p.stop(), p.log_tail()) for p in processes}
        await records_db.dispose()
        assert all(code == 0 for code, _ in codes.values()), codes


async def test_a_letter_becomes_a_task_and_its_answer_is_sent_only_with_both_signatures(stack: Stack) -> None:
    stack.at(NOW)
    mayor = await stack.mayor()
    registered = await stack.send(
        c.RegisterLetter(
            command_id=uuid.uuid4().hex,
            entity=LegalEntity.GEMEENTE,
            sender="Jan Peeters",
            about="Vraag over de speelpleinen",
            received_on=TODAY - dt.timedelta(days=2),
            unit_code="SECR",
        )
    )
    assert registered.accepted, registered
    incoming = uuid.UUID(registered.ids["letter_id"])
    due = TODAY - dt.timedelta(days=2) + dt.timedelta(days=30)
    assert registered.data["due_on"] == due.isoformat()

    # Organisation turns the registered letter into a task of the unit, owned by its head.
    async def tasks() -> list[tuple[str, str, str, dt.date]]:
        try:
            query = ListTasks(command_id=uuid.uuid4().hex, decision_id=incoming)
            reply = await send_query(
                stack.nc, query, ListTasksReply, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=5
            )
        except NoAnswer:  # organisation still starting
            return []
        return [(t.action_id, t.unit_code, t.owner_person_id, t.due_date) for t in reply.tasks]

    assert await eventually(tasks, bool, timeout=60, what="the letter's task") == [
        ("answer-letter", "SECR", "p-secr", due)
    ]

    answer = await stack.draft(in_reply_to=incoming)
    refused = await stack.send(c.SendLetter(command_id=uuid.uuid4().hex, letter_id=answer))
    assert (refused.accepted, refused.code) == (False, "signatures_incomplete")
    nobody = await stack.send(stack.sign(answer, "p-nobody", c.SignatureCapacity.SIGNATORY))
    assert (nobody.accepted, nobody.code) == (False, "no_signing_power")
    signed = await stack.sign_once_known(answer, mayor, c.SignatureCapacity.SIGNATORY)
    assert signed.data["signatures"] == 1
    half = await stack.send(c.SendLetter(command_id=uuid.uuid4().hex, letter_id=answer))
    assert (half.accepted, half.code) == (False, "signatures_incomplete")
    twice = await stack.send(stack.sign(answer, mayor, c.SignatureCapacity.CO_SIGNATORY))
    assert (twice.accepted, twice.code) == (False, "no_signing_power"), "the mayor is not the algemeen directeur"
    co = await stack.send(stack.sign(answer, AD, c.SignatureCapacity.CO_SIGNATORY))
    assert co.accepted, co
    stack.at(NOW + dt.timedelta(hours=3))
    sent = await stack.send(c.SendLetter(command_id=uuid.uuid4().hex, letter_id=answer))
    assert sent.accepted, sent
    again = await stack.send(c.SendLetter(command_id=uuid.uuid4().hex, letter_id=answer))
    assert (again.accepted, again.code) == (False, "letter_already_sent")

    letters = {
        line.letter_id: line
        for line in (await stack.ask(c.ListLetters(command_id=uuid.uuid4().hex), c.ListLettersReply)).letters
    }
    assert (letters[answer].status, letters[answer].direction) == ("sent", "outgoing")
    assert sorted(letters[answer].signatures) == sorted([f"signatory:{mayor}", f"co_signatory:{AD}"])
    assert letters[incoming].status == "answered"
    [answered] = [e for e in await stack.published("records.letter.answered") if e["letter_id"] == str(incoming)]
    assert (answered["answer_id"], answered["answered_on"], answered["on_time"]) == (str(answer), str(TODAY), True)
    [letter_sent] = [e for e in await stack.published("records.letter.sent") if e["letter_id"] == str(answer)]
    assert dt.datetime.fromisoformat(letter_sent["sent_at"]) == NOW + dt.timedelta(hours=3)
    # Both letters are archive records of the correspondence series.
    filed = {r.source: r.series for r in await stack.records_of()}
    assert (filed[f"letter:{incoming}"], filed[f"letter:{answer}"]) == ("correspondence-in", "correspondence-out")


async def test_a_delegated_co_signature_is_accepted_and_a_revoked_one_refused(stack: Stack) -> None:
    stack.at(NOW)
    mayor = await stack.mayor()
    delegate = f"p-deleg-{stack.suffix}"
    granted = DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id=AD,
        to_person_id=delegate,
        power=DelegationPower.SIGN,
        entity=LegalEntity.GEMEENTE,
        valid_from=TODAY - dt.timedelta(days=30),
        valid_until=None,
    )
    first, second = await stack.draft(), await stack.draft()
    before = await stack.send(stack.sign(first, delegate, c.SignatureCapacity.CO_SIGNATORY))
    assert (before.accepted, before.code) == (False, "no_signing_power"), "no delegation yet"
    await stack.publish_as("hr", granted)
    by_delegation = await stack.sign_once_known(first, delegate, c.SignatureCapacity.CO_SIGNATORY)
    assert by_delegation.data["delegation_id"] == str(granted.delegation_id)
    await stack.sign_once_known(first, mayor, c.SignatureCapacity.SIGNATORY)
    sent = await stack.send(c.SendLetter(command_id=uuid.uuid4().hex, letter_id=first))
    assert sent.accepted, sent
    [signed] = [
        e
        for e in await stack.published("records.letter.signed")
        if e["letter_id"] == str(first) and e["capacity"] == "co_signatory"
    ]
    assert (signed["person_id"], signed["delegation_id"]) == (delegate, str(granted.delegation_id))

    await stack.publish_as(
        "hr",
        DelegationRevoked(
            delegation_id=granted.delegation_id,
            to_person_id=delegate,
            power=DelegationPower.SIGN,
            revoked_at=NOW,
            reason="Herroepen door de algemeen directeur",
        ),
    )
    await stack.consumed("records_delegations")
    revoked = await stack.send(stack.sign(second, delegate, c.SignatureCapacity.CO_SIGNATORY))
    assert (revoked.accepted, revoked.code) == (False, "no_signing_power")
    await stack.sign_once_known(second, mayor, c.SignatureCapacity.SIGNATORY)
    unsent = await stack.send(c.SendLetter(command_id=uuid.uuid4().hex, letter_id=second))
    assert (unsent.accepted, unsent.code) == (False, "signatures_incomplete")


async def test_complaints_past_their_term_escalate_on_the_moved_clock_and_a_late_answer_says_so(stack: Stack) -> None:
    stack.at(NOW)
    ids = []
    for about in ("Container niet geledigd", "Straatlamp stuk"):
        reply = await stack.send(
            c.RegisterComplaint(
                command_id=uuid.uuid4().hex,
                entity=LegalEntity.GEMEENTE,
                complainant="Karel Klager",
                about=about,
                service_concerned="RUIMTE",
                received_on=TODAY,
            )
        )
        assert reply.accepted, reply
        ids.append(uuid.UUID(reply.ids["complaint_id"]))
    late, unanswered = ids
    due = TODAY + dt.timedelta(days=45)
    ack = await stack.send(c.AcknowledgeComplaint(command_id=uuid.uuid4().hex, complaint_id=late))
    assert ack.accepted, ack
    dependent = await stack.send(
        c.AssignComplaint(
            command_id=uuid.uuid4().hex, complaint_id=late, handler_person_id="p-ruimte", handler_unit="RUIMTE"
        )
    )
    assert (dependent.accepted, dependent.code) == (False, "handler_not_independent")
    assigned = await stack.send(
        c.AssignComplaint(
            command_id=uuid.uuid4().hex, complaint_id=late, handler_person_id="p-secr", handler_unit="SECR"
        )
    )
    assert assigned.accepted, assigned

    # The last day of the term: nothing is late yet.
    stack.at(dt.datetime.combine(due, NOW.timetz()))
    scan = await stack.send(c.ScanRecordDeadlines(command_id=uuid.uuid4().hex, as_of=due))
    assert scan.accepted, scan
    assert not [e for e in await stack.published("records.complaint.overdue") if e["complaint_id"] in map(str, ids)]

    # Ten days later the periodic scan on the moved clock escalates both, once each: the handler's
    # and the one nobody handles.
    later = due + dt.timedelta(days=10)
    stack.at(dt.datetime.combine(later, NOW.timetz()))

    async def escalations() -> list[dict[str, Any]]:
        return [e for e in await stack.published("records.complaint.overdue") if e["complaint_id"] in map(str, ids)]

    overdue = await eventually(escalations, lambda e: len(e) == 2, timeout=30, what="the periodic scan")
    assert sorted((e["complaint_id"], e["due_on"], e["escalated_to"]) for e in overdue) == sorted(
        (str(i), due.isoformat(), "algemeen_directeur") for i in ids
    )

    # The answer comes late: it says so, and the complaint is not escalated twice.
    answered = await stack.send(
        c.AnswerComplaint(
            command_id=uuid.uuid4().hex,
            complaint_id=late,
            person_id="p-secr",
            outcome=c.ComplaintOutcome.FOUNDED,
            answer="De container wordt morgen geledigd.",
        )
    )
    assert answered.accepted, answered
    [answer] = [e for e in await stack.published("records.complaint.answered") if e["complaint_id"] == str(late)]
    assert (answer["answered_on"], answer["on_time"]) == (later.isoformat(), False)
    assert len(await escalations()) == 2
    lines = {
        x.complaint_id: x
        for x in (
            await stack.ask(c.ListComplaints(command_id=uuid.uuid4().hex, year=TODAY.year), c.ListComplaintsReply)
        ).complaints
    }
    assert (lines[late].escalated, lines[late].outcome, lines[late].answered_on) == (
        True,
        c.ComplaintOutcome.FOUNDED,
        later,
    )
    assert (lines[unanswered].escalated, lines[unanswered].answered_on) == (True, None)
    # No event names the complainant.
    assert "Karel" not in json.dumps(await stack.published("records.complaint.registered"))


async def test_partial_access_shows_its_redactions_and_a_closed_session_document_is_never_released(
    stack: Stack,
) -> None:
    stack.at(NOW)
    closed = adopted_decision(
        title=f"Personeelsdossier X {stack.suffix}",
        confidentiality=Confidentiality.CLOSED,
        adopted_at=NOW - dt.timedelta(days=7),
    )
    await publish_decision(stack.nats_server, closed)

    async def filed() -> list[c.ArchiveRecordLine]:
        return [
            r
            for r in await stack.records_of(series="decisions-executive")
            if r.source == f"decision:{closed.decision_id}"
        ]

    [record] = await eventually(filed, bool, timeout=60, what="the closed decision to be archived")
    assert record.confidentiality is Confidentiality.CLOSED
    assert stack.suffix not in record.title, "records keeps no closed title"
    registered = await stack.send(
        c.RegisterAccessRequest(
            command_id=uuid.uuid4().hex,
            entity=LegalEntity.GEMEENTE,
            applicant="Journalist Janssens",
            address="Kerkstraat 1, 9000 Gent",
            document="Het besluit over het personeelsdossier",
            record_id=record.record_id,
        )
    )
    assert registered.accepted, registered
    closed_request = uuid.UUID(registered.ids["request_id"])
    for outcome, redactions in (
        (c.AccessOutcome.GRANTED, ()),
        (c.AccessOutcome.PARTIAL, (c.Redaction(passage="naam", ground=c.ExceptionGround.PRIVACY),)),
    ):
        never = await stack.send(
            c.DecideAccessRequest(
                command_id=uuid.uuid4().hex,
                request_id=closed_request,
                person_id=AD,
                outcome=outcome,
                grounds=(c.ExceptionGround.PRIVACY,) if redactions else (),
                redactions=redactions,
            )
        )
        assert (never.accepted, never.code) == (False, "document_not_releasable"), outcome
    refusal = await stack.send(
        c.DecideAccessRequest(
            command_id=uuid.uuid4().hex,
            request_id=closed_request,
            person_id=AD,
            outcome=c.AccessOutcome.REFUSED,
            grounds=(c.ExceptionGround.CLOSED_SESSION,),
        )
    )
    assert refusal.accepted, refusal

    open_request = await stack.send(
        c.RegisterAccessRequest(
            command_id=uuid.uuid4().hex,
            entity=LegalEntity.GEMEENTE,
            applicant="Buurtcomité De Linde",
            address="Lindelaan 4, 9000 Gent",
            document="Mobiliteitsstudie schoolomgeving",
            channel=c.Channel.WEB_FORM,
        )
    )
    assert open_request.accepted, open_request
    request_id = uuid.UUID(open_request.ids["request_id"])
    not_competent = await stack.send(
        c.DecideAccessRequest(
            command_id=uuid.uuid4().hex, request_id=request_id, person_id="p-secr", outcome=c.AccessOutcome.GRANTED
        )
    )
    assert (not_competent.accepted, not_competent.code) == (False, "not_competent_for_access")
    decided_on = TODAY + dt.timedelta(days=5)
    stack.at(dt.datetime.combine(decided_on, NOW.timetz()))
    redaction = c.Redaction(passage="p. 12: namen en adressen van bewoners", ground=c.ExceptionGround.PRIVACY)
    partial = await stack.send(
        c.DecideAccessRequest(
            command_id=uuid.uuid4().hex,
            request_id=request_id,
            person_id=AD,
            outcome=c.AccessOutcome.PARTIAL,
            grounds=(c.ExceptionGround.PRIVACY,),
            redactions=(redaction,),
        )
    )
    assert partial.accepted, partial

    requests = {
        r.request_id: r
        for r in (
            await stack.ask(c.ListAccessRequests(command_id=uuid.uuid4().hex), c.ListAccessRequestsReply)
        ).requests
    }
    shown = requests[request_id]
    assert (shown.outcome, shown.redactions, shown.grounds) == (
        c.AccessOutcome.PARTIAL,
        (redaction,),
        (c.ExceptionGround.PRIVACY,),
    )
    assert shown.due_on == TODAY + dt.timedelta(days=20)
    assert shown.appeal_until == decided_on + dt.timedelta(days=30)
    assert (requests[closed_request].outcome, requests[closed_request].grounds) == (
        c.AccessOutcome.REFUSED,
        (c.ExceptionGround.CLOSED_SESSION,),
    )
    decisions = {e["request_id"]: e for e in await stack.published("records.access_request.decided")}
    told = decisions[str(request_id)]
    assert (told["outcome"], told["redacted_passages"], told["on_time"]) == ("partial", 1, True)
    assert told["appeal_until"] == (decided_on + dt.timedelta(days=30)).isoformat()
    assert "beroepsinstantie" in told["appeal_body"]
    assert decisions[str(closed_request)]["outcome"] == "refused"


async def test_a_record_past_retention_is_destroyed_only_under_its_rule_with_approval_and_audited(
    stack: Stack,
) -> None:
    stack.at(NOW)

    async def file(series: str, dated: dt.date) -> uuid.UUID:
        reply = await stack.send(
            c.FileArchiveRecord(
                command_id=uuid.uuid4().hex, series=series, entity=LegalEntity.GEMEENTE, title=series, dated=dated
            )
        )
        assert reply.accepted, reply
        return uuid.UUID(reply.ids["record_id"])

    young = await file("complaints", TODAY - dt.timedelta(days=400))
    old = await file("complaints", dt.date(2018, 6, 1))
    unruled = await file("misc", dt.date(2012, 1, 1))
    forever = await file("decisions-council", dt.date(1990, 1, 1))

    async def destroy(*ids: uuid.UUID, by: str = "p-archivaris", command_id: str | None = None) -> CommandReply:
        return await stack.send(
            c.DestroyRecords(command_id=command_id or uuid.uuid4().hex, record_ids=ids, person_id=by)
        )

    assert (await destroy(young)).code == "retention_not_over"
    assert (await destroy(forever)).code == "record_kept_permanently"
    assert (await destroy(old)).code == "destruction_not_approved"
    assert (await destroy(unruled)).code == "no_destruction_authority"
    not_ad = await stack.send(
        c.ApproveDestruction(command_id=uuid.uuid4().hex, record_ids=(old, unruled), person_id="p-archivaris")
    )
    assert (not_ad.accepted, not_ad.code) == (False, "not_the_director")
    approved = await stack.send(
        c.ApproveDestruction(command_id=uuid.uuid4().hex, record_ids=(old, unruled), person_id=AD)
    )
    assert approved.accepted, approved
    assert (await destroy(unruled)).code == "no_destruction_authority", "approval is no authority"
    permitted = await stack.send(
        c.RecordCommitteePermission(
            command_id=uuid.uuid4().hex, record_id=unruled, reference="SC-Gemeenten 2027/14", granted_on=TODAY
        )
    )
    assert permitted.accepted, permitted
    # The destruction in one go, with a known correlation: its event is then found in the audit trail.
    correlation = uuid.uuid4().hex
    destroyed = await destroy(old, unruled, command_id=correlation)
    assert destroyed.accepted, destroyed
    assert (await destroy(old)).code == "record_destroyed"

    statements = (
        await stack.ask(c.ListDestructionStatements(command_id=uuid.uuid4().hex), c.ListDestructionStatementsReply)
    ).statements
    [statement] = [s for s in statements if any(str(old) in line for line in s.records)]
    assert (statement.destroyed_on, statement.destroyed_by, statement.approved_by) == (TODAY, "p-archivaris", AD)
    assert sorted(statement.records) == sorted(
        [
            f"{old} complaints complaints (2018-06-01) under rule:complaints@2024-03-01",
            f"{unruled} misc misc (2012-01-01) under permission:SC-Gemeenten 2027/14",
        ]
    )
    status = {r.record_id: r.status for r in await stack.records_of()}
    assert (status[old], status[unruled], status[young], status[forever]) == ("destroyed", "destroyed", "kept", "kept")

    async def trail() -> list[str]:
        try:
            query = GetTrail(command_id=uuid.uuid4().hex, correlation_id=correlation)
            reply = await send_query(
                stack.nc, query, GetTrailReply, actor=acting_for(query, "p-ad"), source=SOURCE, timeout=5
            )
        except NoAnswer:
            return []
        return [r.subject for r in reply.records]

    subjects = await eventually(
        trail, lambda s: "records.archive.destroyed" in s, timeout=90, what="the destruction in the audit ledger"
    )
    assert "cmd.records.destroy_records" in subjects
    [event] = [
        e
        for e in await stack.published("records.archive.destroyed")
        if e["statement_id"] == str(statement.statement_id)
    ]
    assert (event["destroyed_on"], event["approved_by"]) == (TODAY.isoformat(), AD)


def _on(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, NOW.timetz())


async def test_rw_records_lists_each_register_and_the_yearly_complaints_report_matches_the_hand_count(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.records, "console", Console(width=250))
    monkeypatch.setattr(cli.reports, "console", Console(width=250))
    env = {
        "RW_NATS_URL": stack.nats_server.url,
        "RW_OPERATOR_NATS_PASSWORD": stack.nats_server.passwords["operator"],
        **operator_env(),
    }
    runner = CliRunner()

    async def rw(*args: str) -> str:
        result = await asyncio.to_thread(runner.invoke, app, ["--as", "p-ad", *args], env=env, terminal_width=250)
        assert result.exit_code == 0, result.output
        return str(result.output)

    async def complaint(entity: LegalEntity, service: str, received: dt.date) -> uuid.UUID:
        reply = await stack.send(
            c.RegisterComplaint(
                command_id=uuid.uuid4().hex,
                entity=entity,
                complainant="Karel Klager",
                about="Klacht",
                service_concerned=service,
                received_on=received,
            )
        )
        assert reply.accepted, reply
        return uuid.UUID(reply.ids["complaint_id"])

    async def handle(complaint_id: uuid.UUID, outcome: c.ComplaintOutcome) -> None:
        assign = c.AssignComplaint(
            command_id=uuid.uuid4().hex, complaint_id=complaint_id, handler_person_id="p-secr", handler_unit="SECR"
        )
        answer = c.AnswerComplaint(
            command_id=uuid.uuid4().hex, complaint_id=complaint_id, person_id="p-secr", outcome=outcome, answer="A"
        )
        for command in (assign, answer):
            reply = await stack.send(command)
            assert reply.accepted, reply

    # The fixtures of 2025, in the order they happened on the moved clock.
    a_in, b_in, c_in = dt.date(2025, 2, 3), dt.date(2025, 5, 2), dt.date(2025, 10, 1)
    stack.at(_on(a_in))
    a = await complaint(LegalEntity.GEMEENTE, "RUIMTE", a_in)
    await complaint(LegalEntity.GEMEENTE, "RUIMTE", dt.date(2024, 12, 30))  # another year's
    stack.at(_on(a_in + dt.timedelta(days=30)))
    await handle(a, c.ComplaintOutcome.FOUNDED)  # 30 days: on time
    stack.at(_on(b_in))
    b = await complaint(LegalEntity.GEMEENTE, "RUIMTE", b_in)
    stack.at(_on(b_in + dt.timedelta(days=60)))
    await handle(b, c.ComplaintOutcome.UNFOUNDED)  # 60 days: late, escalated
    stack.at(_on(c_in))
    open_one = await complaint(LegalEntity.OCMW, "WELZIJN", c_in)
    stack.at(_on(dt.date(2026, 1, 15)))  # past its 45 days: the periodic scan escalates it

    async def escalated() -> bool:
        query = c.ListComplaints(command_id=uuid.uuid4().hex, year=2025)
        lines = (await stack.ask(query, c.ListComplaintsReply)).complaints
        return any(x.complaint_id == open_one and x.escalated for x in lines)

    await eventually(escalated, bool, timeout=30, what="the open complaint to escalate")

    # By hand: gemeente 2 received, both answered (30 and 60 days: one on time, one late and escalated),
    # one founded and one unfounded; ocmw 1 received, open and escalated.
    report = tmp_path / "complaints.csv"
    shown = await rw("reports", "complaints", "--year", "2025", "-o", str(report))
    assert "complaints 2025 (term 45 days)" in shown
    assert "by service concerned: RUIMTE: 2, WELZIJN: 1" in shown
    assert report.read_text(encoding="utf-8").splitlines() == [
        "scope,received,answered,answered_on_time,answered_late,still_open,escalated,"
        "founded,partly_founded,unfounded,inadmissible,average_days_to_answer",
        "gemeente,2,2,1,1,0,1,1,0,1,0,45.0",
        "ocmw,1,0,0,0,1,1,0,0,0,0,",
        "total,3,2,1,1,1,2,1,0,1,0,45.0",
    ]
    assert "no complaints received in 1999" in await rw("reports", "complaints", "--year", "1999")

    # Each register, listed.
    stack.at(NOW)
    letter = await stack.send(
        c.RegisterLetter(
            command_id=uuid.uuid4().hex,
            entity=LegalEntity.GEMEENTE,
            sender=f"Afzender {stack.suffix}",
            about="Vraag over de kermis",
            received_on=TODAY,
            unit_code="SECR",
            confidentiality=Confidentiality.PUBLIC,
        )
    )
    assert letter.accepted, letter
    request = await stack.send(
        c.RegisterAccessRequest(
            command_id=uuid.uuid4().hex,
            entity=LegalEntity.GEMEENTE,
            applicant="A",
            address="Straat 1",
            document=f"Verkeersplan {stack.suffix}",
        )
    )
    assert request.accepted, request
    decided = await stack.send(
        c.DecideAccessRequest(
            command_id=uuid.uuid4().hex,
            request_id=uuid.UUID(request.ids["request_id"]),
            person_id=AD,
            outcome=c.AccessOutcome.PARTIAL,
            grounds=(c.ExceptionGround.BUSINESS_CONFIDENTIAL,),
            redactions=(
                c.Redaction(passage="bijlage 2: offerteprijzen", ground=c.ExceptionGround.BUSINESS_CONFIDENTIAL),
            ),
        )
    )
    assert decided.accepted, decided

    letters = await rw("records", "letters", "--year", str(TODAY.year))
    assert f"Afzender {stack.suffix}" in letters
    assert (TODAY + dt.timedelta(days=30)).isoformat() in letters
    complaints = await rw("records", "complaints", "--year", "2025")
    assert str(open_one) in complaints
    assert "3 complaints" in complaints
    assert "Karel" not in complaints
    requests = await rw("records", "requests")
    assert f"Verkeersplan {stack.suffix}" in requests
    assert "redacted: bijlage 2: offerteprijzen (business_confidential)" in requests
    archive = await rw("records", "archive", "--series", "correspondence-in")
    assert f"Brief van Afzender {stack.suffix}" in archive
    assert "SAMPLE" in archive

    transfer = tmp_path / "transfer"
    exported = await rw("records", "export", "-o", str(transfer))
    assert "records and" in exported
    manifest = json.loads((transfer / "manifest.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader((transfer / "records.csv").open(encoding="utf-8")))
    assert manifest["records"] == len(rows) > 0
    assert manifest["selection_list"].startswith("SAMPLE")
    assert all(r["status"] == "kept" for r in rows)
    assert any(r["title"] == f"Brief van Afzender {stack.suffix}: Vraag over de kermis" for r in rows)
