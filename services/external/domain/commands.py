"""What external is asked to do, in its own terms (the translation maps contracts to these)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    DeadlineKind,
    DeadlineOutcome,
    DecisionKind,
    Involvement,
    LegalEntity,
    LegalForm,
)

__all__ = [
    "CloseDeadline",
    "DesignateRepresentative",
    "FileChurchDocument",
    "QueueSupervisionReport",
    "RecordManagementAgreement",
    "RecordSupervisionAnswer",
    "RegisterEntity",
    "ReportOverruling",
    "ScanDeadlines",
    "SubmitWithPublication",
]


@dataclass(frozen=True)
class QueueSupervisionReport:
    """A body adopted a decision: queue it for the supervisory authority if it is reportable."""

    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    confidentiality: Confidentiality
    """As the decision was taken: a closed-session decision is reported, but stays closed downstream."""
    kind: DecisionKind = DecisionKind.DECISION
    """What the decision decides: with the body, it finds the decision type in the table of types."""
    meeting_id: uuid.UUID | None = None
    """The meeting whose decision list will publish it (None for a decision taken outside one)."""


@dataclass(frozen=True)
class SubmitWithPublication:
    """A reportable document was published: the reports waiting for it go out the same day."""

    document_id: uuid.UUID
    document_kind: str
    """`decision_list` (every waiting report of its meeting) or `regulation` (its own decision)."""
    document_hash: str
    """The hash in the publication register, so the supervisor can check what it received."""
    meeting_id: uuid.UUID
    decision_id: uuid.UUID | None
    published_at: dt.datetime


@dataclass(frozen=True)
class ReportOverruling:
    """The college or vast bureau overruled the financial director's refused visum: report it."""

    overruling_id: uuid.UUID
    decision_id: uuid.UUID
    """The overruling decision of the college or vast bureau."""
    item_id: uuid.UUID
    """The agenda item, or the budget holder's intended commitment, whose visum was refused."""
    body: BodyKind
    entity: LegalEntity
    amount: Decimal
    refusal_reasons: tuple[str, ...]
    overruled_at: dt.datetime
    confidentiality: Confidentiality


# -- the registry of external entities and their deadlines ----------------------------------------


@dataclass(frozen=True)
class RegisterEntity:
    """Enter an external or autonomous entity in the registry."""

    code: str
    name: str
    legal_form: LegalForm
    kbo: str | None
    involvements: frozenset[Involvement]
    municipal_entity: LegalEntity


@dataclass(frozen=True)
class DesignateRepresentative:
    """A council adopted a designation decision naming an entity of the registry and the elected person."""

    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    """The decision's legal entity (the gemeente for the gemeenteraad, the OCMW for the RMW)."""
    entity_code: str
    person_id: str
    person_name: str
    role: str
    term_start: dt.date
    term_end: dt.date | None
    replaces_person_id: str | None
    confidentiality: Confidentiality


@dataclass(frozen=True)
class RecordManagementAgreement:
    """The council approved a management agreement: record it and the reports it asks for."""

    entity_code: str
    title: str
    decision_id: uuid.UUID
    valid_from: dt.date
    valid_until: dt.date | None
    report_due_dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class FileChurchDocument:
    """A church council filed its multi-year plan, a budget or its accounts: the council's term starts."""

    entity_code: str
    kind: DeadlineKind
    title: str
    received_on: dt.date
    advised_on: dt.date | None = None
    """For a multi-year plan: the day the representative organ advised (None: its term runs out)."""


@dataclass(frozen=True)
class CloseDeadline:
    """The council decided on a document within its term, or a report came in."""

    deadline_id: uuid.UUID
    outcome: DeadlineOutcome
    on: dt.date | None
    """The day of the decision or receipt; today when not given."""
    decision_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ScanDeadlines:
    """Let silence decide every term whose last day is before `as_of`."""

    as_of: dt.date


@dataclass(frozen=True)
class RecordSupervisionAnswer:
    """The supervisory authority acknowledged a sent report, received a complaint, or annulled the decision."""

    report_id: uuid.UUID
    status: str
    """`acknowledged`, `complaint_received` or `annulled`."""
    reference: str
