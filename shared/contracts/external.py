"""Contracts of the `external` service: reporting to the supervisory authority, and the registry of
external entities with their representatives, management agreements and legal terms."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, LegalEntity, Money, Query, QueryReply
from shared.contracts.common import BodyKind, FollowUpAction
from shared.vocabulary import DeadlineKind, DeadlineOutcome, DeadlineStatus, Involvement, LegalForm, SilenceMeans

__all__ = [
    "CloseExternalDeadline",
    "DeadlineLine",
    "EntityLine",
    "ExternalDeadlineLapsed",
    "ExternalDeadlineMet",
    "ExternalDeadlineOpened",
    "ExternalEntityRegistered",
    "FileChurchDocument",
    "ListExternalDeadlines",
    "ListExternalDeadlinesReply",
    "ListExternalEntities",
    "ListExternalEntitiesReply",
    "ManagementAgreementRecorded",
    "RecordManagementAgreement",
    "RecordSupervisionAnswer",
    "RegisterExternalEntity",
    "RepresentationEnded",
    "RepresentativeDesignated",
    "RepresentativeLine",
    "ScanExternalDeadlines",
    "SupervisionReportQueued",
    "SupervisionReportStatusChanged",
    "SupervisionReportSubmitted",
    "VisumOverrulingReported",
]

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
SupervisionAnswer = Literal["acknowledged", "complaint_received", "annulled"]


class RecordSupervisionAnswer(Command):
    """What the supervisory authority answered to a sent report: it acknowledged it, a complaint about the
    decision reached it, or it annulled the decision."""

    NAME = "record_supervision_answer"
    SERVICE = "external"

    report_id: uuid.UUID
    status: SupervisionAnswer
    reference: Annotated[str, Field(min_length=1, max_length=200)]
    """The authority's reference (Loket dossier, letter, complaint number)."""


class SupervisionReportStatusChanged(Event):
    """A sent report was acknowledged, a complaint about its decision was received, or the decision was
    annulled (the annulment must be mentioned where the decision was published)."""

    SUBJECT = "external.supervision_report.status_changed"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    entity: LegalEntity
    status: SupervisionAnswer
    reference: str
    changed_at: dt.datetime


class SupervisionReportQueued(Event):
    """A reportable decision awaits publication; it goes to the supervisor the same day."""

    SUBJECT = "external.supervision_report.queued"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    decision_type: str | None = None
    """The besluittype concept it is filed under (the table of decision types); None in older messages."""
    full_text: bool = False
    """It goes with the decision's own full-text document, not as a line of the decision list."""


class SupervisionReportSubmitted(Event):
    """A reportable decision went to the supervisory authority with its published document."""

    SUBJECT = "external.supervision_report.submitted"

    report_id: uuid.UUID
    decision_id: uuid.UUID
    document_id: uuid.UUID
    document_kind: str
    document_hash: str
    """The hash in the publication register, so the supervisor can check what it received."""
    published_at: dt.datetime
    submitted_at: dt.datetime
    same_day: bool
    """Submitted on the day of publication, as the meldingsplicht requires."""


class VisumOverrulingReported(Event):
    """The college or vast bureau overruled a refused visum; the overruling went to the supervisory
    authority (Loket type "Besluit overruling visum") the moment finance recorded it."""

    SUBJECT = "external.visum_overruling.reported"

    report_id: uuid.UUID
    overruling_id: uuid.UUID
    decision_id: uuid.UUID
    """The overruling decision."""
    item_id: uuid.UUID
    """The agenda item, or the budget holder's intended commitment, whose visum was refused."""
    body: BodyKind
    entity: LegalEntity
    amount: Money
    refusal_reasons: tuple[str, ...]
    """The financial director's reasons, as the supervisor must weigh them."""
    overruled_at: dt.datetime
    reported_at: dt.datetime


# -- the registry of external entities ------------------------------------------------------------


class RegisterExternalEntity(Command):
    """Enter an external or autonomous entity in the registry (refused: `invalid_kbo`, `kbo_required`,
    `external_entity_exists`, ...)."""

    NAME = "register_entity"
    SERVICE = "external"

    code: Code
    """The registry's short key, which designation decisions name (e.g. `kf-sint-martinus`)."""
    name: Name
    legal_form: LegalForm
    kbo: str | None = None
    """`dddd.ddd.ddd` with valid check digits; none only for an association without legal personality."""
    involvements: frozenset[Involvement]
    municipal_entity: LegalEntity = LegalEntity.GEMEENTE


class RecordManagementAgreement(Command):
    """The council approved a management agreement (beheersovereenkomst) with an entity."""

    NAME = "record_management_agreement"
    SERVICE = "external"

    entity_code: Code
    title: Name
    decision_id: uuid.UUID
    """The council's approving decision."""
    valid_from: dt.date
    valid_until: dt.date | None = None
    report_due_dates: tuple[dt.date, ...] = Field(default=(), max_length=100)
    """The days by which the entity reports under the agreement; each is tracked as a deadline."""


class FileChurchDocument(Command):
    """A church council filed a multi-year plan, budget or accounts: the council's legal term starts."""

    NAME = "file_church_document"
    SERVICE = "external"

    entity_code: Code
    kind: DeadlineKind
    """`multi_year_plan`, `budget`, `budget_outside_plan` or `accounts`."""
    title: Name
    received_on: dt.date
    advised_on: dt.date | None = None
    """Multi-year plan: when the representative organ advised (its 50-day term otherwise)."""


