"""The record of a decision as meetings keeps it: what was decided, by whom, with which votes."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.meetings.domain.model import AgendaItem
from services.meetings.domain.votes import Choice, ElectionRound, VoteResult
from shared.lblod.decision_types import DecisionType, decision_type_table
from shared.vocabulary import (
    BodyKind,
    Candidate,
    Confidentiality,
    DecisionKind,
    DecisionRelation,
    FinancialImpact,
    FollowUpAction,
    LegalEntity,
    LegalityAdvice,
    VoteTally,
)

__all__ = [
    "REPORTING_BODIES",
    "DecisionOutcome",
    "DecisionRecord",
    "decision_type",
    "effective_date",
    "needs_full_text",
    "outgoing_impact",
    "outgoing_title",
    "reportable",
]

#: Bodies whose decision lists must be reported to the supervisory authority (DOMAIN §4), as the table
#: of decision and document types says (`shared/lblod/decision_types.yaml`).
REPORTING_BODIES = decision_type_table().document("besluitenlijst").reported_for


def decision_type(kind: DecisionKind, body: BodyKind) -> DecisionType:
    """The official besluittype of a decision of `kind` taken by `body` (the table of types)."""
    return decision_type_table().type_of(kind, body)


def reportable(body: BodyKind, kind: DecisionKind) -> bool:
    """Reported to the supervisory authority, as the table of types says: every decision on a reported
    decision list (council, RMW, district council), and a reportable type of any body (regulations,
    police ordinances, the RPR, delegation regulations, plan changes, visum overrulings); never the
    BCSD's (reference §2.5)."""
    if body in {BodyKind.BCSD, BodyKind.MANAGEMENTTEAM}:
        return False
    table = decision_type_table()
    return table.decision_list_reported(body) or table.type_of(kind, body).reported_for(body)


def needs_full_text(kind: DecisionKind, body: BodyKind) -> bool:
    """Whether the decision's full text is published as a document of its own and goes with its report."""
    return body not in {BodyKind.BCSD, BodyKind.MANAGEMENTTEAM} and decision_type(kind, body).full_text


