"""What hr is asked to do, in its own terms (the translation maps contracts to these)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.vocabulary import (
    AppointmentDetails,
    BodyKind,
    BudgetHolderScope,
    Confidentiality,
    DecisionKind,
    DelegationDetails,
    DelegationPower,
    DisciplineDetails,
    LegalEntity,
)

__all__ = [
    "AdoptStaffRules",
    "AdoptedDecision",
    "AdvanceDisciplinaryCase",
    "AppointOrDismiss",
    "ConcludeConsultation",
    "ConcludeEvaluation",
    "DecisionEffect",
    "DelegateByDecision",
    "DisciplineByDecision",
    "GrantDelegation",
    "ImposeSanction",
    "OpenConsultation",
    "OpenDisciplinaryCase",
    "OpenEvaluation",
    "RecordHearing",
    "RevokeDelegation",
]


# -- delegations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantDelegation:
    """Delegate a power from a body or a person, before the rules are applied."""

    from_body: BodyKind | None
    from_person_id: str | None
    """By command: the proven actor, the grantor."""
    to: str
    """A person id, or a body code when a council delegates to its executive body."""
    power: DelegationPower
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None = None
    budget_scope: BudgetHolderScope | None = None
    scope: Mapping[str, str] = field(default_factory=dict)
    parent_delegation_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None
    delegation_id: uuid.UUID | None = None
    """The id the delegation gets (the demo's stable ids); a new one when None."""


@dataclass(frozen=True)
class RevokeDelegation:
    """End a delegation and every subdelegation resting on it."""

    delegation_id: uuid.UUID
    reason: str
    by: str
    """The proven actor: the person carrying the command out."""
    revoked_at: dt.datetime | None = None
    """Now, when None."""


# -- adopted decisions: each is recorded once as an `HrEffect` ------------------------------------


@dataclass(frozen=True)
class AdoptedDecision:
    """What hr needs to know of any adopted decision it acts on."""

    decision_id: uuid.UUID
    kind: DecisionKind
    body: BodyKind
    entity: LegalEntity
    title: str
    confidentiality: Confidentiality
    """As the decision was taken: what hr publishes about it is never more public."""
    secret_ballot: bool
    adopted_at: dt.datetime
    motivation: str = ""
    """The reasons the decision states."""


@dataclass(frozen=True)
class DecisionEffect:
    """An adopted decision that asks something of hr (one of the subclasses, by the decision's kind)."""

    decision: AdoptedDecision


@dataclass(frozen=True)
class AppointOrDismiss(DecisionEffect):
    """An adopted appointment or dismissal (`decision.kind`), with who, where and from when."""

    details: AppointmentDetails | None


@dataclass(frozen=True)
class DelegateByDecision(DecisionEffect):
    """A body delegated a power by decision; the details are parsed by the delegation rules."""

    details: DelegationDetails | None


@dataclass(frozen=True)
class DisciplineByDecision(DecisionEffect):
    """A body imposed a disciplinary sanction: who and which employer (`details`), the case and the sanction."""

    details: AppointmentDetails | None
    discipline: DisciplineDetails | None


@dataclass(frozen=True)
class AdoptStaffRules(DecisionEffect):
    """A change of the staff rules was adopted; it needs a concluded union consultation."""

    consultation_id: uuid.UUID | None


# -- union consultation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenConsultation:
    """Open a BOC file for a change of staff rules."""

    topic: str
    entity: LegalEntity
    invitation_sent_on: dt.date
    meeting_on: dt.date
    by: str
    """The proven actor: the person carrying the command out."""


@dataclass(frozen=True)
class ConcludeConsultation:
    """Record the protocol of the BOC meeting."""

    consultation_id: uuid.UUID
    protocol_reference: str
    concluded_on: dt.date
    by: str
    """The proven actor: the person carrying the command out."""


# -- evaluations and discipline -------------------------------------------------------------------


@dataclass(frozen=True)
class OpenEvaluation:
    """Start the evaluation of a staff member for a period."""

    person_id: str
    entity: LegalEntity
    evaluator_person_id: str
    period: str
    by: str
    """The proven actor: the person carrying the command out."""


@dataclass(frozen=True)
class ConcludeEvaluation:
    """Record the result of an evaluation."""

    evaluation_id: uuid.UUID
    result: str
    by: str
    """The proven actor: the person carrying the command out."""
    note: str = ""


@dataclass(frozen=True)
class OpenDisciplinaryCase:
    """Open a disciplinary case against a statutory staff member."""

    person_id: str
    entity: LegalEntity
    facts: str
    opened_by: str
    """The proven actor."""


@dataclass(frozen=True)
class AdvanceDisciplinaryCase:
    """Move a disciplinary case on: to the investigation, or closed without a sanction."""

    case_id: uuid.UUID
    to_state: str
    by: str
    """The proven actor: the person carrying the command out."""
    sanction: str | None = None
    """Always refused: a sanction is imposed only by a decision of the competent authority."""
    note: str = ""


@dataclass(frozen=True)
class RecordHearing:
    """The staff member was heard on `heard_on`, and this is their defence."""

    case_id: uuid.UUID
    heard_on: dt.date
    defence: str
    by: str
    """The proven actor: the person carrying the command out."""


@dataclass(frozen=True)
class ImposeSanction:
    """The algemeen directeur imposes a sanction in a case, with reasons, after the hearing."""

    case_id: uuid.UUID
    sanction: str
    reasons: str
    decided_by: str
    """The proven actor, who must be the algemeen directeur."""
    takes_effect_on: dt.date | None = None
    """Today, when None."""
