"""Delegations of powers: who holds what, for how long, and whether a use is covered (DOMAIN §6).

The rules on who may delegate what to whom are in `grants`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from services.hr.domain.model import StaffMember
from services.hr.domain.personnel import Employment
from shared.vocabulary import BodyKind, BudgetHolderScope, DelegationPower, LegalEntity

__all__ = ["Delegate", "Delegation", "check_delegation", "delegate_of", "grade_rank"]

_GRADE = re.compile(r"^([A-E])(\d*)([a-z]?)$")


def grade_rank(grade: str) -> tuple[int, int, str]:
    """Order of salary scales: E < D < C < B < A, then the number, then the letter (A1a < A1b < A2a)."""
    match = _GRADE.match(grade.strip())
    if match is None:
        raise ValueError(f"unknown grade {grade!r}")
    letter, number, suffix = match.groups()
    return ("EDCBA".index(letter), int(number or 0), suffix)


@dataclass(frozen=True)
class Delegate:
    """What the rules need to know about the person receiving (or granting) a power."""

    person_id: str
    grade: str
    in_service: bool = True
    algemeen_directeur: bool = False


@dataclass(frozen=True)
class Delegation:
    """A power held by a body or person on delegation, for a time, until revoked."""

    delegation_id: uuid.UUID
    from_body: BodyKind | None
    from_person_id: str | None
    to_person_id: str
    to_body: BodyKind | None
    power: DelegationPower
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None
    budget_scope: BudgetHolderScope | None = None
    scope: Mapping[str, str] = field(default_factory=dict)
    decision_id: uuid.UUID | None = None
    parent_delegation_id: uuid.UUID | None = None
    granted_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    revoke_reason: str = ""

    def state_on(self, day: dt.date) -> str:
        """`valid`, `not_yet_valid`, `expired` or `revoked` on `day`."""
        if self.revoked_at is not None and self.revoked_at.date() <= day:
            return "revoked"
        if day < self.valid_from:
            return "not_yet_valid"
        if self.valid_until is not None and day > self.valid_until:
            return "expired"
        return "valid"


def delegate_of(member: StaffMember, employments: Iterable[Employment], on: dt.date, entity: LegalEntity) -> Delegate:
    """What the rules know of a staff member on a day: the highest running grade, in service or not.

    The algemeen directeur of `entity`: of the gemeente, and by right of the OCMW too.
    """
    running = [e for e in employments if e.person_id == member.person_id and e.runs_on(on)]
    grades = sorted((e.grade for e in running), key=_grade_key) or [member.grade]
    return Delegate(
        person_id=member.person_id,
        grade=grades[-1],
        in_service=bool(running),
        algemeen_directeur=any(e.holds("algemeen_directeur", entity, on) for e in running),
    )


def _grade_key(grade: str) -> tuple[int, int, str]:
    try:
        return grade_rank(grade)
    except ValueError:
        return (-1, 0, "")


_REASON_ORDER = ("amount_exceeds_scope", "outside_scope", "parent_invalid", "revoked", "expired", "not_yet_valid")


def check_delegation(
    delegations: Iterable[Delegation],
    *,
    person_id: str,
    power: DelegationPower,
    entity: LegalEntity,
    on: dt.date,
    amount: Decimal | None = None,
    policy_field: str | None = None,
    economic_account: str | None = None,
    action: str | None = None,
) -> tuple[Delegation | None, str]:
    """The valid delegation that covers this use, else `None` and the most telling reason."""
    everything = list(delegations)
    by_id = {d.delegation_id: d for d in everything}
    candidates = [d for d in everything if d.to_person_id == person_id and d.power is power and d.entity is entity]
    if not candidates:
        return None, "no_delegation"
    reasons: list[str] = []
    for d in sorted(candidates, key=lambda d: (d.valid_from, str(d.delegation_id)), reverse=True):
        reason = _use_refused(
            d, by_id, on, amount, {"policy_field": policy_field, "economic_account": economic_account, "action": action}
        )
        if reason is None:
            return d, "ok"
        reasons.append(reason)
    return None, min(reasons, key=_REASON_ORDER.index)


def _use_refused(
    d: Delegation,
    by_id: Mapping[uuid.UUID, Delegation],
    on: dt.date,
    amount: Decimal | None,
    coding: Mapping[str, str | None],
) -> str | None:
    state = d.state_on(on)
    if state != "valid":
        return state
    seen: set[uuid.UUID] = {d.delegation_id}
    parent_id = d.parent_delegation_id
    while parent_id is not None:
        parent = by_id.get(parent_id)
        if parent is None or parent_id in seen or parent.state_on(on) != "valid":
            return "parent_invalid"
        seen.add(parent_id)
        parent_id = parent.parent_delegation_id
    scope = d.budget_scope
    if scope is not None:
        for name, value in coding.items():
            held = getattr(scope, name)
            if held is not None and value is not None and value != held:
                return "outside_scope"
        if amount is not None and scope.max_amount is not None and amount > scope.max_amount:
            return "amount_exceeds_scope"
    return None
