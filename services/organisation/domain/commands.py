"""What organisation is asked to do, in its own terms (the translation maps contracts to these)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from services.organisation.domain.model import Unit
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    DecisionKind,
    FollowUpAction,
    LegalEntity,
    MandateRole,
    MandateStatus,
)

__all__ = [
    "AddControlMeasure",
    "AnswerAuditFinding",
    "ApplyOrganogram",
    "CancelTask",
    "ChangeMandateStatus",
    "ClaimTask",
    "CommentTask",
    "CompleteTask",
    "ConcludeAfsprakennota",
    "DraftOrganogram",
    "EndMandate",
    "FollowUpDecision",
    "FollowUpExhaustedCredit",
    "FollowUpExternalDeadline",
    "FollowUpLetter",
    "PlanImprovementAction",
    "ReassignTask",
    "RecordAuditReport",
    "RecordControlReview",
    "RecordDelegate",
    "RecordIncident",
    "RecordStaffAppointed",
    "RecordStaffDismissed",
    "RegisterRisk",
    "RevokeDelegate",
    "ScanOverdue",
    "SetUpInternalControl",
    "StartMandate",
]


# -- tasks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimTask:
    """The owner starts working on a task."""

    task_id: uuid.UUID
    person_id: str


@dataclass(frozen=True)
class CompleteTask:
    """The owner (or whoever claimed it) marks a task done."""

    task_id: uuid.UUID
    person_id: str


@dataclass(frozen=True)
class ReassignTask:
    """Another person owns the task."""

    task_id: uuid.UUID
    to_person_id: str
    by_person_id: str
    reason: str = ""


@dataclass(frozen=True)
class CommentTask:
    """A remark kept with the task."""

    task_id: uuid.UUID
    person_id: str
    text: str


@dataclass(frozen=True)
class CancelTask:
    """The task will not be done."""

    task_id: uuid.UUID
    by_person_id: str
    reason: str


@dataclass(frozen=True)
class ScanOverdue:
    """Mark tasks past their deadline on `as_of` overdue and escalate them."""

    as_of: dt.date


# -- mandates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartMandate:
    """A seat in a body; a council or college seat also starts its parallel OCMW seat when `parallel`."""

    person_id: str
    person_name: str
    body: BodyKind
    role: MandateRole
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None
    parallel: bool


@dataclass(frozen=True)
class EndMandate:
    """The mandate (and its linked seat) ends on `end`."""

    mandate_id: uuid.UUID
    end: dt.date
    reason: str = ""


@dataclass(frozen=True)
class ChangeMandateStatus:
    """Effective, acting or prevented from `since`."""

    mandate_id: uuid.UUID
    status: MandateStatus
    since: dt.date


# -- organogram ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftOrganogram:
    """A draft organogram, beside any others, awaiting adoption by the council."""

    units: tuple[Unit, ...]


@dataclass(frozen=True)
class ApplyOrganogram:
    """An organogram version valid from `valid_from`: the given units, else the draft `version` (or the only one)."""

    valid_from: dt.date
    units: tuple[Unit, ...] | None = None
    version: int | None = None


# -- what other services tell organisation -------------------------------------------------------


@dataclass(frozen=True)
class FollowUpDecision:
    """An adopted decision: a task per follow-up action; an organogram decision also applies the draft."""

    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    kind: DecisionKind
    actions: tuple[FollowUpAction, ...]
    decided_at: dt.datetime
    effective_date: dt.date
    confidentiality: Confidentiality
    organogram_version: int | None = None
    """For an organogram decision: the draft adopted (None in decisions from before meetings named it)."""
    district: str | None = None
    """The district the decision concerns: its tasks are assigned to it."""


@dataclass(frozen=True)
class FollowUpPublication:
    """A meeting's decision list or minutes is still unpublished two days before its term runs out."""

    meeting_id: uuid.UUID
    document_kind: str
    entity: LegalEntity
    action: FollowUpAction
    """Publish by the last day of the term; organisation gives it to the secretariat's unit."""


@dataclass(frozen=True)
class FollowUpExhaustedCredit:
    """A decision no longer fits its credit: the financial service must resolve it."""

    decision_id: uuid.UUID
    entity: LegalEntity
    credit_key: str
    amount: Decimal
    available: Decimal
    confidentiality: Confidentiality
    """As finance announced it: the task is never more public than the news."""


