"""Contracts of the `records` service: the correspondence register, complaints, access to
documents (openbaarheid van bestuur) and the archive.

Events about complaints and access requests name no person: the complainant and the applicant
stay in records. Letters travel marked with the confidentiality they were registered with.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared.contracts.base import Command, Confidentiality, Contract, Event, LegalEntity, Query, QueryReply
from shared.vocabulary import BodyKind, PersonRef

__all__ = [
    "AccessForm",
    "AccessOutcome",
    "AccessRequestDecided",
    "AccessRequestExtended",
    "AccessRequestLine",
    "AccessRequestOverdue",
    "AccessRequestRegistered",
    "AcknowledgeComplaint",
    "AnswerComplaint",
    "ApproveDestruction",
    "ArchiveRecordFiled",
    "ArchiveRecordLine",
    "ArchiveRecordsDestroyed",
    "AssignComplaint",
    "Channel",
    "ComplaintAcknowledged",
    "ComplaintAnswered",
    "ComplaintLine",
    "ComplaintOutcome",
    "ComplaintOverdue",
    "ComplaintRegistered",
    "ComplaintsReportLine",
    "DecideAccessRequest",
    "DestroyRecords",
    "DestructionStatementLine",
    "DraftLetter",
    "ExceptionGround",
    "ExtendAccessRequest",
    "FileArchiveRecord",
    "GetComplaintsReport",
    "GetComplaintsReportReply",
    "LetterAnswered",
    "LetterLine",
    "LetterOverdue",
    "LetterRegistered",
    "LetterSent",
    "LetterSigned",
    "ListAccessRequests",
    "ListAccessRequestsReply",
    "ListArchiveRecords",
    "ListArchiveRecordsReply",
    "ListComplaints",
    "ListComplaintsReply",
    "ListDestructionStatements",
    "ListDestructionStatementsReply",
    "ListLetters",
    "ListLettersReply",
    "RecordCommitteePermission",
    "Redaction",
    "RegisterAccessRequest",
    "RegisterComplaint",
    "RegisterLetter",
    "ScanRecordDeadlines",
    "SendLetter",
    "SignLetter",
    "SignatureCapacity",
]

Text = Annotated[str, Field(min_length=1, max_length=500)]
LongText = Annotated[str, Field(min_length=1, max_length=4000)]
UnitCode = Annotated[str, Field(min_length=1, max_length=64)]
SeriesCode = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]


class Channel(StrEnum):
    """How something reached the administration (Bestuursdecreet II.40 §1 for access requests)."""

    LETTER = "letter"
    MAIL = "mail"
    WEB_FORM = "web_form"
    COUNTER = "counter"


class SignatureCapacity(StrEnum):
    """Which of a letter's two signatures (DLB art. 279): the body's signatory, or the AD's co-signature."""

    SIGNATORY = "signatory"
    CO_SIGNATORY = "co_signatory"


class ComplaintOutcome(StrEnum):
    """How a complaint was judged."""

    FOUNDED = "founded"
    PARTLY_FOUNDED = "partly_founded"
    UNFOUNDED = "unfounded"
    INADMISSIBLE = "inadmissible"


class AccessForm(StrEnum):
    """What the applicant asks for (II.40 §1): to inspect, a copy, or an explanation."""

    INSPECTION = "inzage"
    COPY = "afschrift"
    EXPLANATION = "uitleg"


class AccessOutcome(StrEnum):
    """The decision on an access request."""

    GRANTED = "granted"
    PARTIAL = "partial"
    """Access to the document with the excepted passages redacted."""
    REFUSED = "refused"


