"""Contracts of the `hr` service: employments, discipline, delegations, union consultation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, Query, QueryReply
from shared.vocabulary import BodyKind, BudgetHolderScope, DelegationPower, LegalEntity, Money

__all__ = [
    "AdvanceDisciplinaryCase",
    "AppointmentRefused",
    "BudgetHolderScope",
    "CheckDelegation",
    "CheckDelegationReply",
    "ConcludeConsultation",
    "ConcludeEvaluation",
    "ConsultationConcluded",
    "ConsultationOpened",
    "DecisionFlagged",
    "DelegationGranted",
    "DelegationLine",
    "DelegationPower",
    "DelegationRevoked",
    "DisciplineImposed",
    "DisciplineRefused",
    "EmploymentLine",
    "GrantDelegation",
    "ImposeSanction",
    "ListStaff",
    "ListStaffReply",
    "OpenConsultation",
    "OpenDisciplinaryCase",
    "OpenEvaluation",
    "RecordHearing",
    "RevokeDelegation",
    "StaffAppointed",
    "StaffDismissed",
    "StaffLine",
]

PersonId = Annotated[str, Field(min_length=1, max_length=64)]


class DelegationGranted(Event):
    """A power is delegated, from a body or a person, to a person, for a time."""

    SUBJECT = "hr.delegation.granted"

    delegation_id: uuid.UUID
    from_body: BodyKind | None
    from_person_id: str | None
    """Exactly one of `from_body` and `from_person_id` is set."""
    to_person_id: str
    power: DelegationPower
    entity: LegalEntity
    budget_scope: BudgetHolderScope | None = None
    """Set for `budget_holder` delegations."""
    valid_from: dt.date
    valid_until: dt.date | None
    decision_id: uuid.UUID | None = None
    """The decision that granted it, when a body delegated."""
    parent_delegation_id: uuid.UUID | None = None
    """For subdelegation: the delegation the grantor holds."""
    to_body: BodyKind | None = None
    """Set when a council delegates to its executive body; `to_person_id` then holds the body code."""
    scope: dict[str, str] = Field(default_factory=dict)
    """Other limits, e.g. `{"subject": "procurement"}` or `{"grade": "B1"}` for hiring and discipline."""


class DelegationRevoked(Event):
    """A delegation ends before its term; uses after `revoked_at` are refused."""

    SUBJECT = "hr.delegation.revoked"

    delegation_id: uuid.UUID
    to_person_id: str
    power: DelegationPower
    revoked_at: dt.datetime
    reason: str


class StaffAppointed(Event):
    """A person is employed by an entity, from a decision of the competent body."""

    SUBJECT = "hr.staff.appointed"

    employment_id: uuid.UUID
    person_id: str
    person_name: str
    entity: LegalEntity
    position: str
    unit_code: str | None
    grade: str
    statutory: bool
    start_date: dt.date
    decision_id: uuid.UUID


class StaffDismissed(Event):
    """One employment ends, from a decision of the competent authority; the person's others run on."""

    SUBJECT = "hr.staff.dismissed"

    employment_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    end_date: dt.date
    """The employment's last day."""
    decision_id: uuid.UUID
    remains_employed: bool = False
    """Another employment of the person runs on without end: the person stays in service."""
    in_service_until: dt.date | None = None
    """Otherwise the person's last day in service (the latest end of their employments); `end_date` when
    unset (messages from before hr said so)."""
    cause: str = "dismissal"
    """`dismissal`, or the disciplinary sanction that ended the employment (`ontslag`, `afzetting`)."""


class DisciplineImposed(Event):
    """A disciplinary sanction was imposed by its competent authority, after the hearing, with reasons."""

    SUBJECT = "hr.discipline.imposed"

    case_id: uuid.UUID
    decision_id: uuid.UUID
    """The body's decision in meetings, or the algemeen directeur's own decision."""
    person_id: str
    entity: LegalEntity
    """The employer."""
    employment_id: uuid.UUID
    """The employment concerned; a sanction that ends employment ends this one only."""
    sanction: str
    authority: str
    """The body's code (`college`, `vast_bureau`, `gemeenteraad`, ...), or `algemeen_directeur`."""
    decided_on: dt.date
    takes_effect_on: dt.date
    ends_employment: bool


