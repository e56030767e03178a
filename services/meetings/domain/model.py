"""Agenda items: what they decide on, who sees them, when they are ready, and their history.

An item is decided by a vote in a session of its body (or signed by the burgemeester, a body of
one person). Before that, a council item may be prepared by the college (or the RMW's by the vast
bureau) and advised on by a council committee: every treatment becomes a step of the item's one
history, which any of its documents can show.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.kernel import RuleViolation
from shared.vocabulary import (
    PERSON_KINDS,
    AppointmentDetails,
    BodyKind,
    Candidate,
    Confidentiality,
    DecisionKind,
    DecisionRelation,
    DelegationDetails,
    DesignationDetails,
    DisciplineDetails,
    FinancialImpact,
    FollowUpAction,
    ItemFile,
    LegalEntity,
    LegalityAdvice,
    VoteTally,
)

__all__ = [
    "JOINT_BODIES",
    "PLAN_KINDS",
    "AgendaItem",
    "BudgetCheck",
    "ItemLinks",
    "ItemStatus",
    "Role",
    "Step",
    "Visum",
    "default_confidentiality",
    "entity_of_body",
    "role_of",
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
    BodyKind.BURGEMEESTER: LegalEntity.GEMEENTE,
    BodyKind.GEMEENTERAADSCOMMISSIE: LegalEntity.GEMEENTE,
    BodyKind.MANAGEMENTTEAM: LegalEntity.GEMEENTE,
}
#: Bodies shared by both entities: their meetings are filed under the gemeente, each item decides
#: for the entity it names (DOMAIN §1: one management team for gemeente and OCMW).
JOINT_BODIES = frozenset({BodyKind.MANAGEMENTTEAM})
#: What the management team decides: coordination, advice and proposals to the college, never a
#: decision of a governing body about persons, money or regulations.
_MANAGEMENT_TEAM_KINDS = frozenset({DecisionKind.DECISION})


def entity_of_body(body: BodyKind) -> LegalEntity:
    """The legal entity a body decides for (the BCSD and vast bureau are OCMW bodies); a joint body's
    meetings are filed under the gemeente."""
    return _BODY_ENTITY[body]


_NAMED_PERSON = frozenset({DecisionKind.APPOINTMENT, DecisionKind.DISMISSAL, DecisionKind.DISCIPLINE})
_BETWEEN_CANDIDATES = frozenset({DecisionKind.ELECTION, DecisionKind.DESIGNATION})
_COUNCILS = frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN})
_EXECUTIVES = frozenset({BodyKind.COLLEGE, BodyKind.VAST_BUREAU})
#: Items that put a plan, plan change or carry-over staged in finance before a body: finance checks
#: them (the balance, whose turn it is) as it checks the credit of an item with a financial impact.
PLAN_KINDS = frozenset({DecisionKind.BUDGET_CHANGE, DecisionKind.BUDGET_APPROVAL, DecisionKind.CARRY_OVER})
#: What the burgemeester decides alone: burgemeestersbesluiten and politieverordeningen.
_MAYORS_KINDS = frozenset({DecisionKind.DECISION, DecisionKind.REGULATION})


def default_confidentiality(kind: DecisionKind, body: BodyKind) -> Confidentiality:
    """BCSD items are social; items about persons and the management team's are closed (DLB art. 28 §1;
    the management team does not meet in public); everything else public."""
    if body is BodyKind.BCSD:
        return Confidentiality.SOCIAL
    if kind in PERSON_KINDS or body is BodyKind.MANAGEMENTTEAM:
        return Confidentiality.CLOSED
    return Confidentiality.PUBLIC


class Role(StrEnum):
    """What a meeting does with an item on its agenda."""

    DECISION = "decision"
    """The item's own body decides it."""
    PREPARATION = "preparation"
    """The college (vast bureau) prepares a council (RMW) item and puts it before the council."""
    ADVICE = "advice"
    """A council committee advises on a council item; the advice travels with the item."""
    MAYOR = "mayor"
    """The burgemeester decided and signed it alone (no meeting)."""


_PREPARED_BY = {BodyKind.GEMEENTERAAD: BodyKind.COLLEGE, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: BodyKind.VAST_BUREAU}
_ADVISED_BY = {BodyKind.GEMEENTERAAD: BodyKind.GEMEENTERAADSCOMMISSIE}


