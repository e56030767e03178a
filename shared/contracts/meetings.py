"""Contracts of the `meetings` service: agenda items and decisions.

A decision exists only as the outcome of a vote in a session of its body (`sessions.VoteOnItem`),
or as a decision the burgemeester takes alone and signs (`DecideAsMayor`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, ClassVar

from pydantic import Field

from shared.contracts.base import Command, Contract, Event, Query, QueryReply
from shared.vocabulary import (
    AdviceVerdict,
    AppointmentDetails,
    BodyKind,
    Candidate,
    Confidentiality,
    DecisionKind,
    DecisionRelation,
    DelegationDetails,
    DesignationDetails,
    DisciplineDetails,
    DistrictId,
    ElectionBallots,
    FinancialImpact,
    FollowUpAction,
    ItemFile,
    LegalEntity,
    LegalityAdvice,
    RelationKind,
    VoteChoice,
    VoteTally,
)

__all__ = [
    "AdviceVerdict",
    "AgendaItemChecked",
    "AgendaItemProposed",
    "AppointmentDetails",
    "Candidate",
    "DecideAsMayor",
    "DecisionAdopted",
    "DecisionKind",
    "DecisionRejected",
    "DecisionRelation",
    "DelegationDetails",
    "DisciplineDetails",
    "ElectionBallots",
    "GetManagementTeamReport",
    "GetManagementTeamReportReply",
    "GiveLegalityAdvice",
    "ItemFile",
    "LegalityAdvice",
    "ManagementTeamMeetingLine",
    "ProposeAgendaItem",
    "RelationKind",
    "VoteChoice",
    "VoteTally",
]

Title = Annotated[str, Field(min_length=3, max_length=300)]
District = DistrictId


class ProposeAgendaItem(Command):
    """Put an item before a body, with its financial impact and follow-up actions."""

    NAME = "propose_agenda_item"
    SERVICE = "meetings"
    VERSION: ClassVar[int] = 2  # v2: the proposer is the signed actor, no longer `proposed_by` in the body

    body: BodyKind
    entity: LegalEntity
    title: Title
    kind: DecisionKind = DecisionKind.DECISION
    confidentiality: Confidentiality | None = None
    """Unset: social at the BCSD, closed for decisions about persons (DLB art. 28), public otherwise."""
    legal_basis: Annotated[str, Field(min_length=3, max_length=500)]
    motivation: str = ""
    financial_impact: FinancialImpact | None = None
    follow_up_actions: tuple[FollowUpAction, ...] = ()
    appointment: AppointmentDetails | None = None
    """Required for `appointment`, `dismissal` and `discipline` items."""
    delegation: DelegationDetails | None = None
    """Required for `delegation` items."""
    budget_change_id: uuid.UUID | None = None
    """Required for `budget_change`, `budget_approval` and `carry_over` items: the plan, plan change or
    carry-over staged in finance."""
    consultation_id: uuid.UUID | None = None
    """Required for `staff_rules` items: the union consultation file in hr."""
    overrules_item_id: uuid.UUID | None = None
    """Required for `visum_overruling` items: the item whose visum was refused."""
    candidates: tuple[Candidate, ...] = ()
    """Required for `election` and `designation` items: the persons who stand."""
    files: tuple[ItemFile, ...] = ()
    """The item's file, available to the members of the body from the convocation on."""
    discipline: DisciplineDetails | None = None
    """Required for `discipline` items: the case in hr and the sanction; the motivation gives the reasons."""
    organogram_version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    """Required for `organogram` items: the draft version in organisation the council adopts."""
    designation: DesignationDetails | None = None
    """For a council's `designation` item that designates a representative in an external entity: the
    entity (its code in external's registry), the seat and the term; the elected candidate sits there."""
    district: District | None = None
    """The district the item concerns (always for a districtsraad or districtscollege; optional for a
    municipal item): its decision reaches that district's feed, redacted."""
    relations: tuple[DecisionRelation, ...] = Field(default=(), max_length=20)
    """The earlier adopted decisions of the same entity this one replaces, amends or repeals."""
    text: str = Field(default="", max_length=200_000)
    """The operative part (beschikkend gedeelte): a regulation's articles; an amendment states the text as
    amended, so the text in force on any day can be answered (`get_text_in_force`)."""


