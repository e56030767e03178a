"""Agenda items and the decision on them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum

from shared.kernel import RuleViolation
from shared.vocabulary import (
    AppointmentDetails,
    BodyKind,
    Confidentiality,
    DecisionKind,
    DelegationDetails,
    FinancialImpact,
    FollowUpAction,
    LegalEntity,
    VoteTally,
)

__all__ = [
    "AgendaItem",
    "BudgetCheck",
    "ItemLinks",
    "ItemStatus",
    "Outcome",
    "Visum",
    "decide",
    "entity_of_body",
]


class ItemStatus(StrEnum):
    PROPOSED = "proposed"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    """Voted down (a tie rejects). Not called REJECTED: that name is kept for refused commands."""


class BudgetCheck(StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class Visum(StrEnum):
    """The financial director's visum on an item's intended commitment."""

    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    OVERRULED = "overruled"
    """Refused, then overruled by a decision of the college or vast bureau on its own responsibility."""


_BODY_ENTITY = {
    BodyKind.GEMEENTERAAD: LegalEntity.GEMEENTE,
    BodyKind.COLLEGE: LegalEntity.GEMEENTE,
    BodyKind.DISTRICTSRAAD: LegalEntity.GEMEENTE,
    BodyKind.DISTRICTSCOLLEGE: LegalEntity.GEMEENTE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: LegalEntity.OCMW,
    BodyKind.VAST_BUREAU: LegalEntity.OCMW,
    BodyKind.BCSD: LegalEntity.OCMW,
}


def entity_of_body(body: BodyKind) -> LegalEntity:
    """The legal entity a body decides for (the BCSD and vast bureau are OCMW bodies)."""
    return _BODY_ENTITY[body]


_SECRET_KINDS = frozenset({DecisionKind.APPOINTMENT, DecisionKind.DISMISSAL})
_COUNCILS = frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN})
_EXECUTIVES = frozenset({BodyKind.COLLEGE, BodyKind.VAST_BUREAU})


@dataclass(frozen=True)
class ItemLinks:
    """What an item of a particular kind refers to in other services."""

    appointment: AppointmentDetails | None = None
    delegation: DelegationDetails | None = None
    budget_change_id: uuid.UUID | None = None
    consultation_id: uuid.UUID | None = None
    overrules_item_id: uuid.UUID | None = None

    def check(self, kind: DecisionKind, body: BodyKind) -> None:
        """Each kind names what it decides on; budget changes are the council's, overrulings the executive's."""
        if kind in _SECRET_KINDS and self.appointment is None:
            raise RuleViolation(
                "appointment_details_missing", f"a {kind.value} item must name the person (appointment)"
            )
        if kind is DecisionKind.DELEGATION and self.delegation is None:
            raise RuleViolation("delegation_details_missing", "a delegation item must describe the delegation")
        if kind is DecisionKind.BUDGET_CHANGE:
            if self.budget_change_id is None:
                raise RuleViolation(
                    "budget_change_missing", "a budget-change item must name the budget change in finance"
                )
            if body not in _COUNCILS:
                raise RuleViolation("budget_change_not_council", "only the council or the RMW adopts a budget change")
        if kind is DecisionKind.STAFF_RULES and self.consultation_id is None:
            raise RuleViolation("consultation_missing", "a staff-rules item needs a union consultation (BOC) file")
        if kind is DecisionKind.VISUM_OVERRULING:
            if self.overrules_item_id is None:
                raise RuleViolation(
                    "overruled_item_missing", "a visum overruling must name the item whose visum was refused"
                )
            if body not in _EXECUTIVES:
                raise RuleViolation(
                    "overruling_not_executive", "only the college or the vast bureau can overrule a refused visum"
                )


@dataclass(frozen=True)
class AgendaItem:
    """An item put before one body of one entity."""

    item_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    kind: DecisionKind
    confidentiality: Confidentiality
    legal_basis: str
    motivation: str
    financial_impact: FinancialImpact | None
    follow_up_actions: tuple[FollowUpAction, ...]
    proposed_by: str
    proposed_at: dt.datetime
    status: ItemStatus = ItemStatus.PROPOSED
    budget_check: BudgetCheck = BudgetCheck.NOT_REQUIRED
    decision_id: uuid.UUID | None = None
    links: ItemLinks = field(default_factory=ItemLinks)
    visum: Visum = Visum.NOT_REQUIRED
    meeting_id: uuid.UUID | None = None
    """The meeting whose agenda holds the item; it is then decided only in that session."""

    @property
    def secret_ballot(self) -> bool:
        """Decisions about persons are voted by secret ballot."""
        return self.kind in _SECRET_KINDS

    @classmethod
    def propose(
        cls,
        *,
        body: BodyKind,
        entity: LegalEntity,
        title: str,
        kind: DecisionKind,
        confidentiality: Confidentiality,
        legal_basis: str,
        motivation: str,
        financial_impact: FinancialImpact | None,
        follow_up_actions: tuple[FollowUpAction, ...],
        proposed_by: str,
        now: dt.datetime,
        links: ItemLinks | None = None,
    ) -> AgendaItem:
        """Validate a proposal: the body must decide for the entity, money for the same entity."""
        if entity_of_body(body) is not entity:
            raise RuleViolation(
                "body_not_of_entity",
                f"the {body.value} decides for the {entity_of_body(body).value}, not the {entity.value}",
            )
        if financial_impact is not None and financial_impact.entity is not entity:
            raise RuleViolation(
                "entity_mismatch",
                f"a {entity.value} decision cannot commit credits of the {financial_impact.entity.value}",
            )
        if body is BodyKind.BCSD and confidentiality is not Confidentiality.SOCIAL:
            raise RuleViolation("bcsd_is_social", "BCSD items are always social-welfare (confidentiality 'social')")
        links = links or ItemLinks()
        links.check(kind, body)
        ids = [a.action_id for a in follow_up_actions]
        if len(set(ids)) != len(ids):
            raise RuleViolation("duplicate_action", "follow-up action ids must be unique within an item")
        return cls(
            item_id=uuid.uuid4(),
            body=body,
            entity=entity,
            title=title,
            kind=kind,
            confidentiality=confidentiality,
            legal_basis=legal_basis,
            motivation=motivation,
            financial_impact=financial_impact,
            follow_up_actions=follow_up_actions,
            proposed_by=proposed_by,
            proposed_at=now,
            budget_check=BudgetCheck.PENDING if financial_impact else BudgetCheck.NOT_REQUIRED,
            links=links,
        )

    def with_budget_check(self, passed: bool, *, visum_required: bool = False) -> AgendaItem:
        """Record finance's budget check (a late result for a decided item changes nothing)."""
        if self.status is not ItemStatus.PROPOSED:
            return self
        visum = Visum.PENDING if passed and visum_required else Visum.NOT_REQUIRED
        if self.visum in {Visum.GRANTED, Visum.REFUSED, Visum.OVERRULED}:
            visum = self.visum  # the visum may arrive before a repeated check: keep it
        return replace(self, budget_check=BudgetCheck.PASSED if passed else BudgetCheck.FAILED, visum=visum)

    def with_visum(self, granted: bool) -> AgendaItem:
        """Record the financial director's visum; an overruling stays in force."""
        if self.status is not ItemStatus.PROPOSED or self.visum is Visum.OVERRULED:
            return self
        return replace(self, visum=Visum.GRANTED if granted else Visum.REFUSED)

    def overruled(self) -> AgendaItem:
        """The college or vast bureau overruled the refused visum."""
        return replace(self, visum=Visum.OVERRULED)

    def decided(self, *, adopted: bool, decision_id: uuid.UUID) -> AgendaItem:
        """The item after its vote."""
        if self.status is not ItemStatus.PROPOSED:
            raise RuleViolation("already_decided", f"item {self.item_id} was already {self.status.value}")
        status = ItemStatus.ADOPTED if adopted else ItemStatus.REJECTED
        return replace(self, status=status, decision_id=decision_id)

    def check_ready(self, *, consultation_concluded: bool) -> None:
        """Refuse to table or decide an item whose preconditions from finance or hr are not met."""
        if self.budget_check is BudgetCheck.PENDING:
            raise RuleViolation("budget_check_missing", "the budget check of this item has no result yet")
        if self.budget_check is BudgetCheck.FAILED:
            raise RuleViolation("budget_check_failed", "the credit for this item is insufficient")
        if self.visum is Visum.PENDING:
            raise RuleViolation("visum_missing", "the financial director's visum on this item is still pending")
        if self.visum is Visum.REFUSED:
            raise RuleViolation(
                "visum_refused",
                "the visum was refused; only an overruling decision of the college or vast bureau"
                " can let this item proceed",
            )
        if self.kind is DecisionKind.STAFF_RULES and not consultation_concluded:
            raise RuleViolation(
                "consultation_not_concluded", "the union consultation (BOC) on these staff rules has no protocol yet"
            )


@dataclass(frozen=True)
class Outcome:
    """The result of a vote."""

    adopted: bool
    item: AgendaItem


def decide(
    item: AgendaItem, votes: VoteTally, decision_id: uuid.UUID, *, consultation_concluded: bool = False
) -> Outcome:
    """Majority of votes cast (abstentions do not count); a tie rejects.

    An item with a financial impact is decided only once its budget check passed and, where
    required, the visum was granted (or overruled).
    """
    if item.status is not ItemStatus.PROPOSED:
        raise RuleViolation("already_decided", f"item {item.item_id} was already {item.status.value}")
    if item.meeting_id is not None:
        raise RuleViolation(
            "decide_in_session", f"the item is on the agenda of meeting {item.meeting_id}: vote on it in that session"
        )
    item.check_ready(consultation_concluded=consultation_concluded)
    cast = votes.in_favour + votes.against
    if cast == 0:
        raise RuleViolation("no_votes_cast", "no votes were cast (abstentions are not votes cast)")
    adopted = votes.in_favour > votes.against
    status = ItemStatus.ADOPTED if adopted else ItemStatus.REJECTED
    return Outcome(adopted, replace(item, status=status, decision_id=decision_id))