class DisciplineRefused(Event):
    """A body's disciplinary decision was not applied (not heard, not competent, not reasoned, ...)."""

    SUBJECT = "hr.discipline.refused"

    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    case_id: uuid.UUID | None
    person_id: str | None
    reason: str
    """A rejection code, e.g. `not_heard`, `authority_not_competent`, `not_reasoned`, `sanction_repealed`."""
    message: str


class ConsultationOpened(Event):
    """A union consultation (BOC) file for a change of staff rules; the invitation date is set."""

    SUBJECT = "hr.consultation.opened"

    consultation_id: uuid.UUID
    subject: str
    entity: LegalEntity
    invitation_sent_on: dt.date
    meeting_on: dt.date


class ConsultationConcluded(Event):
    """The BOC met and the protocol is recorded: the staff-rules decision can now be tabled."""

    SUBJECT = "hr.consultation.concluded"

    consultation_id: uuid.UUID
    entity: LegalEntity
    protocol_reference: str
    concluded_on: dt.date


class AppointmentRefused(Event):
    """An adopted appointment or dismissal was not applied (wrong body, missing details, ...)."""

    SUBJECT = "hr.appointment.refused"

    decision_id: uuid.UUID
    kind: str
    """`appointment` or `dismissal`."""
    body: BodyKind
    entity: LegalEntity
    person_id: str | None
    position: str | None
    reason: str
    """A rejection code, e.g. `body_not_competent`, `not_secret_ballot`, `no_employment`."""
    message: str


class DecisionFlagged(Event):
    """An adopted decision hr cannot carry out as decided (a refused delegation, staff rules without BOC)."""

    SUBJECT = "hr.decision.flagged"

    decision_id: uuid.UUID
    kind: str
    body: BodyKind
    entity: LegalEntity
    reason: str
    message: str


class GrantDelegation(Command):
    """The algemeen directeur (the signed actor; or a delegate subdelegating) passes a power on.

    Version 2: the grantor is no longer `from_person_id` in the body. A body delegates only by a
    decision taken in session (a `delegation` item in meetings): with `from_body` this command is
    refused (`delegation_by_decision`).
    """

    NAME = "grant_delegation"
    SERVICE = "hr"
    VERSION = 2

    from_body: BodyKind | None = None
    """Refused when set: a body delegates in session. Otherwise the grantor is the signed actor."""
    to_person_id: PersonId
    """A person id, or the body code (`college`, `vast_bureau`) when a council delegates to it."""
    power: DelegationPower
    entity: LegalEntity
    budget_scope: BudgetHolderScope | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    valid_from: dt.date
    valid_until: dt.date | None = None
    parent_delegation_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None


class RevokeDelegation(Command):
    """End a delegation now (and every subdelegation that rests on it)."""

    NAME = "revoke_delegation"
    SERVICE = "hr"

    delegation_id: uuid.UUID
    reason: Annotated[str, Field(max_length=500)]
    revoked_at: dt.datetime | None = None
    """Defaults to now."""


class CheckDelegationReply(QueryReply):
    """Whether a valid delegation covers the use, and which one, or the most telling reason why not."""

    valid: bool
    delegation_id: uuid.UUID | None
    """The delegation that covers the use, when `valid`."""
    reason: str
    """`ok`, or why not: `no_delegation`, `not_yet_valid`, `expired`, `revoked`, `parent_invalid`,
    `outside_scope`, `amount_exceeds_scope`."""


class CheckDelegation(Query):
    """Query: a valid delegation of `power` to `person_id` in `entity` on `on`, or the reason why not."""

    NAME = "check_delegation"
    SERVICE = "hr"
    Reply = CheckDelegationReply

    person_id: PersonId
    power: DelegationPower
    entity: LegalEntity
    amount: Money | None = None
    on: dt.date
    policy_field: str | None = None
    economic_account: str | None = None
    action: str | None = None


class DelegationLine(Contract):
    """A delegation as a staff list shows it, with its state on the list's date."""

    delegation_id: uuid.UUID
    from_body: BodyKind | None
    from_person_id: str | None
    """Exactly one of `from_body` and `from_person_id` is set."""
    to_person_id: str
    """A person id, or the body code when a council delegated to its executive body (`to_body`)."""
    to_body: BodyKind | None
    power: DelegationPower
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None
    state: str
    """`valid`, `not_yet_valid`, `expired` or `revoked` on the list's date."""
    budget_scope: BudgetHolderScope | None
    scope: dict[str, str]
    parent_delegation_id: uuid.UUID | None