class ExceptionGround(StrEnum):
    """The closed list of grounds for refusing access (Bestuursdecreet art. II.33–II.39)."""

    MANIFESTLY_UNREASONABLE = "manifestly_unreasonable"
    """II.33: a manifestly unreasonable request."""
    TOO_GENERAL = "too_general"
    """II.33: a request formulated too vaguely or too generally."""
    UNFINISHED = "unfinished"
    """II.33: an unfinished document or one under preparation."""
    PRIVACY = "privacy"
    """II.34/II.35: the protection of private life (persoonlijke levenssfeer)."""
    SECRECY_DUTY = "secrecy_duty"
    """II.34: a duty of secrecy imposed by law or decree."""
    CLOSED_SESSION = "closed_session"
    """II.34: the secrecy of a closed (besloten) session's deliberations and documents."""
    SOCIAL_WELFARE = "social_welfare"
    """II.34: individual social-welfare files (BCSD), covered by the OCMW's professional secrecy."""
    BUSINESS_CONFIDENTIAL = "business_confidential"
    """II.35: commercial or industrial information given in confidence."""
    PUBLIC_ORDER = "public_order"
    """II.35: public order and safety."""
    LEGAL_PROCEEDINGS = "legal_proceedings"
    """II.35: the course of legal proceedings or an investigation."""


class Redaction(Contract):
    """A passage withheld from a partially released document, with its ground."""

    passage: Text
    ground: ExceptionGround


# -- commands: correspondence ---------------------------------------------------------------------


class RegisterLetter(Command):
    """Register an incoming letter or mail; the unit named gets a follow-up task with the term."""

    NAME = "register_letter"
    SERVICE = "records"

    entity: LegalEntity
    sender: Text
    about: Text
    """What it is about (its subject line)."""
    received_on: dt.date
    channel: Channel = Channel.LETTER
    unit_code: UnitCode
    """The organogram unit that handles it; its head (or delegate) owns the task."""
    answer_days: int | None = Field(default=None, ge=1, le=365)
    """Days to answer; default the policy's term (`RW_RECORDS_LETTER_ANSWER_DAYS`)."""
    confidentiality: Confidentiality = Confidentiality.CLOSED
    """A citizen's letter holds personal data: closed unless registered otherwise."""


class DraftLetter(Command):
    """Draft an outgoing letter on behalf of a body; it is sent only once both signatures are on it."""

    NAME = "draft_letter"
    SERVICE = "records"

    entity: LegalEntity
    issuer: BodyKind
    """gemeenteraad, college, raad_maatschappelijk_welzijn or vast_bureau."""
    addressee: Text
    about: Text
    """What it is about (its subject line)."""
    in_reply_to: uuid.UUID | None = None
    """The incoming letter this answers."""
    confidentiality: Confidentiality = Confidentiality.CLOSED


class SignLetter(Command):
    """Sign a drafted letter as its signatory or as co-signatory, in one's own name or by delegation."""

    NAME = "sign_letter"
    SERVICE = "records"

    letter_id: uuid.UUID
    person_id: PersonRef
    capacity: SignatureCapacity


class SendLetter(Command):
    """Send a letter whose signatures are complete."""

    NAME = "send_letter"
    SERVICE = "records"

    letter_id: uuid.UUID


# -- commands: complaints -------------------------------------------------------------------------


class RegisterComplaint(Command):
    """Register a complaint under the council's complaints reglement (DLB art. 302)."""

    NAME = "register_complaint"
    SERVICE = "records"

    entity: LegalEntity
    complainant: Text
    about: Text
    """What it is about (its subject line)."""
    service_concerned: UnitCode
    received_on: dt.date
    channel: Channel = Channel.MAIL


class AcknowledgeComplaint(Command):
    """Confirm receipt of a complaint to the complainant."""

    NAME = "acknowledge_complaint"
    SERVICE = "records"

    complaint_id: uuid.UUID


class AssignComplaint(Command):
    """Give a complaint to a handler outside the service concerned (the reglement's independence)."""

    NAME = "assign_complaint"
    SERVICE = "records"

    complaint_id: uuid.UUID
    handler_person_id: PersonRef
    handler_unit: UnitCode


class AnswerComplaint(Command):
    """The handler answers the complaint with its outcome."""

    NAME = "answer_complaint"
    SERVICE = "records"

    complaint_id: uuid.UUID
    person_id: PersonRef
    outcome: ComplaintOutcome
    answer: LongText


# -- commands: access to documents ----------------------------------------------------------------