class DecideAsMayor(Command):
    """The burgemeester takes a burgemeestersbesluit or politieverordening alone and signs it (no vote)."""

    NAME = "decide_as_mayor"
    SERVICE = "meetings"
    VERSION: ClassVar[int] = 2  # v2: the burgemeester is the signed actor, no longer `mayor_id` in the body

    item_id: uuid.UUID


class GiveLegalityAdvice(Command):
    """The algemeen directeur advises on the legality of a proposed item before it is tabled.

    Which kinds of item need the advice before they can be tabled is the municipality's choice
    (`RW_MEETINGS_LEGALITY_ADVICE_KINDS`); advice may be given on any item. A later advice replaces an
    earlier one, until the item is on an agenda.
    """

    NAME = "give_legality_advice"
    SERVICE = "meetings"

    item_id: uuid.UUID
    verdict: AdviceVerdict
    reasoning: Annotated[str, Field(min_length=1, max_length=5000)]


class AgendaItemProposed(Event):
    """An item was proposed; `finance` checks the credit when it has a financial impact, and a staged
    plan, plan change or carry-over (`budget_change_id`) when the item puts one before a body."""

    SUBJECT = "meetings.agenda_item.proposed"

    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    kind: DecisionKind
    confidentiality: Confidentiality
    financial_impact: FinancialImpact | None
    proposed_at: dt.datetime
    budget_change_id: uuid.UUID | None = None
    """For `budget_change`, `budget_approval` and `carry_over` items: what finance staged."""


class AgendaItemChecked(Event):
    """Meetings recorded finance's budget check or the financial director's visum on an item.

    A signal for the proposer, who asks `sessions.GetItemReadiness` whether the item can now go on
    an agenda, instead of trying the convocation until it stops being refused.
    """

    SUBJECT = "meetings.agenda_item.checked"

    item_id: uuid.UUID
    budget_check: str
    """`passed`, `failed`, `pending` or `not_required`."""
    visum: str
    """`not_required`, `pending`, `granted`, `refused` or `overruled`."""


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
    elected: Candidate | None = None
    """For an election or designation: the candidate elected (never for a BCSD decision)."""
    signed_by: str | None = None
    """For a decision of the burgemeester (no vote, `votes` all zero): the burgemeester who signed."""
    reportable: bool | None = None
    """Reported to the supervisory authority, as the table of decision types says (decisions on a council's,
    RMW's or district council's list; regulations, police ordinances, the RPR, delegation regulations, plan
    changes, visum overrulings); None in messages from before meetings said so."""
    discipline: DisciplineDetails | None = None
    """For a disciplinary decision: the case in hr and the sanction imposed (the reasons are `motivation`)."""
    organogram_version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    """For an organogram decision: the draft version in organisation the council adopted."""
    designation: DesignationDetails | None = None
    """For a designation of a representative in an external entity: where, and for which term."""
    district: District | None = None
    """The district the decision concerns (its own council's or college's, or a municipal decision tagged
    with it); None in messages from before meetings said so."""
    decision_type: str | None = None
    """The official besluittype concept (https://data.vlaanderen.be/id/concept/BesluitType/...), from the
    table of decision types; None in messages from before meetings said so."""
    relations: tuple[DecisionRelation, ...] = ()
    """The earlier decisions this one replaces, amends or repeals."""
    legality_advice: LegalityAdvice | None = None
    """The algemeen directeur's legality advice on the item, where one was given (an unfavourable advice
    travels with the decision); None in messages from before meetings said so."""


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


class ManagementTeamMeetingLine(Contract):
    """One meeting of the management team in the year."""

    meeting_id: uuid.UUID
    held_on: dt.date
    status: str
    """`closed`, or `lapsed` when too few members came."""
    present: int
    items: int
    adopted: int


class GetManagementTeamReportReply(QueryReply):
    """The management team's activity in one year, for the councils' agenda."""

    year: int
    meetings_held: int
    meetings_lapsed: int
    items_treated: int
    adopted: int
    rejected: int
    postponed: int
    adopted_by_entity: dict[str, int]
    """Decisions adopted for the gemeente and for the OCMW (one team for both)."""
    follow_up_actions: int
    """Follow-up actions of the adopted decisions: each became a task in organisation."""
    meetings: tuple[ManagementTeamMeetingLine, ...]


class GetManagementTeamReport(Query):
    """Query: the management team's activity in `year` (its closed and lapsed meetings)."""

    NAME = "get_management_team_report"
    SERVICE = "meetings"
    Reply = GetManagementTeamReportReply

    year: int = Field(ge=2000, le=2100)