def role_of(item_body: BodyKind, meeting_body: BodyKind) -> Role:
    """Decided by its own body, prepared by the executive of its council, advised on by a committee."""
    if item_body is meeting_body:
        return Role.DECISION
    if _PREPARED_BY.get(item_body) is meeting_body:
        return Role.PREPARATION
    if _ADVISED_BY.get(item_body) is meeting_body:
        return Role.ADVICE
    raise RuleViolation(
        "item_of_other_body", f"the item is for the {item_body.value}, this meeting is of the {meeting_body.value}"
    )


class Step(BaseModel):
    """One treatment of an item in its history: where, when, in which role, with what result."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    meeting_id: uuid.UUID | None
    body: BodyKind
    on: dt.date
    role: Role
    outcome: str
    """`adopted`, `rejected`, `postponed`, `prepared`, `advised`, or `lapsed` (no quorum)."""
    confidentiality: Confidentiality
    tally: VoteTally | None = None
    advice: str = ""
    """A committee's advice, which travels with the item to the council."""
    favourable: bool | None = None
    """Whether the committee's vote on its advice was favourable."""
    decision_id: uuid.UUID | None = None


def _check_kind_of_body(kind: DecisionKind, body: BodyKind) -> None:
    """The burgemeester alone and the management team take only some kinds of decision."""
    if body is BodyKind.MANAGEMENTTEAM and kind not in _MANAGEMENT_TEAM_KINDS:
        raise RuleViolation(
            "not_for_the_management_team",
            "the management team coordinates, advises and proposes (kind 'decision'); the bodies decide the rest",
        )
    if body is BodyKind.BURGEMEESTER and kind not in _MAYORS_KINDS:
        raise RuleViolation(
            "not_for_the_mayor", "the burgemeester alone takes burgemeestersbesluiten and politieverordeningen only"
        )


