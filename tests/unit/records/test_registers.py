"""Records through its registry, in memory: letters and signatures, complaints, access, the archive."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

import shared.contracts.records as c
from services.records.bootstrap import handlers_of
from services.records.domain.policy import RecordsPolicy
from services.records.domain.selection import publication_series
from services.records.entrypoints.subscriptions import registry
from shared.clock import FixedClock
from shared.contracts.base import Event
from shared.contracts.hr import DelegationGranted, DelegationRevoked
from shared.contracts.organisation import MandateStarted
from shared.kernel import RuleViolation
from shared.messaging.context import envelope_for
from shared.messaging.routes import Registry
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    DelegationPower,
    Entity,
    LegalEntity,
    MandateRole,
    MandateStatus,
)
from tests.unit.records.fakes import FakeRecordsUnitOfWork

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def _id() -> str:
    return uuid.uuid4().hex


def _setup(now: dt.datetime = NOW) -> tuple[Registry, FakeRecordsUnitOfWork, FixedClock]:
    clock = FixedClock(now)
    return registry(handlers_of(RecordsPolicy(algemeen_directeur="p-ad"), clock)), FakeRecordsUnitOfWork(), clock


async def _tell(reg: Registry, uow: FakeRecordsUnitOfWork, event: Event) -> None:
    env = envelope_for(
        type=event.ce_type(),
        source="/raderwerk/test",
        subject="x",
        entity=Entity.GEMEENTE,
        confidentiality=Confidentiality.PUBLIC,
    )
    await reg.tell(uow, event, env)


async def _mayor(reg: Registry, uow: FakeRecordsUnitOfWork) -> None:
    await _tell(
        reg,
        uow,
        MandateStarted(
            mandate_id=uuid.uuid4(),
            person_id="p-mayor",
            person_name="Burgemeester",
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            role=MandateRole.MAYOR,
            status=MandateStatus.EFFECTIVE,
            start=dt.date(2025, 1, 1),
        ),
    )


def _delegation(to: str, power: DelegationPower = DelegationPower.SIGN) -> DelegationGranted:
    return DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id=to,
        power=power,
        entity=LegalEntity.GEMEENTE,
        valid_from=dt.date(2026, 1, 1),
        valid_until=None,
    )


async def test_a_letter_is_answered_by_a_letter_sent_only_with_both_signatures() -> None:
    reg, uow, _ = _setup()
    await _mayor(reg, uow)
    done = await reg.send(
        uow,
        c.RegisterLetter(
            command_id=_id(),
            entity=LegalEntity.GEMEENTE,
            sender="Jan",
            about="Vraag",
            received_on=TODAY,
            unit_code="SECR",
        ),
    )
    incoming = uuid.UUID(done.ids["letter_id"])
    [(registered, env)] = [(e, v) for e, v in uow.emitted if isinstance(e, c.LetterRegistered)]
    assert registered.due_on == TODAY + dt.timedelta(days=30)
    assert env.confidentiality is Confidentiality.CLOSED
    draft = await reg.send(
        uow,
        c.DraftLetter(
            command_id=_id(),
            entity=LegalEntity.GEMEENTE,
            issuer=BodyKind.COLLEGE,
            addressee="Jan",
            about="Antwoord",
            in_reply_to=incoming,
        ),
    )
    answer = uuid.UUID(draft.ids["letter_id"])
    with pytest.raises(RuleViolation) as refused:
        await reg.send(uow, c.SendLetter(command_id=_id(), letter_id=answer))
    assert refused.value.code == "signatures_incomplete"
    with pytest.raises(RuleViolation) as no_power:
        await reg.send(
            uow,
            c.SignLetter(
                command_id=_id(), letter_id=answer, person_id="p-nobody", capacity=c.SignatureCapacity.SIGNATORY
            ),
        )
    assert no_power.value.code == "no_signing_power"
    await reg.send(
        uow,
        c.SignLetter(command_id=_id(), letter_id=answer, person_id="p-mayor", capacity=c.SignatureCapacity.SIGNATORY),
    )
    with pytest.raises(RuleViolation) as half:
        await reg.send(uow, c.SendLetter(command_id=_id(), letter_id=answer))
    assert half.value.code == "signatures_incomplete"
    await reg.send(
        uow,
        c.SignLetter(command_id=_id(), letter_id=answer, person_id="p-ad", capacity=c.SignatureCapacity.CO_SIGNATORY),
    )
    await reg.send(uow, c.SendLetter(command_id=_id(), letter_id=answer))
    answered = [e for e, _ in uow.emitted if isinstance(e, c.LetterAnswered)]
    assert [(a.letter_id, a.answer_id, a.on_time) for a in answered] == [(incoming, answer, True)]
    series = sorted(r.series for r in uow.archive.rows.values())
    assert series == ["correspondence-in", "correspondence-out"]


async def test_a_delegated_co_signature_is_accepted_and_a_revoked_one_refused() -> None:
    reg, uow, _ = _setup()
    await _mayor(reg, uow)
    granted = _delegation("p-secr")
    await _tell(reg, uow, granted)
    letters = []
    for _ in range(2):
        d = await reg.send(
            uow,
            c.DraftLetter(
                command_id=_id(), entity=LegalEntity.GEMEENTE, issuer=BodyKind.COLLEGE, addressee="X", about="Y"
            ),
        )
        letters.append(uuid.UUID(d.ids["letter_id"]))
    ok = await reg.send(
        uow,
        c.SignLetter(
            command_id=_id(), letter_id=letters[0], person_id="p-secr", capacity=c.SignatureCapacity.CO_SIGNATORY
        ),
    )
    assert ok.data["delegation_id"] == str(granted.delegation_id)
    await _tell(
        reg,
        uow,
        DelegationRevoked(
            delegation_id=granted.delegation_id,
            to_person_id="p-secr",
            power=DelegationPower.SIGN,
            revoked_at=NOW - dt.timedelta(minutes=1),
            reason="herroepen",
        ),
    )
    with pytest.raises(RuleViolation) as refused:
        await reg.send(
            uow,
            c.SignLetter(
                command_id=_id(), letter_id=letters[1], person_id="p-secr", capacity=c.SignatureCapacity.CO_SIGNATORY
            ),
        )
    assert refused.value.code == "no_signing_power"


async def test_a_complaint_answered_late_escalates_and_the_report_counts_it() -> None:
    reg, uow, _ = _setup()
    received = [TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=5)]
    ids = []
    for i, day in enumerate(received):
        done = await reg.send(
            uow,
            c.RegisterComplaint(
                command_id=_id(),
                entity=LegalEntity.GEMEENTE if i < 2 else LegalEntity.OCMW,
                complainant="K",
                about="S",
                service_concerned="RUIMTE",
                received_on=day,
            ),
        )
        ids.append(uuid.UUID(done.ids["complaint_id"]))
    with pytest.raises(RuleViolation) as dependent:
        await reg.send(
            uow,
            c.AssignComplaint(
                command_id=_id(), complaint_id=ids[0], handler_person_id="p-ruimte", handler_unit="RUIMTE"
            ),
        )
    assert dependent.value.code == "handler_not_independent"
    for cid, outcome in ((ids[0], c.ComplaintOutcome.FOUNDED), (ids[1], c.ComplaintOutcome.UNFOUNDED)):
        await reg.send(
            uow, c.AssignComplaint(command_id=_id(), complaint_id=cid, handler_person_id="p-secr", handler_unit="SECR")
        )
        await reg.send(
            uow, c.AnswerComplaint(command_id=_id(), complaint_id=cid, person_id="p-secr", outcome=outcome, answer="A")
        )
    overdue = [e for e, _ in uow.emitted if isinstance(e, c.ComplaintOverdue)]
    assert [(o.complaint_id, o.escalated_to) for o in overdue] == [(ids[0], "algemeen_directeur")]
    report = await reg.ask(uow, c.GetComplaintsReport(command_id=_id(), year=TODAY.year))
    assert isinstance(report, c.GetComplaintsReportReply)
    total = next(line for line in report.lines if line.scope == "total")
    assert (total.received, total.answered, total.answered_on_time, total.answered_late, total.still_open) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert (total.founded, total.unfounded, total.escalated, total.average_days_to_answer) == (1, 1, 1, 35.0)


async def test_partial_access_shows_its_redactions_and_a_closed_document_is_never_released() -> None:
    reg, uow, _ = _setup()
    closed = await reg.send(
        uow,
        c.FileArchiveRecord(
            command_id=_id(),
            series="decisions-executive",
            entity=LegalEntity.GEMEENTE,
            title="Besloten",
            dated=TODAY,
            confidentiality=Confidentiality.CLOSED,
        ),
    )
    record = uuid.UUID(closed.ids["record_id"])
    req = await reg.send(
        uow,
        c.RegisterAccessRequest(
            command_id=_id(),
            entity=LegalEntity.GEMEENTE,
            applicant="A",
            address="Straat 1",
            document="Besluit",
            record_id=record,
        ),
    )
    with pytest.raises(RuleViolation) as never:
        await reg.send(
            uow,
            c.DecideAccessRequest(
                command_id=_id(),
                request_id=uuid.UUID(req.ids["request_id"]),
                person_id="p-ad",
                outcome=c.AccessOutcome.PARTIAL,
                redactions=(c.Redaction(passage="naam", ground=c.ExceptionGround.PRIVACY),),
            ),
        )
    assert never.value.code == "document_not_releasable"
    await reg.send(
        uow,
        c.DecideAccessRequest(
            command_id=_id(),
            request_id=uuid.UUID(req.ids["request_id"]),
            person_id="p-ad",
            outcome=c.AccessOutcome.REFUSED,
            grounds=(c.ExceptionGround.CLOSED_SESSION,),
        ),
    )
    open_req = await reg.send(
        uow,
        c.RegisterAccessRequest(
            command_id=_id(), entity=LegalEntity.GEMEENTE, applicant="B", address="Straat 2", document="Rapport"
        ),
    )
    decided = await reg.send(
        uow,
        c.DecideAccessRequest(
            command_id=_id(),
            request_id=uuid.UUID(open_req.ids["request_id"]),
            person_id="p-ad",
            outcome=c.AccessOutcome.PARTIAL,
            redactions=(c.Redaction(passage="p. 3 naam", ground=c.ExceptionGround.PRIVACY),),
        ),
    )
    assert decided.data["appeal_until"] == str(TODAY + dt.timedelta(days=30))
    listing = await reg.ask(uow, c.ListAccessRequests(command_id=_id()))
    assert isinstance(listing, c.ListAccessRequestsReply)
    partial = next(r for r in listing.requests if r.outcome is c.AccessOutcome.PARTIAL)
    assert partial.redactions == (c.Redaction(passage="p. 3 naam", ground=c.ExceptionGround.PRIVACY),)
    assert partial.due_on == partial.registered_on + dt.timedelta(days=20)


async def test_a_record_past_retention_is_destroyed_only_under_its_rule_with_approval() -> None:
    reg, uow, _ = _setup()

    async def file(series: str, dated: dt.date) -> uuid.UUID:
        done = await reg.send(
            uow,
            c.FileArchiveRecord(
                command_id=_id(), series=series, entity=LegalEntity.GEMEENTE, title=series, dated=dated
            ),
        )
        return uuid.UUID(done.ids["record_id"])

    young, old, unruled = (
        await file("complaints", TODAY),
        await file("complaints", dt.date(2015, 1, 1)),
        await file("misc", dt.date(2010, 1, 1)),
    )

    async def destroy(*ids: uuid.UUID) -> str:
        with pytest.raises(RuleViolation) as refused:
            await reg.send(uow, c.DestroyRecords(command_id=_id(), record_ids=ids, person_id="p-archivaris"))
        return refused.value.code

    assert await destroy(young) == "retention_not_over"
    assert await destroy(old) == "destruction_not_approved"
    assert await destroy(unruled) == "no_destruction_authority"
    with pytest.raises(RuleViolation):
        await reg.send(uow, c.ApproveDestruction(command_id=_id(), record_ids=(old,), person_id="p-archivaris"))
    await reg.send(uow, c.ApproveDestruction(command_id=_id(), record_ids=(old, unruled), person_id="p-ad"))
    await reg.send(
        uow, c.RecordCommitteePermission(command_id=_id(), record_id=unruled, reference="SC-2026-12", granted_on=TODAY)
    )
    await reg.send(uow, c.DestroyRecords(command_id=_id(), record_ids=(old, unruled), person_id="p-archivaris"))
    [destroyed] = [e for e, _ in uow.emitted if isinstance(e, c.ArchiveRecordsDestroyed)]
    assert destroyed.authorities == ("rule:complaints@2024-03-01", "permission:SC-2026-12")
    statements = await reg.ask(uow, c.ListDestructionStatements(command_id=_id()))
    assert isinstance(statements, c.ListDestructionStatementsReply)
    [statement] = statements.statements
    assert (statement.destroyed_on, statement.approved_by, len(statement.records)) == (TODAY, "p-ad", 2)


async def test_the_scan_marks_late_registers_once() -> None:
    reg, uow, _ = _setup()
    await reg.send(
        uow,
        c.RegisterLetter(
            command_id=_id(),
            entity=LegalEntity.GEMEENTE,
            sender="J",
            about="V",
            received_on=TODAY - dt.timedelta(days=40),
            unit_code="SECR",
        ),
    )
    await reg.send(
        uow,
        c.RegisterComplaint(
            command_id=_id(),
            entity=LegalEntity.GEMEENTE,
            complainant="K",
            about="S",
            service_concerned="RUIMTE",
            received_on=TODAY - dt.timedelta(days=50),
        ),
    )
    first = await reg.send(uow, c.ScanRecordDeadlines(command_id=_id(), as_of=TODAY))
    again = await reg.send(uow, c.ScanRecordDeadlines(command_id=_id(), as_of=TODAY))
    assert first.data == {"letters": 1, "complaints": 1, "access_requests": 0}
    assert again.data == {"letters": 0, "complaints": 0, "access_requests": 0}


def test_every_kind_meetings_publishes_has_its_series() -> None:
    kinds = ("agenda", "decision_list", "regulation", "full_text", "minutes", "extract")
    assert [publication_series(k).code for k in kinds] == [
        "agendas",
        "decision-lists",
        "regulations",
        "publications",
        "minutes",
        "publications",
    ]