class DecisionOutcome(StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    """Voted down (a tie rejects). Not called REJECTED: that name is kept for refused commands."""


class DecisionRecord(BaseModel):
    """One decision; `by_member` is empty for a secret ballot (and may be for a unanimous vote)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decision_id: uuid.UUID
    item_id: uuid.UUID
    meeting_id: uuid.UUID | None
    body: BodyKind
    entity: LegalEntity
    kind: DecisionKind
    title: str
    motivation: str
    legal_basis: str
    confidentiality: Confidentiality
    outcome: DecisionOutcome
    tally: VoteTally
    secret: bool
    by_member: dict[str, Choice] = Field(default_factory=dict)
    decided_at: dt.datetime
    effective_date: dt.date | None = None
    """Known once published for regulations (5th day after publication); the decision date otherwise."""
    financial_impact: FinancialImpact | None = None
    follow_up_actions: tuple[FollowUpAction, ...] = ()
    amendments: tuple[str, ...] = ()
    """Adopted amendments, in order."""
    published_on: dt.date | None = None
    executed_at: dt.datetime | None = None
    election: tuple[ElectionRound, ...] = ()
    """The rounds of an election, the last one deciding."""
    elected: Candidate | None = None
    signed_by: str | None = None
    """The burgemeester who decided alone and signed (no vote)."""
    relations: tuple[DecisionRelation, ...] = ()
    """The earlier decisions this one replaces, amends or repeals."""
    text: str = ""
    """The operative part (for a regulation: its articles, as in force from this decision's entry into force)."""
    legality_advice: LegalityAdvice | None = None
    """The algemeen directeur's legality advice on the item, which travels with the decision."""

    @property
    def decision_type(self) -> DecisionType:
        """The official besluittype (the table of types)."""
        return decision_type(self.kind, self.body)

    @property
    def reportable(self) -> bool:
        """Whether the decision reaches the supervisory authority (with its list, or as a regulation)."""
        return reportable(self.body, self.kind)

    @classmethod
    def of(
        cls,
        item: AgendaItem,
        result: VoteResult,
        *,
        decision_id: uuid.UUID,
        meeting_id: uuid.UUID | None,
        decided_at: dt.datetime,
        effective_days: int,
        amendments: tuple[str, ...] = (),
    ) -> DecisionRecord:
        """The record of a vote; `effective_days` is the policy's term for regulations after publication."""
        return cls._record(
            item,
            result.tally,
            result.adopted,
            result.secret,
            dict(result.by_member),
            decision_id=decision_id,
            meeting_id=meeting_id,
            decided_at=decided_at,
            effective_days=effective_days,
            amendments=amendments,
        )

    @classmethod
    def of_election(
        cls,
        item: AgendaItem,
        rounds: tuple[ElectionRound, ...],
        *,
        decision_id: uuid.UUID,
        meeting_id: uuid.UUID,
        decided_at: dt.datetime,
        effective_days: int,
    ) -> DecisionRecord:
        """The record of an election: adopted when its last round elected a candidate."""
        last = rounds[-1]
        elected = next((c for c in item.links.candidates if c.person_id == last.elected), None)
        record = cls._record(
            item,
            last.tally(),
            elected is not None,
            True,
            {},
            decision_id=decision_id,
            meeting_id=meeting_id,
            decided_at=decided_at,
            effective_days=effective_days,
        )
        return record.model_copy(update={"election": rounds, "elected": elected})

    @classmethod
    def by_mayor(
        cls, item: AgendaItem, *, mayor: str, decision_id: uuid.UUID, decided_at: dt.datetime, effective_days: int
    ) -> DecisionRecord:
        """A burgemeestersbesluit or politieverordening: no vote, the burgemeester's signature."""
        record = cls._record(
            item,
            VoteTally(in_favour=0, against=0, abstentions=0),
            True,
            False,
            {},
            decision_id=decision_id,
            meeting_id=None,
            decided_at=decided_at,
            effective_days=effective_days,
        )
        return record.model_copy(update={"signed_by": mayor})

    @classmethod
    def _record(
        cls,
        item: AgendaItem,
        tally: VoteTally,
        adopted: bool,
        secret: bool,
        by_member: dict[str, Choice],
        *,
        decision_id: uuid.UUID,
        meeting_id: uuid.UUID | None,
        decided_at: dt.datetime,
        effective_days: int,
        amendments: tuple[str, ...] = (),
    ) -> DecisionRecord:
        return cls(
            decision_id=decision_id,
            item_id=item.item_id,
            meeting_id=meeting_id,
            body=item.body,
            entity=item.entity,
            kind=item.kind,
            title=item.title,
            motivation=item.motivation,
            legal_basis=item.legal_basis,
            confidentiality=item.confidentiality,
            outcome=DecisionOutcome.ADOPTED if adopted else DecisionOutcome.REJECTED,
            tally=tally,
            secret=secret,
            by_member=by_member,
            decided_at=decided_at,
            effective_date=(
                effective_date(item.kind, decided_at.date(), published_on=None, days=effective_days)
                if adopted
                else None
            ),
            financial_impact=item.financial_impact,
            follow_up_actions=item.follow_up_actions,
            amendments=amendments,
            relations=item.links.relations,
            text=item.links.text,
            legality_advice=item.legality_advice,
        )

    @property
    def publishable(self) -> bool:
        """Closed-session and social-welfare decisions are never published."""
        return self.confidentiality is Confidentiality.PUBLIC


def effective_date(kind: DecisionKind, decided_on: dt.date, *, published_on: dt.date | None, days: int) -> dt.date:
    """Regulations enter into force on the `days`th day after publication (the decree: 5th); others when taken.

    Before publication a regulation's date is the earliest possible one (decision date + `days`).
    """
    if kind is DecisionKind.REGULATION:
        return (published_on or decided_on) + dt.timedelta(days=days)
    return decided_on


def outgoing_title(item_id: uuid.UUID, title: str, confidentiality: Confidentiality) -> str:
    """The title events may carry: a social-welfare (BCSD) item leaves meetings with a neutral one."""
    if confidentiality is Confidentiality.SOCIAL:
        return f"BCSD-beslissing {str(item_id)[:8]}"
    return title


def outgoing_impact(impact: FinancialImpact | None, confidentiality: Confidentiality) -> FinancialImpact | None:
    """The financial impact events may carry: never the beneficiary of a social-welfare decision."""
    if impact is not None and confidentiality is Confidentiality.SOCIAL:
        return impact.model_copy(update={"third_party": None})
    return impact