@dataclass(frozen=True)
class ItemLinks:
    """What an item of a particular kind refers to in other services."""

    appointment: AppointmentDetails | None = None
    delegation: DelegationDetails | None = None
    budget_change_id: uuid.UUID | None = None
    consultation_id: uuid.UUID | None = None
    overrules_item_id: uuid.UUID | None = None
    candidates: tuple[Candidate, ...] = ()
    """The persons who stand, for an election or a designation."""
    discipline: DisciplineDetails | None = None
    """The case in hr and the sanction, for a disciplinary decision."""
    organogram_version: int | None = None
    """The draft organogram in organisation an organogram decision adopts."""
    designation: DesignationDetails | None = None
    """Where a council's designation puts the elected candidate: an entity of external's registry."""
    district: str | None = None
    """The district the item concerns: its decision reaches that district's feed."""
    relations: tuple[DecisionRelation, ...] = ()
    """The earlier decisions this one replaces, amends or repeals."""
    text: str = ""
    """The operative part (beschikkend gedeelte): for a regulation its articles, as amended when it amends one."""

    def check(self, kind: DecisionKind, body: BodyKind) -> None:
        """Each kind names what it decides on; budget changes are the council's, overrulings the executive's."""
        if kind in _NAMED_PERSON and self.appointment is None:
            raise RuleViolation(
                "appointment_details_missing", f"a {kind.value} item must name the person (appointment)"
            )
        self._check_candidates(kind)
        self._check_designation(kind, body)
        if body in (BodyKind.DISTRICTSRAAD, BodyKind.DISTRICTSCOLLEGE) and self.district is None:
            raise RuleViolation("district_missing", f"an item of the {body.value} must name its district")
        _check_kind_of_body(kind, body)
        self._check_discipline_and_organogram(kind, body)
        if kind is DecisionKind.DELEGATION and self.delegation is None:
            raise RuleViolation("delegation_details_missing", "a delegation item must describe the delegation")
        if kind in PLAN_KINDS and self.budget_change_id is None:
            raise RuleViolation(
                "budget_change_missing",
                f"a {kind.value} item must name the plan, change or carry-over staged in finance",
            )
        if kind is DecisionKind.BUDGET_CHANGE and body not in _COUNCILS:
            raise RuleViolation("budget_change_not_council", "only the council or the RMW adopts a budget change")
        if kind is DecisionKind.BUDGET_APPROVAL and body is not BodyKind.GEMEENTERAAD:
            raise RuleViolation(
                "budget_approval_not_council", "only the gemeenteraad approves the OCMW part of the plan"
            )
        if kind is DecisionKind.CARRY_OVER and body not in _EXECUTIVES:
            raise RuleViolation("carry_over_not_executive", "only the college or the vast bureau decides a carry-over")
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

    def _check_discipline_and_organogram(self, kind: DecisionKind, body: BodyKind) -> None:
        """A disciplinary decision names its case and sanction; the council adopts a named organogram draft."""
        if kind is DecisionKind.DISCIPLINE and self.discipline is None:
            raise RuleViolation(
                "discipline_details_missing", "a discipline item names the case in hr and the sanction (discipline)"
            )
        if kind is DecisionKind.ORGANOGRAM:
            if self.organogram_version is None:
                raise RuleViolation(
                    "organogram_version_missing", "an organogram item names the draft version it adopts"
                )
            if body not in _COUNCILS:
                raise RuleViolation(
                    "organogram_not_council", "only the council or the RMW adopts the organogram (DLB art. 161)"
                )

    def _check_candidates(self, kind: DecisionKind) -> None:
        if kind in _BETWEEN_CANDIDATES and not self.candidates:
            raise RuleViolation("candidates_missing", f"a {kind.value} item names its candidates")
        if self.candidates and kind not in _BETWEEN_CANDIDATES:
            raise RuleViolation("candidates_not_allowed", "only elections and designations have candidates")
        ids = [c.person_id for c in self.candidates]
        if len(set(ids)) != len(ids):
            raise RuleViolation("duplicate_candidate", "each candidate stands once")
        targets = [r.decision_id for r in self.relations]
        if len(set(targets)) != len(targets):
            raise RuleViolation("duplicate_relation", "a decision relates to each earlier decision once")

    def _check_designation(self, kind: DecisionKind, body: BodyKind) -> None:
        """Representatives in external entities are designated by a council (or the RMW), for a term."""
        if self.designation is None:
            return
        if kind is not DecisionKind.DESIGNATION:
            raise RuleViolation("designation_not_allowed", "only a designation names an external entity's seat")
        if body not in _COUNCILS:
            raise RuleViolation(
                "designation_not_council", "the council or the RMW designates representatives in external entities"
            )
        d = self.designation
        if d.term_start is not None and d.term_end is not None and d.term_end < d.term_start:
            raise RuleViolation("term_ends_before_start", "a representative's term ends on or after its start")


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
    files: tuple[ItemFile, ...] = ()
    """The item's file (dossier): available to the members of the body from the convocation on."""
    history: tuple[Step, ...] = ()
    """Every treatment so far: preparation by the college, a committee's advice, postponements, the decision."""
    advice_required: bool = False
    """Whether the algemeen directeur's legality advice is needed before the item is tabled (its kind is one
    the municipality chose, `MeetingPolicy.legality_advice_kinds`, when it was proposed)."""
    legality_advice: LegalityAdvice | None = None
    """The algemeen directeur's legality advice; an unfavourable one shows on the agenda and in the minutes."""

    @property
    def about_persons(self) -> bool:
        """Decisions about persons are voted by secret ballot (DLB art. 34)."""
        return self.kind in PERSON_KINDS

    @property
    def advice(self) -> tuple[Step, ...]:
        """The committees' advice, which travels with the item."""
        return tuple(s for s in self.history if s.role is Role.ADVICE)

    @classmethod
    def propose(
        cls,
        *,
        body: BodyKind,
        entity: LegalEntity,
        title: str,
        kind: DecisionKind,
        confidentiality: Confidentiality | None,
        legal_basis: str,
        motivation: str,
        financial_impact: FinancialImpact | None,
        follow_up_actions: tuple[FollowUpAction, ...],
        proposed_by: str,
        now: dt.datetime,
        links: ItemLinks | None = None,
        files: tuple[ItemFile, ...] = (),
        advice_kinds: frozenset[DecisionKind] = frozenset(),
    ) -> AgendaItem:
        """Validate a proposal: the body must decide for the entity, money for the same entity.

        Without a stated confidentiality an item is social at the BCSD, closed when it is about
        persons and public otherwise; an item about persons may still be stated public (the
        election of a chair in public session, by secret ballot). An item of one of `advice_kinds`
        needs the algemeen directeur's legality advice before it is tabled (not the management
        team's own items: the director chairs it).
        """
        if confidentiality is None:
            confidentiality = default_confidentiality(kind, body)
        if body not in JOINT_BODIES and entity_of_body(body) is not entity:
            raise RuleViolation(
                "body_not_of_entity",
                f"the {body.value} decides for the {entity_of_body(body).value}, not the {entity.value}",
            )
        if financial_impact is not None and financial_impact.entity is not entity:
            raise RuleViolation(
                "entity_mismatch",
                f"a {entity.value} decision cannot commit credits of the {financial_impact.entity.value}",
            )
        if body is BodyKind.MANAGEMENTTEAM and financial_impact is not None:
            raise RuleViolation(
                "management_team_commits_nothing",
                "the management team commits no credits: it proposes the commitment to the college",
            )
        if body is BodyKind.BCSD and confidentiality is not Confidentiality.SOCIAL:
            raise RuleViolation("bcsd_is_social", "BCSD items are always social-welfare (confidentiality 'social')")
        links = links or ItemLinks()
        links.check(kind, body)
        if kind is DecisionKind.DISCIPLINE and not motivation.strip():
            raise RuleViolation("motivation_required", "a disciplinary decision states its reasons (motivation)")
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
            budget_check=BudgetCheck.PENDING if financial_impact or kind in PLAN_KINDS else BudgetCheck.NOT_REQUIRED,
            links=links,
            files=files,
            advice_required=kind in advice_kinds and body is not BodyKind.MANAGEMENTTEAM,
        )

    def with_legality_advice(self, advice: LegalityAdvice) -> AgendaItem:
        """The algemeen directeur's advice, given (or given again) before the item is on an agenda."""
        if self.status is not ItemStatus.PROPOSED or self.meeting_id is not None:
            raise RuleViolation("item_already_tabled", "legality advice is given before the item is put on an agenda")
        return replace(self, legality_advice=advice)

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

    def decided(self, *, adopted: bool, decision_id: uuid.UUID, step: Step) -> AgendaItem:
        """The item after its vote, with the vote as the last step of its history."""
        if self.status is not ItemStatus.PROPOSED:
            raise RuleViolation("already_decided", f"item {self.item_id} was already {self.status.value}")
        status = ItemStatus.ADOPTED if adopted else ItemStatus.REJECTED
        return replace(self, status=status, decision_id=decision_id, history=(*self.history, step))

    def treated(self, step: Step, *, release: bool) -> AgendaItem:
        """A treatment that does not decide (prepared, advised, postponed, lapsed) joins the history;
        a released item can go on the next agenda."""
        return replace(self, history=(*self.history, step), meeting_id=None if release else self.meeting_id)

    def closed(self) -> AgendaItem:
        """The body decided (by 2/3, with reasons) to treat the item in closed session."""
        return replace(self, confidentiality=Confidentiality.CLOSED)

    def check_ready(self, *, consultation_concluded: bool) -> None:
        """Refuse to table or decide an item whose preconditions from finance or hr are not met."""
        unready = self.unready(consultation_concluded=consultation_concluded)
        if unready is not None:
            raise unready

    def unready(self, *, consultation_concluded: bool) -> RuleViolation | None:  # noqa: PLR0911 - one per gate
        """Why the item cannot be tabled or decided yet (the refusal `check_ready` raises), or None."""
        if self.budget_check is BudgetCheck.PENDING:
            return RuleViolation("budget_check_missing", "the budget check of this item has no result yet")
        if self.budget_check is BudgetCheck.FAILED and self.kind in PLAN_KINDS:
            return RuleViolation(
                "budget_check_failed",
                "finance refused to put this plan, change or carry-over before the body (a plan out of"
                " financial balance, or not its turn): see finance.budget_check.failed",
            )
        if self.budget_check is BudgetCheck.FAILED:
            return RuleViolation("budget_check_failed", "the credit for this item is insufficient")
        if self.visum is Visum.PENDING:
            return RuleViolation("visum_missing", "the financial director's visum on this item is still pending")
        if self.visum is Visum.REFUSED:
            return RuleViolation(
                "visum_refused",
                "the visum was refused; only an overruling decision of the college or vast bureau"
                " can let this item proceed",
            )
        if self.advice_required and self.legality_advice is None:
            raise RuleViolation(
                "legality_advice_missing",
                f"a {self.kind.value} item is tabled only with the algemeen directeur's legality advice",
            )
        if self.kind is DecisionKind.STAFF_RULES and not consultation_concluded:
            return RuleViolation(
                "consultation_not_concluded", "the union consultation (BOC) on these staff rules has no protocol yet"
            )
        return None
