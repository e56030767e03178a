"""The one place where records meets the message contracts.

Incoming commands and events become records' own commands; its domain events become the contracts
it publishes. Complaint and access-request events name no person; letters travel with the
confidentiality they were registered with; archive records with that of what they file.
"""

from __future__ import annotations

import functools
from typing import TypeVar

from services.records.domain import commands as own
from services.records.domain import events
from services.records.domain.access import Redaction
from services.records.domain.selection import decision_series, publication_series
from shared.contracts import records as published
from shared.contracts.hr import DelegationGranted, DelegationRevoked
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.organisation import MandateEnded, MandateStarted, MandateStatusChanged
from shared.contracts.sessions import DocumentPublished
from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import BodyKind, Confidentiality, Entity

__all__ = [
    "acknowledge_complaint",
    "answer_complaint",
    "approve_destruction",
    "assign_complaint",
    "decide_access_request",
    "destroy_records",
    "draft_letter",
    "end_seat",
    "extend_access_request",
    "file_archive_record",
    "file_decision",
    "file_publication",
    "keep_delegation",
    "keep_seat",
    "outgoing",
    "record_committee_permission",
    "register_access_request",
    "register_complaint",
    "register_letter",
    "revoke_delegation",
    "scan_deadlines",
    "send_letter",
    "set_seat_status",
    "sign_letter",
]

# -- commands -----------------------------------------------------------------------------------


def register_letter(c: published.RegisterLetter) -> own.RegisterLetter:
    return own.RegisterLetter(
        entity=c.entity,
        sender=c.sender,
        subject=c.about,
        received_on=c.received_on,
        channel=c.channel.value,
        unit_code=c.unit_code,
        answer_days=c.answer_days,
        confidentiality=c.confidentiality,
    )


def draft_letter(c: published.DraftLetter) -> own.DraftLetter:
    return own.DraftLetter(
        entity=c.entity,
        issuer=c.issuer,
        addressee=c.addressee,
        subject=c.about,
        in_reply_to=c.in_reply_to,
        confidentiality=c.confidentiality,
    )


def sign_letter(c: published.SignLetter) -> own.SignLetter:
    return own.SignLetter(letter_id=c.letter_id, person_id=c.person_id, capacity=c.capacity.value)


def send_letter(c: published.SendLetter) -> own.SendLetter:
    return own.SendLetter(letter_id=c.letter_id)


def register_complaint(c: published.RegisterComplaint) -> own.RegisterComplaint:
    return own.RegisterComplaint(
        entity=c.entity,
        complainant=c.complainant,
        subject=c.about,
        service_concerned=c.service_concerned,
        received_on=c.received_on,
        channel=c.channel.value,
    )


def acknowledge_complaint(c: published.AcknowledgeComplaint) -> own.AcknowledgeComplaint:
    return own.AcknowledgeComplaint(complaint_id=c.complaint_id)


def assign_complaint(c: published.AssignComplaint) -> own.AssignComplaint:
    return own.AssignComplaint(
        complaint_id=c.complaint_id, handler_person_id=c.handler_person_id, handler_unit=c.handler_unit
    )


def answer_complaint(c: published.AnswerComplaint) -> own.AnswerComplaint:
    return own.AnswerComplaint(
        complaint_id=c.complaint_id, person_id=c.person_id, outcome=c.outcome.value, answer=c.answer
    )


def register_access_request(c: published.RegisterAccessRequest) -> own.RegisterAccessRequest:
    return own.RegisterAccessRequest(
        entity=c.entity,
        applicant=c.applicant,
        address=c.address,
        document=c.document,
        record_id=c.record_id,
        form=c.form.value,
        channel=c.channel.value,
    )


def extend_access_request(c: published.ExtendAccessRequest) -> own.ExtendAccessRequest:
    return own.ExtendAccessRequest(request_id=c.request_id, person_id=c.person_id, reason=c.reason)


def decide_access_request(c: published.DecideAccessRequest) -> own.DecideAccessRequest:
    return own.DecideAccessRequest(
        request_id=c.request_id,
        person_id=c.person_id,
        outcome=c.outcome.value,
        grounds=tuple(g.value for g in c.grounds),
        redactions=tuple(Redaction(passage=r.passage, ground=r.ground.value) for r in c.redactions),
    )


def file_archive_record(c: published.FileArchiveRecord) -> own.FileRecord:
    """A record filed by hand; the command id makes its source, so a retry files it once."""
    return own.FileRecord(
        source=f"command:{c.command_id}",
        series=c.series,
        entity=c.entity,
        title=c.title,
        dated=c.dated,
        confidentiality=c.confidentiality,
    )


def record_committee_permission(c: published.RecordCommitteePermission) -> own.RecordCommitteePermission:
    return own.RecordCommitteePermission(record_id=c.record_id, reference=c.reference, granted_on=c.granted_on)


def approve_destruction(c: published.ApproveDestruction) -> own.ApproveDestruction:
    return own.ApproveDestruction(record_ids=c.record_ids, person_id=c.person_id)


def destroy_records(c: published.DestroyRecords) -> own.DestroyRecords:
    return own.DestroyRecords(record_ids=c.record_ids, person_id=c.person_id)