class RegisterAccessRequest(Command):
    """Register a request for access to documents (Bestuursdecreet II.40)."""

    NAME = "register_access_request"
    SERVICE = "records"

    entity: LegalEntity
    applicant: Text
    address: Text
    document: Text
    """The document as the applicant describes it."""
    record_id: uuid.UUID | None = None
    """The archive record it is, when identified."""
    form: AccessForm = AccessForm.COPY
    channel: Channel = Channel.MAIL


class ExtendAccessRequest(Command):
    """Extend the decision term from 20 to 40 days, with the reason (II.43 §3)."""

    NAME = "extend_access_request"
    SERVICE = "records"

    request_id: uuid.UUID
    person_id: PersonRef
    reason: Text


class DecideAccessRequest(Command):
    """Decide an access request: granted, partial (with redactions) or refused, on the closed list of grounds."""

    NAME = "decide_access_request"
    SERVICE = "records"

    request_id: uuid.UUID
    person_id: PersonRef
    """The algemeen directeur or a delegate (II.29)."""
    outcome: AccessOutcome
    grounds: tuple[ExceptionGround, ...] = Field(default=(), max_length=10)
    redactions: tuple[Redaction, ...] = Field(default=(), max_length=100)


# -- commands: archive ----------------------------------------------------------------------------


class FileArchiveRecord(Command):
    """File a record in a series of the selection list (what records does not file by itself)."""

    NAME = "file_archive_record"
    SERVICE = "records"

    series: SeriesCode
    entity: LegalEntity
    title: Text
    dated: dt.date
    confidentiality: Confidentiality = Confidentiality.PUBLIC


class RecordCommitteePermission(Command):
    """Record the selectiecommissie's permission to destroy a record no published rule covers."""

    NAME = "record_committee_permission"
    SERVICE = "records"

    record_id: uuid.UUID
    reference: Text
    granted_on: dt.date


class ApproveDestruction(Command):
    """The algemeen directeur's internal approval to destroy records (a policy)."""

    NAME = "approve_destruction"
    SERVICE = "records"

    record_ids: tuple[uuid.UUID, ...] = Field(min_length=1, max_length=500)
    person_id: PersonRef


class DestroyRecords(Command):
    """Destroy records past their retention, each under its rule or permission; a dated statement is kept."""

    NAME = "destroy_records"
    SERVICE = "records"

    record_ids: tuple[uuid.UUID, ...] = Field(min_length=1, max_length=500)
    person_id: PersonRef


class ScanRecordDeadlines(Command):
    """Mark letters, complaints and access requests past their term as overdue (also done periodically)."""

    NAME = "scan_record_deadlines"
    SERVICE = "records"

    as_of: dt.date


# -- events ---------------------------------------------------------------------------------------


class LetterRegistered(Event):
    """An incoming letter was registered; the unit that handles it answers by `due_on`."""

    SUBJECT = "records.letter.registered"

    letter_id: uuid.UUID
    entity: LegalEntity
    sender: str
    subject: str
    received_on: dt.date
    channel: Channel
    unit_code: str
    due_on: dt.date


class LetterSigned(Event):
    """A drafted letter got one of its signatures."""

    SUBJECT = "records.letter.signed"

    letter_id: uuid.UUID
    entity: LegalEntity
    person_id: str
    capacity: SignatureCapacity
    delegation_id: uuid.UUID | None
    """Set when signed by delegation."""


class LetterSent(Event):
    """An outgoing letter with complete signatures was sent."""

    SUBJECT = "records.letter.sent"

    letter_id: uuid.UUID
    entity: LegalEntity
    issuer: BodyKind
    sent_at: dt.datetime
    in_reply_to: uuid.UUID | None


class LetterAnswered(Event):
    """An incoming letter was answered by a letter sent."""

    SUBJECT = "records.letter.answered"

    letter_id: uuid.UUID
    entity: LegalEntity
    answer_id: uuid.UUID
    answered_on: dt.date
    due_on: dt.date
    on_time: bool