class CloseExternalDeadline(Command):
    """The council decided within the term, or the entity's report came in."""

    NAME = "close_deadline"
    SERVICE = "external"

    deadline_id: uuid.UUID
    outcome: DeadlineOutcome
    on: dt.date | None = None
    """The day of the decision or receipt (today by the service's clock when not given)."""
    decision_id: uuid.UUID | None = None


class ScanExternalDeadlines(Command):
    """Let silence decide every term whose last day is before `as_of` (the periodic scan, on demand)."""

    NAME = "scan_deadlines"
    SERVICE = "external"

    as_of: dt.date


class RepresentativeLine(Contract):
    person_id: str
    person_name: str
    role: str
    decision_id: uuid.UUID
    term_start: dt.date
    term_end: dt.date | None
    ended_on: dt.date | None
    replaces_person_id: str | None
    sitting: bool
    """Represents the municipality on the day asked about."""


class EntityLine(Contract):
    entity_id: uuid.UUID
    code: str
    name: str
    legal_form: LegalForm
    kbo: str | None
    involvements: tuple[Involvement, ...]
    municipal_entity: LegalEntity
    representatives: tuple[RepresentativeLine, ...]


class ListExternalEntitiesReply(QueryReply):
    """The registry, by code, with every representative (sitting or not) on `as_of`."""

    as_of: dt.date
    entities: tuple[EntityLine, ...]


class ListExternalEntities(Query):
    """Query: the registered entities and their representatives."""

    NAME = "list_entities"
    SERVICE = "external"
    Reply = ListExternalEntitiesReply

    code: Code | None = None
    as_of: dt.date | None = None
    """The day whose sitting representatives are marked; today by the service's clock when not given."""


class DeadlineLine(Contract):
    deadline_id: uuid.UUID
    entity_code: str
    entity_name: str
    kind: DeadlineKind
    title: str
    opened_on: dt.date
    due_on: dt.date
    silence: SilenceMeans
    status: DeadlineStatus
    outcome: DeadlineOutcome | None
    closed_on: dt.date | None
    decision_id: uuid.UUID | None


class ListExternalDeadlinesReply(QueryReply):
    """Deadlines by last day, then title (at most 1000)."""

    deadlines: tuple[DeadlineLine, ...]


class ListExternalDeadlines(Query):
    """Query: the legal terms on external entities' documents and reports."""

    NAME = "list_deadlines"
    SERVICE = "external"
    Reply = ListExternalDeadlinesReply

    entity_code: Code | None = None
    status: DeadlineStatus | None = None


class ExternalEntityRegistered(Event):
    """An external entity entered the registry."""

    SUBJECT = "external.entity.registered"

    entity_id: uuid.UUID
    code: str
    name: str
    legal_form: LegalForm
    kbo: str | None
    involvements: tuple[Involvement, ...]
    municipal_entity: LegalEntity


class RepresentativeDesignated(Event):
    """A council's designation decision (secret ballot) made someone its representative in an entity."""

    SUBJECT = "external.representative.designated"

    representation_id: uuid.UUID
    entity_id: uuid.UUID
    entity_code: str
    person_id: str
    person_name: str
    role: str
    decision_id: uuid.UUID
    body: BodyKind
    term_start: dt.date
    term_end: dt.date | None
    replaces_person_id: str | None


class RepresentationEnded(Event):
    """A representative was replaced: the last day they represented the municipality."""

    SUBJECT = "external.representative.ended"

    representation_id: uuid.UUID
    entity_id: uuid.UUID
    entity_code: str
    person_id: str
    ended_on: dt.date
    replaced_by_person_id: str


class ManagementAgreementRecorded(Event):
    """The council approved a management agreement; its reports are tracked as deadlines."""

    SUBJECT = "external.management_agreement.recorded"

    agreement_id: uuid.UUID
    entity_id: uuid.UUID
    entity_code: str
    title: str
    decision_id: uuid.UUID
    valid_from: dt.date
    valid_until: dt.date | None
    report_due_dates: tuple[dt.date, ...]


class ExternalDeadlineOpened(Event):
    """A legal term started on an entity's document or report; `follow_up` is the task it gives."""

    SUBJECT = "external.deadline.opened"

    deadline_id: uuid.UUID
    entity_id: uuid.UUID
    entity_code: str
    kind: DeadlineKind
    title: str
    opened_on: dt.date
    due_on: dt.date
    silence: SilenceMeans
    """What the law makes of the term passing without a decision."""
    municipal_entity: LegalEntity
    follow_up: FollowUpAction


class ExternalDeadlineMet(Event):
    """The council decided within the term, or the report came in on time."""

    SUBJECT = "external.deadline.met"

    deadline_id: uuid.UUID
    entity_id: uuid.UUID
    entity_code: str
    kind: DeadlineKind
    outcome: DeadlineOutcome
    closed_on: dt.date
    decision_id: uuid.UUID | None


class ExternalDeadlineLapsed(Event):
    """A term passed without a decision: silence decided (`outcome`: a multi-year plan is
    `approved_by_silence`); `follow_up` is the task it gives."""

    SUBJECT = "external.deadline.lapsed"

    deadline_id: uuid.UUID
    entity_id: uuid.UUID
    entity_code: str
    kind: DeadlineKind
    title: str
    due_on: dt.date
    lapsed_on: dt.date
    """The first day after the term: the day silence decided."""
    silence: SilenceMeans
    outcome: DeadlineOutcome
    municipal_entity: LegalEntity
    follow_up: FollowUpAction
