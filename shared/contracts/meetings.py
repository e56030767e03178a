"""Contracts of the `meetings` service: agenda items and decisions."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared.contracts.base import Command, Confidentiality, Contract, Event, LegalEntity
from shared.contracts.common import BodyKind, FinancialImpact, FollowUpAction

__all__ = [
    "AgendaItemProposed",
    "AppointmentDetails",
    "DecideAgendaItem",
    "DecisionAdopted",
    "DecisionKind",
    "DecisionRejected",
    "DelegationDetails",
    "ProposeAgendaItem",
    "VoteChoice",
    "VoteTally",
]

Title = Annotated[str, Field(min_length=3, max_length=300)]


class DecisionKind(StrEnum):
    """What an agenda item decides; drives downstream effects (HR, finance, reporting)."""

    DECISION = "decision"
    REGULATION = "regulation"
    APPOINTMENT = "appointment"
    """Appointment of a person (secret ballot); `appointment` says who, where and from when."""
    DISMISSAL = "dismissal"
    """Dismissal of a person (secret ballot); `appointment` names the person and the employment."""
    BUDGET_CHANGE = "budget_change"
    """Adoption of a budget change (aanpassing) prepared in finance; `budget_change_id` names it."""
    STAFF_RULES = "staff_rules"
    """A change of the staff rules (RPR); needs a concluded union consultation (`consultation_id`)."""
    VISUM_OVERRULING = "visum_overruling"
    """College or vast bureau commits despite a refused visum; `overrules_item_id` names the item."""
    DELEGATION = "delegation"
    """A delegation of powers by the deciding body; `delegation` describes it."""
    ORGANOGRAM = "organogram"
    """Adoption of a new version of the organogram by the council."""


class AppointmentDetails(Contract):
    """Who is appointed (or dismissed), in which entity and unit, from when."""

    person_id: Annotated[str, Field(min_length=1, max_length=64)]
    person_name: Annotated[str, Field(min_length=1, max_length=200)]
    entity: LegalEntity
    """The employer: gemeente or OCMW."""
    position: Annotated[str, Field(min_length=1, max_length=200)]
    """`staff`, `algemeen_directeur`, `financieel_directeur`, `ombudsman`, or a job title."""
    unit_code: str | None = None
    grade: Annotated[str, Field(min_length=1, max_length=16)]
    """Salary scale, e.g. `B1`, `A1a`."""
    statutory: bool
    """Statutory (vastbenoemd) or contractual."""
    start_date: dt.date


class DelegationDetails(Contract):
    """A delegation decided by a body: to whom, which power, in which scope, for how long."""

    delegate_person_id: Annotated[str, Field(min_length=1, max_length=64)]
    power: Annotated[str, Field(min_length=1, max_length=64)]
    """`decide`, `sign`, `budget_holder`, `daily_staff_management` (see `hr` contracts)."""
    scope: dict[str, str] = Field(default_factory=dict)
    """E.g. `{"entity": "gemeente", "policy_field": "0200", "max_amount": "50000.00"}`."""
    valid_from: dt.date
    valid_until: dt.date | None = None


class VoteChoice(StrEnum):
    """One member's choice in an open vote."""

    IN_FAVOUR = "in_favour"
    AGAINST = "against"
    ABSTAIN = "abstain"


class VoteTally(Contract):
    """Counted votes; abstentions and blank votes are not votes cast."""

    in_favour: int = Field(ge=0)
    against: int = Field(ge=0)
    abstentions: int = Field(ge=0)


class ProposeAgendaItem(Command):
    """Put an item before a body, with its financial impact and follow-up actions."""

    NAME = "propose_agenda_item"
    SERVICE = "meetings"

    body: BodyKind
    entity: LegalEntity
    title: Title
    kind: DecisionKind = DecisionKind.DECISION
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    legal_basis: Annotated[str, Field(min_length=3, max_length=500)]
    motivation: str = ""
    financial_impact: FinancialImpact | None = None
    follow_up_actions: tuple[FollowUpAction, ...] = ()
    proposed_by: str
    """Person id of the proposer."""
    appointment: AppointmentDetails | None = None
    """Required for `appointment` and `dismissal` items."""
    delegation: DelegationDetails | None = None
    """Required for `delegation` items."""
    budget_change_id: uuid.UUID | None = None
    """Required for `budget_change` items: the budget change prepared in finance."""
    consultation_id: uuid.UUID | None = None
    """Required for `staff_rules` items: the union consultation file in hr."""
    overrules_item_id: uuid.UUID | None = None
    """Required for `visum_overruling` items: the item whose visum was refused."""


class DecideAgendaItem(Command):
    """Record the vote on an item; adopted when more votes in favour than against."""

    NAME = "decide_agenda_item"
    SERVICE = "meetings"

    item_id: uuid.UUID
    votes: VoteTally


class AgendaItemProposed(Event):
    """An item was proposed; `finance` checks the credit when it has a financial impact."""

    SUBJECT = "meetings.agenda_item.proposed"

    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    kind: DecisionKind
    confidentiality: Confidentiality
    financial_impact: FinancialImpact | None
    proposed_at: dt.datetime


class DecisionAdopted(Event):
    """A body adopted a decision: everything downstream services need to carry it out."""

    SUBJECT = "meetings.decision.adopted"

    decision_id: uuid.UUID
    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    kind: DecisionKind
    title: str
    motivation: str
    legal_basis: str
    confidentiality: Confidentiality
    votes: VoteTally
    adopted_at: dt.datetime
    effective_date: dt.date
    financial_impact: FinancialImpact | None
    follow_up_actions: tuple[FollowUpAction, ...]
    meeting_id: uuid.UUID | None = None
    secret_ballot: bool = False
    """Secret votes (decisions about persons) carry no per-member record anywhere."""
    appointment: AppointmentDetails | None = None
    delegation: DelegationDetails | None = None
    budget_change_id: uuid.UUID | None = None
    consultation_id: uuid.UUID | None = None
    overrules_item_id: uuid.UUID | None = None
    """For a visum overruling: the agenda item whose refused visum is overruled."""


class DecisionRejected(Event):
    """A body voted an item down (a tie rejects)."""

    SUBJECT = "meetings.decision.rejected"

    decision_id: uuid.UUID
    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    confidentiality: Confidentiality
    votes: VoteTally
    rejected_at: dt.datetime