class LetterOverdue(Event):
    """An incoming letter is unanswered past its term."""

    SUBJECT = "records.letter.overdue"

    letter_id: uuid.UUID
    entity: LegalEntity
    unit_code: str
    due_on: dt.date


class ComplaintRegistered(Event):
    """A complaint was registered (the complainant stays in records)."""

    SUBJECT = "records.complaint.registered"

    complaint_id: uuid.UUID
    entity: LegalEntity
    service_concerned: str
    received_on: dt.date
    due_on: dt.date


class ComplaintAcknowledged(Event):
    """The complainant was told the complaint was received."""

    SUBJECT = "records.complaint.acknowledged"

    complaint_id: uuid.UUID
    entity: LegalEntity
    on: dt.date
    on_time: bool


class ComplaintAnswered(Event):
    """The handler answered the complaint, on time or not."""

    SUBJECT = "records.complaint.answered"

    complaint_id: uuid.UUID
    entity: LegalEntity
    outcome: ComplaintOutcome
    answered_on: dt.date
    due_on: dt.date
    on_time: bool


class ComplaintOverdue(Event):
    """A complaint is unanswered past the reglement's term, or was answered late: escalated."""

    SUBJECT = "records.complaint.overdue"

    complaint_id: uuid.UUID
    entity: LegalEntity
    due_on: dt.date
    escalated_to: str
    """Whom the reglement escalates to (the algemeen directeur by default)."""


class AccessRequestRegistered(Event):
    """A request for access to documents was registered; the decision is due by `due_on`."""

    SUBJECT = "records.access_request.registered"

    request_id: uuid.UUID
    entity: LegalEntity
    channel: Channel
    registered_on: dt.date
    due_on: dt.date


class AccessRequestExtended(Event):
    """The decision term of an access request was extended to 40 days, with its reason."""

    SUBJECT = "records.access_request.extended"

    request_id: uuid.UUID
    entity: LegalEntity
    due_on: dt.date
    reason: str


class AccessRequestDecided(Event):
    """The decision, as the applicant is told it: with the appeal route and its term."""

    SUBJECT = "records.access_request.decided"

    request_id: uuid.UUID
    entity: LegalEntity
    outcome: AccessOutcome
    grounds: tuple[ExceptionGround, ...]
    redacted_passages: int
    decided_on: dt.date
    on_time: bool
    appeal_body: str
    appeal_until: dt.date


class AccessRequestOverdue(Event):
    """An access request is undecided past its term."""

    SUBJECT = "records.access_request.overdue"

    request_id: uuid.UUID
    entity: LegalEntity
    due_on: dt.date


class ArchiveRecordFiled(Event):
    """A record entered the archive in a series of the selection list, with its retention."""

    SUBJECT = "records.archive_record.filed"

    record_id: uuid.UUID
    series: str
    entity: LegalEntity
    dated: dt.date
    keep_permanently: bool
    destroy_from: dt.date | None


class ArchiveRecordsDestroyed(Event):
    """Records were destroyed; the dated destruction statement is kept in records."""

    SUBJECT = "records.archive.destroyed"

    statement_id: uuid.UUID
    destroyed_on: dt.date
    record_ids: tuple[uuid.UUID, ...]
    authorities: tuple[str, ...]
    """Per record: the selection rule (`rule:<series>@<published>`) or the committee's permission."""
    approved_by: str | None
    destroyed_by: str


# -- queries --------------------------------------------------------------------------------------


class LetterLine(Contract):
    """One letter of the register."""

    letter_id: uuid.UUID
    direction: str
    """`incoming` or `outgoing`."""
    entity: LegalEntity
    correspondent: str
    subject: str
    dated: dt.date
    status: str
    due_on: dt.date | None
    unit_code: str | None
    issuer: BodyKind | None
    signatures: tuple[str, ...]
    """`capacity:person` (with `via:<delegation>` when by delegation)."""


class ListLettersReply(QueryReply):
    """The correspondence register."""

    letters: tuple[LetterLine, ...]


class ListLetters(Query):
    """The correspondence register, newest first."""

    NAME = "list_letters"
    SERVICE = "records"
    Reply = ListLettersReply

    year: int | None = Field(default=None, ge=1900, le=2999)