def scan_deadlines(c: published.ScanRecordDeadlines) -> own.ScanDeadlines:
    return own.ScanDeadlines(as_of=c.as_of)


# -- consumed events ----------------------------------------------------------------------------


def keep_seat(event: MandateStarted, _envelope: Envelope) -> own.KeepSeat:
    return own.KeepSeat(
        mandate_id=event.mandate_id,
        person_id=event.person_id,
        body=event.body,
        role=event.role,
        status=event.status,
        start=event.start,
        end=event.end,
    )


def set_seat_status(event: MandateStatusChanged, _envelope: Envelope) -> own.SetSeatStatus:
    return own.SetSeatStatus(mandate_id=event.mandate_id, status=event.status)


def end_seat(event: MandateEnded, _envelope: Envelope) -> own.EndSeat:
    return own.EndSeat(mandate_id=event.mandate_id, end=event.end)


def keep_delegation(event: DelegationGranted, _envelope: Envelope) -> own.KeepDelegation | None:
    """Only a person's delegation to a person signs or decides in records' registers."""
    if event.from_person_id is None or event.to_body is not None:
        return None
    return own.KeepDelegation(
        delegation_id=event.delegation_id,
        from_person_id=event.from_person_id,
        to_person_id=event.to_person_id,
        power=event.power.value,
        entity=event.entity,
        valid_from=event.valid_from,
        valid_until=event.valid_until,
    )


def revoke_delegation(event: DelegationRevoked, _envelope: Envelope) -> own.RevokeDelegation:
    return own.RevokeDelegation(delegation_id=event.delegation_id, revoked_at=event.revoked_at)


def _neutral_title(event: DecisionAdopted, confidentiality: Confidentiality) -> str:
    """A closed decision is filed without its title: records is not entitled to its content."""
    if confidentiality is Confidentiality.PUBLIC:
        return event.title
    kind = "BCSD-beslissing" if confidentiality is Confidentiality.SOCIAL else "Besloten beslissing"
    return f"{kind} {str(event.decision_id)[:8]}"


def file_decision(event: DecisionAdopted, envelope: Envelope) -> own.FileRecord:
    """Every adopted decision is archived in its body's series, no more public than its news."""
    confidentiality = max((event.confidentiality, envelope.confidentiality), key=_secrecy)
    if event.body is BodyKind.BCSD:
        confidentiality = Confidentiality.SOCIAL
    return own.FileRecord(
        source=f"decision:{event.decision_id}",
        series=decision_series(event.body).code,
        entity=event.entity,
        title=_neutral_title(event, confidentiality)[:500],
        dated=event.adopted_at.date(),
        confidentiality=confidentiality,
    )


def file_publication(event: DocumentPublished, _envelope: Envelope) -> own.FileRecord:
    """A published document (decision list, regulation, minutes) is archived as published."""
    return own.FileRecord(
        source=f"document:{event.document_id}",
        series=publication_series(event.kind).code,
        entity=event.entity,
        title=event.title[:500] or event.kind,
        dated=event.published_at.date(),
        confidentiality=Confidentiality.PUBLIC,
    )


T = TypeVar("T")


def _present(value: T | None) -> T:
    """A field the event's state always has (a sent letter's time); its absence is a bug."""
    if value is None:
        raise ValueError("a domain event lacks a field its state always has")
    return value


def _secrecy(c: Confidentiality) -> int:
    return {Confidentiality.PUBLIC: 0, Confidentiality.CLOSED: 1, Confidentiality.SOCIAL: 2}[c]


# -- published events ---------------------------------------------------------------------------


@functools.singledispatch
def outgoing(event: DomainEvent) -> Outgoing:
    """The contract a domain event is published as."""
    raise TypeError(f"records publishes no {type(event).__name__}")


@outgoing.register
def _(event: events.LetterRegistered) -> Outgoing:
    x = event.letter
    return Outgoing(
        published.LetterRegistered(
            letter_id=x.letter_id,
            entity=x.entity,
            sender=x.correspondent,
            subject=x.subject,
            received_on=x.dated,
            channel=published.Channel(x.channel or "letter"),
            unit_code=x.unit_code or "",
            due_on=x.due_on or x.dated,
        ),
        subject_id=str(x.letter_id),
        entity=Entity.of(x.entity),
        confidentiality=x.confidentiality,
    )


@outgoing.register
def _(event: events.LetterSigned) -> Outgoing:
    x, s = event.letter, event.signature
    return Outgoing(
        published.LetterSigned(
            letter_id=x.letter_id,
            entity=x.entity,
            person_id=s.person_id,
            capacity=published.SignatureCapacity(s.capacity),
            delegation_id=s.delegation_id,
        ),
        subject_id=str(x.letter_id),
        entity=Entity.of(x.entity),
        confidentiality=x.confidentiality,
    )


@outgoing.register
def _(event: events.LetterSent) -> Outgoing:
    x = event.letter
    return Outgoing(
        published.LetterSent(
            letter_id=x.letter_id,
            entity=x.entity,
            issuer=_present(x.issuer),
            sent_at=_present(x.sent_at),
            in_reply_to=x.in_reply_to,
        ),
        subject_id=str(x.letter_id),
        entity=Entity.of(x.entity),
        confidentiality=x.confidentiality,
    )