class EmploymentLine(Contract):
    """One employment of a staff member."""

    employment_id: uuid.UUID
    entity: LegalEntity
    """The employer."""
    position: str
    unit_code: str | None
    grade: str
    statutory: bool
    start_date: dt.date
    end_date: dt.date | None
    works_for: tuple[LegalEntity, ...]
    """The entities the person serves (beheersovereenkomst)."""


class StaffLine(Contract):
    """A staff member with their employments, the delegations they hold and those they granted."""

    person_id: str
    name: str
    role: str
    grade: str
    entity: LegalEntity
    statute: str
    """`statutory` or `contractual`."""
    employments: tuple[EmploymentLine, ...]
    delegations: tuple[DelegationLine, ...]
    """Held by the person."""
    granted: tuple[DelegationLine, ...]
    """Granted by the person (subdelegations)."""


class ListStaffReply(QueryReply):
    """Staff (by name) and the delegations to bodies, with delegation states on `on`."""

    staff: tuple[StaffLine, ...]
    body_delegations: tuple[DelegationLine, ...]
    """Delegations a council gave its executive body."""
    on: dt.date


class ListStaff(Query):
    """Query: staff with their employments and delegations."""

    NAME = "list_staff"
    SERVICE = "hr"
    Reply = ListStaffReply

    entity: LegalEntity | None = None
    person_id: str | None = None
    on: dt.date | None = None
    """Delegations valid on this date (default today); `None` lists employments regardless of date."""


class OpenConsultation(Command):
    """Open a union consultation (BOC) file; the invitation must leave 10 working days before the meeting."""

    NAME = "open_consultation"
    SERVICE = "hr"

    topic: Annotated[str, Field(min_length=3, max_length=300)]
    entity: LegalEntity
    invitation_sent_on: dt.date
    meeting_on: dt.date


class ConcludeConsultation(Command):
    """Record the BOC protocol of a consultation."""

    NAME = "conclude_consultation"
    SERVICE = "hr"

    consultation_id: uuid.UUID
    protocol_reference: Annotated[str, Field(max_length=200)]
    concluded_on: dt.date


class OpenEvaluation(Command):
    """Start the evaluation of a staff member for a period."""

    NAME = "open_evaluation"
    SERVICE = "hr"

    person_id: PersonId
    entity: LegalEntity
    evaluator_person_id: PersonId
    period: Annotated[str, Field(min_length=4, max_length=32)]
    """E.g. `2026`."""


class ConcludeEvaluation(Command):
    """Record the result of an evaluation (`positive`, `to_improve` or `negative`)."""

    NAME = "conclude_evaluation"
    SERVICE = "hr"

    evaluation_id: uuid.UUID
    result: str
    note: str = ""


class OpenDisciplinaryCase(Command):
    """Open a disciplinary case against a statutory staff member."""

    NAME = "open_disciplinary_case"
    SERVICE = "hr"
    VERSION = 2

    person_id: PersonId
    entity: LegalEntity
    facts: Annotated[str, Field(min_length=3, max_length=4000)]


class AdvanceDisciplinaryCase(Command):
    """Move a disciplinary case on: to `investigation`, or `closed_without_sanction`.

    The hearing is `record_hearing`; a sanction comes only from a decision of the competent
    authority (a `discipline` decision of a body, or `impose_sanction` by the algemeen directeur).
    """

    NAME = "advance_disciplinary_case"
    SERVICE = "hr"

    case_id: uuid.UUID
    to_state: str
    sanction: str | None = None
    """Refused when set (`sanction_by_decision`)."""
    note: str = ""


class RecordHearing(Command):
    """The staff member was heard in the case on `heard_on`; `defence` is what they said or wrote."""

    NAME = "record_hearing"
    SERVICE = "hr"

    case_id: uuid.UUID
    heard_on: dt.date
    defence: Annotated[str, Field(max_length=4000)]


class ImposeSanction(Command):
    """The algemeen directeur imposes a sanction the staff regulations let them impose, with reasons.

    The same rules as a body's decision: the staff member was heard first, the sanction is within the
    algemeen directeur's competence for that employment, the reasons are stated.
    """

    NAME = "impose_sanction"
    SERVICE = "hr"
    VERSION = 2

    case_id: uuid.UUID
    sanction: Annotated[str, Field(min_length=1, max_length=64)]
    reasons: Annotated[str, Field(max_length=4000)]
    takes_effect_on: dt.date | None = None
    """Today when unset; never before today."""