class ComplaintLine(Contract):
    """One complaint of the register."""

    complaint_id: uuid.UUID
    entity: LegalEntity
    service_concerned: str
    received_on: dt.date
    due_on: dt.date
    status: str
    handler_person_id: str | None
    outcome: ComplaintOutcome | None
    answered_on: dt.date | None
    escalated: bool


class ListComplaintsReply(QueryReply):
    """The complaints register."""

    complaints: tuple[ComplaintLine, ...]


class ListComplaints(Query):
    """The complaints register, newest first."""

    NAME = "list_complaints"
    SERVICE = "records"
    Reply = ListComplaintsReply

    year: int | None = Field(default=None, ge=1900, le=2999)


class ComplaintsReportLine(Contract):
    """The figures of one entity (or `total`)."""

    scope: str
    received: int
    answered: int
    answered_on_time: int
    answered_late: int
    still_open: int
    escalated: int
    founded: int
    partly_founded: int
    unfounded: int
    inadmissible: int
    average_days_to_answer: float | None


class GetComplaintsReportReply(QueryReply):
    """The algemeen directeur's yearly report to the council on the complaints of one year."""

    year: int
    term_days: int
    lines: tuple[ComplaintsReportLine, ...]
    by_service: dict[str, int]


class GetComplaintsReport(Query):
    """The complaints received in a year, as the director reports them to the council (DLB art. 303 §3)."""

    NAME = "get_complaints_report"
    SERVICE = "records"
    Reply = GetComplaintsReportReply

    year: int = Field(ge=1900, le=2999)


class AccessRequestLine(Contract):
    """One access request, with its decision."""

    request_id: uuid.UUID
    entity: LegalEntity
    document: str
    record_id: uuid.UUID | None
    form: AccessForm
    channel: Channel
    registered_on: dt.date
    due_on: dt.date
    extended: bool
    status: str
    outcome: AccessOutcome | None
    grounds: tuple[ExceptionGround, ...]
    redactions: tuple[Redaction, ...]
    appeal_until: dt.date | None


class ListAccessRequestsReply(QueryReply):
    """The register of access requests."""

    requests: tuple[AccessRequestLine, ...]


class ListAccessRequests(Query):
    """The register of access requests, newest first."""

    NAME = "list_access_requests"
    SERVICE = "records"
    Reply = ListAccessRequestsReply

    year: int | None = Field(default=None, ge=1900, le=2999)


class ArchiveRecordLine(Contract):
    """One archive record."""

    record_id: uuid.UUID
    series: str
    series_name: str
    entity: LegalEntity
    title: str
    dated: dt.date
    confidentiality: Confidentiality
    keep_permanently: bool
    destroy_from: dt.date | None
    source: str
    status: str
    """`kept` or `destroyed`."""
    approved_by: str | None
    permission: str | None


class ListArchiveRecordsReply(QueryReply):
    """Archive records with their retention, and the source of the rules."""

    records: tuple[ArchiveRecordLine, ...]
    selection_list: str
    """The source of the retention rules."""


class ListArchiveRecords(Query):
    """The archive, by series; `destroyable_on` lists only records past their retention on that day."""

    NAME = "list_archive_records"
    SERVICE = "records"
    Reply = ListArchiveRecordsReply

    series: SeriesCode | None = None
    destroyable_on: dt.date | None = None
    include_destroyed: bool = False


class DestructionStatementLine(Contract):
    """One dated destruction statement."""

    statement_id: uuid.UUID
    destroyed_on: dt.date
    destroyed_by: str
    approved_by: str | None
    records: tuple[str, ...]
    """Per record: `<record id> <series> <title> under <authority>`."""


class ListDestructionStatementsReply(QueryReply):
    """The destruction statements."""

    statements: tuple[DestructionStatementLine, ...]


class ListDestructionStatements(Query):
    """The dated destruction statements, newest first."""

    NAME = "list_destruction_statements"
    SERVICE = "records"
    Reply = ListDestructionStatementsReply
