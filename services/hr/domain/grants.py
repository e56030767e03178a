"""Who may delegate what to whom: the legal rules of a grant (DOMAIN §6, reference §2.6, §4.1).

Allowed chains: council → its executive body (college / vast bureau) for delegable powers;
executive body → algemeen directeur; algemeen directeur → staff (a subdelegation resting on the
delegation the algemeen directeur holds, except daily staff management, which is the algemeen
directeur's own power). Never council → a person (in particular not the algemeen directeur), never
the signature of the minutes, hiring and discipline only to someone of at least the grade concerned.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from services.hr.domain.commands import DelegateByDecision, GrantDelegation
from services.hr.domain.delegations import Delegate, Delegation, grade_rank
from shared.kernel import Refusal, refuse
from shared.vocabulary import BodyKind, BudgetHolderScope, DelegationPower, LegalEntity

__all__ = ["COUNCIL_EXECUTIVE", "DelegationPolicy", "check_grant", "grant_from_decision", "grant_refusal"]

COUNCILS: Mapping[BodyKind, LegalEntity] = {
    BodyKind.GEMEENTERAAD: LegalEntity.GEMEENTE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: LegalEntity.OCMW,
}
EXECUTIVES: Mapping[BodyKind, LegalEntity] = {
    BodyKind.COLLEGE: LegalEntity.GEMEENTE,
    BodyKind.VAST_BUREAU: LegalEntity.OCMW,
}
#: The executive body a council may delegate to.
COUNCIL_EXECUTIVE: Mapping[BodyKind, BodyKind] = {
    BodyKind.GEMEENTERAAD: BodyKind.COLLEGE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: BodyKind.VAST_BUREAU,
}


@dataclass(frozen=True)
class DelegationPolicy:
    """Which powers and subjects may be delegated (configurable: the lists in the law are longer).

    Sources: reference §2.6 (the council's non-delegable powers, art. 41 Decreet lokaal bestuur;
    what the college and vast bureau may not pass on to the algemeen directeur), §2.1 (the minutes'
    signature, art. 283), §4.1 (daily staff management is the algemeen directeur's own power).
    `scope["subject"]` names what a `decide` or `sign` delegation is about.
    """

    council_delegable_powers: frozenset[DelegationPower] = frozenset(
        {DelegationPower.DECIDE, DelegationPower.BUDGET_HOLDER}
    )
    council_non_delegable_subjects: frozenset[str] = frozenset(
        {
            "regulation",
            "organogram",
            "staff_rules_officers",
            "appointment_of_officers",
            "multi_year_plan",
            "annual_accounts",
            "management_agreement",
            "settlement",
        }
    )
    executive_delegable_powers: frozenset[DelegationPower] = frozenset(
        {
            DelegationPower.DECIDE,
            DelegationPower.SIGN,
            DelegationPower.BUDGET_HOLDER,
            DelegationPower.HIRING,
            DelegationPower.DISCIPLINE,
        }
    )
    executive_non_delegable_subjects: frozenset[str] = frozenset(
        {
            "prepare_council_decision",
            "urgent_procurement",
            "staff_rules",
            "daily_staff_management_definition",
            "staff_settlement",
            "long_lease",
            "afsprakennota",
            "carry_over_credits",
            "visum_overruling",
        }
    )
    #: Never delegable by anyone: the algemeen directeur signs the minutes personally.
    never_delegable_signatures: frozenset[str] = frozenset({"minutes", "notulen"})
    #: Powers the algemeen directeur holds by law (no parent delegation needed to pass them on).
    own_powers_of_algemeen_directeur: frozenset[DelegationPower] = frozenset({DelegationPower.DAILY_STAFF_MANAGEMENT})


def _body(code: str) -> BodyKind | None:
    try:
        return BodyKind(code)
    except ValueError:
        return None


def grant_refusal(
    grant: GrantDelegation,
    *,
    delegates: Mapping[str, Delegate],
    parent: Delegation | None,
    policy: DelegationPolicy,
) -> Refusal | None:
    """Why the law does not allow this delegation, or None when it does.

    `delegates` are the staff members among grantor and delegate; `parent` is the delegation named
    by `grant.parent_delegation_id`, None when there is none by that id.
    """
    if grant.parent_delegation_id is not None and (
        parent is None or parent.delegation_id != grant.parent_delegation_id
    ):
        return Refusal("parent_delegation_invalid", f"no delegation {grant.parent_delegation_id}")
    to_body = _body(grant.to)
    refusal = _form_refusal(grant, policy) or (
        _body_grantor_refusal(grant, grant.from_body, to_body, delegates, policy)
        if grant.from_body is not None
        else _person_grantor_refusal(grant, to_body, delegates, parent, policy)
    )
    if refusal is not None or to_body is not None:
        return refusal
    delegate = delegates.get(grant.to)
    if delegate is None:
        return Refusal("unknown_person", f"{grant.to} is not a staff member")
    if not delegate.in_service:
        return Refusal("not_in_service", f"{grant.to} has no running employment")
    if grant.power in {DelegationPower.HIRING, DelegationPower.DISCIPLINE}:
        return _grade_refusal(grant, delegate)
    return None


def check_grant(
    grant: GrantDelegation,
    *,
    delegates: Mapping[str, Delegate],
    parent: Delegation | None,
    policy: DelegationPolicy,
    new_id: uuid.UUID,
    now: dt.datetime,
) -> Delegation:
    """The delegation, if the law allows it; else `RuleViolation` with the reason (`grant_refusal`)."""
    refuse(grant_refusal(grant, delegates=delegates, parent=parent, policy=policy))
    return Delegation(
        delegation_id=new_id,
        from_body=grant.from_body,
        from_person_id=grant.from_person_id,
        to_person_id=grant.to,
        to_body=_body(grant.to),
        power=grant.power,
        entity=grant.entity,
        valid_from=grant.valid_from,
        valid_until=grant.valid_until,
        budget_scope=grant.budget_scope,
        scope=dict(grant.scope),
        decision_id=grant.decision_id,
        parent_delegation_id=parent.delegation_id if parent is not None else grant.parent_delegation_id,
        granted_at=now,
    )


def _form_refusal(grant: GrantDelegation, policy: DelegationPolicy) -> Refusal | None:  # noqa: PLR0911 - one early answer per rule
    if (grant.from_body is None) == (grant.from_person_id is None):
        return Refusal("one_grantor_required", "a delegation comes from exactly one body or person")
    if grant.valid_until is not None and grant.valid_until < grant.valid_from:
        return Refusal("invalid_period", "a delegation cannot end before it starts")
    if grant.power is DelegationPower.SIGN and grant.scope.get("subject", "") in policy.never_delegable_signatures:
        return Refusal(
            "minutes_signature_not_delegable", "the algemeen directeur signs the minutes personally; never delegated"
        )
    if grant.power is DelegationPower.BUDGET_HOLDER:
        if grant.budget_scope is None:
            return Refusal("budget_scope_required", "a budget holder delegation names its credits")
        if grant.budget_scope.entity is not grant.entity:
            return Refusal("wrong_entity", "the budget scope must be in the delegation's entity")
    elif grant.budget_scope is not None:
        return Refusal("budget_scope_not_allowed", "only budget holder delegations have a budget scope")
    return None


def _body_grantor_refusal(  # noqa: PLR0911 - one early answer per rule, each with its own reason
    grant: GrantDelegation,
    body: BodyKind,
    to_body: BodyKind | None,
    delegates: Mapping[str, Delegate],
    policy: DelegationPolicy,
) -> Refusal | None:
    subject = grant.scope.get("subject", "")
    if body in COUNCILS:
        if COUNCILS[body] is not grant.entity:
            return Refusal("wrong_entity", f"the {body.value} decides for the {COUNCILS[body].value}")
        if to_body is None:
            return Refusal(
                "council_to_person_forbidden",
                "a council delegates only to its executive body, never to a person (not the algemeen directeur)",
            )
        if to_body is not COUNCIL_EXECUTIVE[body]:
            return Refusal("wrong_body", f"the {body.value} delegates only to the {COUNCIL_EXECUTIVE[body].value}")
        if grant.power not in policy.council_delegable_powers or subject in policy.council_non_delegable_subjects:
            return Refusal("power_not_delegable", f"the council cannot delegate {grant.power.value} {subject}".strip())
        return None
    if body in EXECUTIVES:
        if EXECUTIVES[body] is not grant.entity:
            return Refusal("wrong_entity", f"the {body.value} decides for the {EXECUTIVES[body].value}")
        delegate = delegates.get(grant.to)
        if to_body is not None or delegate is None or not delegate.algemeen_directeur:
            return Refusal(
                "executive_to_algemeen_directeur_only", f"the {body.value} delegates only to the algemeen directeur"
            )
        if grant.power not in policy.executive_delegable_powers or subject in policy.executive_non_delegable_subjects:
            return Refusal(
                "power_not_delegable", f"the {body.value} cannot delegate {grant.power.value} {subject}".strip()
            )
        return None
    return Refusal("body_cannot_delegate", f"the {body.value} does not delegate powers")


def _person_grantor_refusal(
    grant: GrantDelegation,
    to_body: BodyKind | None,
    delegates: Mapping[str, Delegate],
    parent: Delegation | None,
    policy: DelegationPolicy,
) -> Refusal | None:
    grantor = delegates.get(grant.from_person_id or "")
    if grantor is None or not grantor.algemeen_directeur:
        return Refusal("subdelegation_not_allowed", "only the algemeen directeur passes a delegated power on to staff")
    if to_body is not None:
        return Refusal("wrong_body", "the algemeen directeur delegates to staff members only")
    if grant.to == grant.from_person_id:
        return Refusal("self_delegation", "a person cannot delegate to themselves")
    if grant.power not in policy.own_powers_of_algemeen_directeur:
        return _parent_refusal(grant, parent)
    return None


def _grade_refusal(grant: GrantDelegation, delegate: Delegate) -> Refusal | None:
    concerned = grant.scope.get("grade")
    if not concerned:
        return Refusal("grade_scope_required", "hiring and discipline delegations name the grade concerned")
    try:
        too_low = grade_rank(delegate.grade) < grade_rank(concerned)
    except ValueError as exc:
        return Refusal("unknown_grade", str(exc))
    if too_low:
        return Refusal(
            "grade_too_low", f"{delegate.person_id} ({delegate.grade}) is below the grade concerned ({concerned})"
        )
    return None


def _parent_refusal(grant: GrantDelegation, parent: Delegation | None) -> Refusal | None:
    if parent is None:
        return Refusal("parent_delegation_required", "the algemeen directeur passes on only a power delegated to them")
    if (
        parent.to_person_id != grant.from_person_id
        or parent.power is not grant.power
        or parent.entity is not grant.entity
        or parent.state_on(grant.valid_from) != "valid"
    ):
        return Refusal(
            "parent_delegation_invalid", f"delegation {parent.delegation_id} does not give this power on that date"
        )
    if parent.valid_until is not None and (grant.valid_until is None or grant.valid_until > parent.valid_until):
        return Refusal("exceeds_parent_period", f"the delegation held ends on {parent.valid_until}")
    if grant.budget_scope is not None and parent.budget_scope is not None:
        cap, asked = parent.budget_scope.max_amount, grant.budget_scope.max_amount
        if cap is not None and (asked is None or asked > cap):
            return Refusal("exceeds_parent_scope", f"the delegation held allows at most {cap} per commitment")
        for name in ("policy_field", "economic_account", "action"):
            held = getattr(parent.budget_scope, name)
            if held is not None and getattr(grant.budget_scope, name) != held:
                return Refusal("exceeds_parent_scope", f"the delegation held is limited to {name} {held}")
    return None


# -- a body's delegation decision -----------------------------------------------------------------

#: Keys of a decision's scope that describe the credits of a budget holder.
_BUDGET_KEYS = ("entity", "policy_field", "economic_account", "action", "max_amount")


def grant_from_decision(cmd: DelegateByDecision) -> GrantDelegation | Refusal:
    """The grant a body's delegation decision asks for, or why it cannot be read as one.

    The deciding body is the grantor; budget keys of the details' scope become the budget holder
    scope (in the decision's entity unless it names one), the rest stays as scope.
    """
    details, decision = cmd.details, cmd.decision
    if details is None:
        return Refusal("missing_details", "the decision does not describe the delegation")
    try:
        power = DelegationPower(details.power)
        budget_scope = _budget_scope(power, details.scope, decision.entity)
    except (ValueError, ValidationError, InvalidOperation) as exc:
        return Refusal("invalid_delegation", f"{type(exc).__name__}: {exc}"[:500])
    return GrantDelegation(
        from_body=decision.body,
        from_person_id=None,
        to=details.delegate_person_id,
        power=power,
        entity=decision.entity,
        valid_from=details.valid_from,
        valid_until=details.valid_until,
        budget_scope=budget_scope,
        scope={k: v for k, v in details.scope.items() if k not in _BUDGET_KEYS},
        decision_id=decision.decision_id,
    )


def _budget_scope(power: DelegationPower, scope: Mapping[str, str], entity: LegalEntity) -> BudgetHolderScope | None:
    if power is not DelegationPower.BUDGET_HOLDER:
        return None
    budget: dict[str, object] = {k: scope[k] for k in _BUDGET_KEYS if k in scope}
    budget.setdefault("entity", entity.value)
    if "max_amount" in budget:
        budget["max_amount"] = Decimal(str(budget["max_amount"]))
    return BudgetHolderScope.model_validate(budget)