@dataclass(frozen=True)
class FollowUpLetter:
    """A letter registered in records: the unit that handles it answers it by its term."""

    letter_id: uuid.UUID
    entity: LegalEntity
    sender: str
    subject: str
    unit_code: str
    received_on: dt.date
    due_on: dt.date
    confidentiality: Confidentiality
    """As records announced it: a citizen's letter is closed by default."""


@dataclass(frozen=True)
class FollowUpExternalDeadline:
    """A legal term on an external entity's document started, or passed and silence decided: a task."""

    deadline_id: uuid.UUID
    """Keys the tasks as a decision id does: one task per action however often the news arrives."""
    entity: LegalEntity
    action: FollowUpAction
    at: dt.datetime
    """When external announced it: the owner is found in the organogram of that day."""
    confidentiality: Confidentiality


@dataclass(frozen=True)
class RecordDelegate:
    """A person-to-person delegation from hr: the delegate may own the grantor's tasks."""

    delegation_id: uuid.UUID
    from_person_id: str
    to_person_id: str
    power: str
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None


@dataclass(frozen=True)
class RevokeDelegate:
    """A delegation ends on `on`: its delegate gets no new tasks from then."""

    delegation_id: uuid.UUID
    on: dt.date


@dataclass(frozen=True)
class RecordStaffAppointed:
    """A colleague appointed in hr can own tasks."""

    person_id: str
    name: str


@dataclass(frozen=True)
class RecordStaffDismissed:
    """An employment of a colleague ended in hr: out of service after the last one ends."""

    person_id: str
    end_date: dt.date
    remains_employed: bool = False
    """Another employment runs on without end: still in service."""
    in_service_until: dt.date | None = None
    """Otherwise the last day in service; `end_date` when None."""

    @property
    def inactive_from(self) -> dt.date | None:
        """The first day out of service, or None while an employment runs on."""
        if self.remains_employed:
            return None
        return (self.in_service_until or self.end_date) + dt.timedelta(days=1)


# -- internal control ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SetUpInternalControl:
    """The algemeen directeur sets up the system within the councils' framework."""

    framework_decision_ids: tuple[uuid.UUID, ...]
    consulted_decision_id: uuid.UUID | None
    # proven actor: replaced by the signed actor
    actor_person_id: str


@dataclass(frozen=True)
class RegisterRisk:
    """A risk of one process in one unit."""

    entity: LegalEntity
    process: str
    unit_code: str
    title: str
    likelihood: int
    impact: int
    owner_person_id: str


@dataclass(frozen=True)
class AddControlMeasure:
    """A control measure with its owner and review rhythm."""

    risk_id: uuid.UUID
    description: str
    owner_person_id: str
    first_review: dt.date
    review_every_days: int


@dataclass(frozen=True)
class RecordControlReview:
    """A measure was reviewed (effective or not)."""

    risk_id: uuid.UUID
    measure_id: uuid.UUID
    effective: bool
    note: str
    # proven actor: replaced by the signed actor
    actor_person_id: str


@dataclass(frozen=True)
class RecordIncident:
    """Something happened that a risk foresaw."""

    risk_id: uuid.UUID
    occurred_on: dt.date
    description: str
    # proven actor: replaced by the signed actor
    actor_person_id: str


@dataclass(frozen=True)
class PlanImprovementAction:
    """An improvement action on a risk, as a follow-up task."""

    risk_id: uuid.UUID
    action: FollowUpAction


@dataclass(frozen=True)
class RecordAuditReport:
    """An Audit Vlaanderen report and its findings (text, the risk it concerns)."""

    entity: LegalEntity
    title: str
    received_on: dt.date
    available_to_council_on: dt.date | None
    findings: tuple[tuple[str, uuid.UUID | None], ...]


@dataclass(frozen=True)
class AnswerAuditFinding:
    """The improvement action that answers a finding."""

    report_id: uuid.UUID
    finding_id: uuid.UUID
    action: FollowUpAction


@dataclass(frozen=True)
class ConcludeAfsprakennota:
    """The afsprakennota, its objectives as tracked actions."""

    legislature: str
    concluded_on: dt.date
    parties: tuple[str, ...]
    cooperation: str
    conduct: str
    delegated_powers: str
    objectives: tuple[tuple[FollowUpAction, str], ...]
    """Each objective as its follow-up action and its text."""
    # proven actor: replaced by the signed actor
    actor_person_id: str