@outgoing.register
def _(event: events.LetterAnswered) -> Outgoing:
    x = event.letter
    return Outgoing(
        published.LetterAnswered(
            letter_id=x.letter_id,
            entity=x.entity,
            answer_id=_present(x.answered_by),
            answered_on=_present(x.answered_on),
            due_on=_present(x.due_on),
            on_time=_present(x.answered_on) <= _present(x.due_on),
        ),
        subject_id=str(x.letter_id),
        entity=Entity.of(x.entity),
        confidentiality=x.confidentiality,
    )


@outgoing.register
def _(event: events.LetterOverdue) -> Outgoing:
    x = event.letter
    return Outgoing(
        published.LetterOverdue(
            letter_id=x.letter_id, entity=x.entity, unit_code=x.unit_code or "", due_on=x.due_on or x.dated
        ),
        subject_id=str(x.letter_id),
        entity=Entity.of(x.entity),
        confidentiality=x.confidentiality,
    )


@outgoing.register
def _(event: events.ComplaintRegistered) -> Outgoing:
    x = event.complaint
    return Outgoing(
        published.ComplaintRegistered(
            complaint_id=x.complaint_id,
            entity=x.entity,
            service_concerned=x.service_concerned,
            received_on=x.received_on,
            due_on=x.due_on,
        ),
        subject_id=str(x.complaint_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.ComplaintAcknowledged) -> Outgoing:
    x = event.complaint
    return Outgoing(
        published.ComplaintAcknowledged(
            complaint_id=x.complaint_id,
            entity=x.entity,
            on=_present(x.acknowledged_on),
            on_time=_present(x.acknowledged_on) <= x.acknowledge_by,
        ),
        subject_id=str(x.complaint_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.ComplaintAnswered) -> Outgoing:
    x = event.complaint
    return Outgoing(
        published.ComplaintAnswered(
            complaint_id=x.complaint_id,
            entity=x.entity,
            outcome=published.ComplaintOutcome(_present(x.outcome)),
            answered_on=_present(x.answered_on),
            due_on=_present(x.due_on),
            on_time=_present(x.answered_on) <= _present(x.due_on),
        ),
        subject_id=str(x.complaint_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.ComplaintOverdue) -> Outgoing:
    x = event.complaint
    return Outgoing(
        published.ComplaintOverdue(
            complaint_id=x.complaint_id, entity=x.entity, due_on=x.due_on, escalated_to=event.escalated_to
        ),
        subject_id=str(x.complaint_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.AccessRequestRegistered) -> Outgoing:
    x = event.request
    return Outgoing(
        published.AccessRequestRegistered(
            request_id=x.request_id,
            entity=x.entity,
            channel=published.Channel(x.channel),
            registered_on=x.registered_on,
            due_on=x.due_on,
        ),
        subject_id=str(x.request_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.AccessRequestExtended) -> Outgoing:
    x = event.request
    return Outgoing(
        published.AccessRequestExtended(
            request_id=x.request_id, entity=x.entity, due_on=x.due_on, reason=x.extension_reason or ""
        ),
        subject_id=str(x.request_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.AccessRequestDecided) -> Outgoing:
    x = event.request
    return Outgoing(
        published.AccessRequestDecided(
            request_id=x.request_id,
            entity=x.entity,
            outcome=published.AccessOutcome(_present(x.outcome)),
            grounds=tuple(published.ExceptionGround(g) for g in x.grounds),
            redacted_passages=len(x.redactions),
            decided_on=_present(x.decided_on),
            on_time=event.on_time,
            appeal_body=event.appeal_body,
            appeal_until=_present(x.appeal_until),
        ),
        subject_id=str(x.request_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.AccessRequestOverdue) -> Outgoing:
    x = event.request
    return Outgoing(
        published.AccessRequestOverdue(request_id=x.request_id, entity=x.entity, due_on=x.due_on),
        subject_id=str(x.request_id),
        entity=Entity.of(x.entity),
    )


@outgoing.register
def _(event: events.ArchiveRecordFiled) -> Outgoing:
    x = event.record
    return Outgoing(
        published.ArchiveRecordFiled(
            record_id=x.record_id,
            series=x.series,
            entity=x.entity,
            dated=x.dated,
            keep_permanently=x.keep_permanently,
            destroy_from=x.destroy_from,
        ),
        subject_id=str(x.record_id),
        entity=Entity.of(x.entity),
        confidentiality=x.confidentiality,
    )


@outgoing.register
def _(event: events.ArchiveRecordsDestroyed) -> Outgoing:
    x = event.statement
    return Outgoing(
        published.ArchiveRecordsDestroyed(
            statement_id=x.statement_id,
            destroyed_on=x.destroyed_on,
            record_ids=x.record_ids,
            authorities=x.authorities,
            approved_by=x.approved_by,
            destroyed_by=x.destroyed_by,
        ),
        subject_id=str(x.statement_id),
        entity=Entity.BOTH,
    )
