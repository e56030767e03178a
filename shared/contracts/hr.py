"""Contracts of the `hr` service: staff appointments, delegations, union consultation."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from shared.contracts.base import Contract, Event, LegalEntity, Money
from shared.contracts.common import BodyKind

__all__ = [
    "BudgetHolderScope",
    "ConsultationConcluded",
    "ConsultationOpened",
    "DelegationGranted",
    "DelegationPower",
    "DelegationRevoked",
    "StaffAppointed",
    "StaffDismissed",
]


class DelegationPower(StrEnum):
    DECIDE = "decide"
    SIGN = "sign"
    BUDGET_HOLDER = "budget_holder"
    """Budgethouderschap: commit credits within the scope."""
    DAILY_STAFF_MANAGEMENT = "daily_staff_management"
    HIRING = "hiring"
    DISCIPLINE = "discipline"


class BudgetHolderScope(Contract):
    """Which credits a budget holder may commit: empty fields mean any within the entity."""

    entity: LegalEntity
    policy_field: str | None = None
    economic_account: str | None = None
    action: str | None = None
    max_amount: Money | None = None
    """Per commitment, in euro."""


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
    """An employment ends, from a decision of the competent body."""

    SUBJECT = "hr.staff.dismissed"

    employment_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    end_date: dt.date
    decision_id: uuid.UUID


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
