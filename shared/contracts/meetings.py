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
    "DecideAgendaItem",
    "DecisionAdopted",
    "DecisionKind",
    "DecisionRejected",
    "ProposeAgendaItem",
    "VoteTally",
]

Title = Annotated[str, Field(min_length=3, max_length=300)]


class DecisionKind(StrEnum):
    """What an agenda item decides; drives downstream effects (HR, finance, reporting)."""

    DECISION = "decision"
    REGULATION = "regulation"
    APPOINTMENT = "appointment"
    BUDGET_CHANGE = "budget_change"


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
