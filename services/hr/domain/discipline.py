"""Discipline of statutory staff: the case, the hearing, and a sanction by its competent authority.

Sources (reference §4.1, §4.2; where a source is not the decree's text it says so):

- The sanctions, DLB art. 200 §1: 1° blaam, 2° inhouding van salaris, 3° schorsing, 4° ontslag,
  5° afzetting. 4° and 5° were repealed by the decree of 16 June 2023 on the end of the statutory
  relation ("Ontslagdecreet"), in force on 1 October 2023, without transitional rules (VVSG news
  of 4 October 2023 [S3]); since then a statutory employment ends by a dismissal under art. 194/1,
  a `dismissal` decision. A decision taken before that day could still impose them, and they end
  the employment.
- Who imposes them: the college for the gemeente's staff and the vast bureau for the OCMW's
  (art. 56 §3 2°, "including disciplinary power" [S Grimbergen]; the vast bureau by art. 84 §3 [K]);
  the council of the employer for the algemeen directeur, adjunct-algemeen directeur, financieel
  directeur and ombudsman (art. 41, 6°, not delegable [S Grimbergen]). The algemeen directeur only
  where the staff regulations give them that power, for the sanctions they name: a policy.
- The procedure (BVR 20 July 2018): the staff member is heard, with their defence, before the
  decision; the decision is reasoned. A body decides about persons by secret ballot (art. 34).
- Discipline applies to statutory staff only (reference §4.2).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from services.hr.domain.personnel import OFFICER_POSITIONS, Employment, council_of, executive_of
from shared.kernel import Refusal, RuleViolation
from shared.vocabulary import LegalEntity

__all__ = [
    "ALGEMEEN_DIRECTEUR",
    "CaseState",
    "DisciplinaryCase",
    "DisciplinePolicy",
    "Sanctioning",
    "advance_case",
    "competent_authorities",
    "discipline_refusal",
    "employment_of",
    "impose",
    "open_case",
    "record_hearing",
]

#: The authority of a sanction the algemeen directeur imposes (a body's is its code).
ALGEMEEN_DIRECTEUR = "algemeen_directeur"

_REPEALED_ON = dt.date(2023, 10, 1)


class CaseState(StrEnum):
    OPENED = "opened"
    INVESTIGATION = "investigation"
    HEARING = "hearing"
    """The staff member was heard and their defence recorded: a decision may follow."""
    SANCTIONED = "sanctioned"
    CLOSED_WITHOUT_SANCTION = "closed_without_sanction"


_CLOSED = frozenset({CaseState.SANCTIONED, CaseState.CLOSED_WITHOUT_SANCTION})


@dataclass(frozen=True)
class DisciplinePolicy:
    """The sanctions, when they stopped, which end the employment, and what the algemeen directeur may impose."""

    sanctions: tuple[str, ...] = ("blaam", "inhouding_van_salaris", "schorsing", "ontslag", "afzetting")
    """DLB art. 200 §1 as enacted."""
    repealed_sanctions: Mapping[str, dt.date] = field(
        default_factory=lambda: {"ontslag": _REPEALED_ON, "afzetting": _REPEALED_ON}
    )
    """No decision taken on or after the date imposes the sanction (art. 200 §1 4° and 5°, repealed 1 October 2023)."""
    ending_sanctions: frozenset[str] = frozenset({"ontslag", "afzetting"})
    """Sanctions that end the employment concerned (and only that one)."""
    algemeen_directeur_sanctions: frozenset[str] = frozenset({"blaam", "inhouding_van_salaris"})
    """What the staff regulations let the algemeen directeur impose on staff other than the officers: [K],
    the light sanctions by default; a deployment names its own (none, to keep discipline with the bodies)."""

    def available_on(self, sanction: str, day: dt.date) -> bool:
        """A known sanction that was not repealed by `day`."""
        repealed = self.repealed_sanctions.get(sanction)
        return sanction in self.sanctions and (repealed is None or day < repealed)


@dataclass(frozen=True)
class DisciplinaryCase:
    """A disciplinary procedure against a statutory staff member, about one employment."""

    case_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    facts: str
    opened_by: str
    state: CaseState = CaseState.OPENED
    sanction: str | None = None
    history: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """(state, note) in order."""
    employment_id: uuid.UUID | None = None
    """The statutory employment concerned (None for cases opened before hr recorded it)."""
    heard_on: dt.date | None = None
    defence: str = ""
    """What the staff member said (or wrote) in their defence at the hearing."""
    decision_id: uuid.UUID | None = None
    authority: str | None = None
    """Who imposed the sanction: a body's code, or `algemeen_directeur`."""
    reasons: str = ""
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class Sanctioning:
    """A decision imposing a sanction in a case: a body's in session, or the algemeen directeur's."""

    case_id: uuid.UUID
    sanction: str
    reasons: str
    authority: str
    """A body's code, or `algemeen_directeur`."""
    decided_on: dt.date
    takes_effect_on: dt.date
    """For a sanction that ends the employment: its last day."""
    decision_id: uuid.UUID
    person_id: str | None = None
    """Whom a body's decision names, to be matched with the case (the algemeen directeur names the case only)."""
    entity: LegalEntity | None = None
    secret_ballot: bool = True
    """A body's vote; the algemeen directeur does not vote."""


def open_case(
    *,
    case_id: uuid.UUID,
    person_id: str,
    entity: LegalEntity,
    facts: str,
    opened_by: str,
    employments: Iterable[Employment],
    on: dt.date,
) -> DisciplinaryCase:
    """A case about the person's statutory employment with `entity` (contractual staff fall under labour law)."""
    running = [e for e in employments if e.person_id == person_id and e.entity is entity and e.runs_on(on)]
    if not running:
        raise RuleViolation("not_in_service", f"{person_id} has no running employment with the {entity.value}")
    statutory = sorted((e for e in running if e.statutory), key=lambda e: e.start_date)
    if not statutory:
        raise RuleViolation(
            "discipline_statutory_only", f"{person_id} is contractual: discipline applies to statutory staff only"
        )
    if opened_by == person_id:
        raise RuleViolation("self_discipline", "nobody opens a case against themselves")
    return DisciplinaryCase(
        case_id,
        person_id,
        entity,
        facts,
        opened_by,
        history=((CaseState.OPENED.value, facts),),
        employment_id=statutory[0].employment_id,
    )


_NEXT: Mapping[CaseState, frozenset[CaseState]] = {
    CaseState.OPENED: frozenset({CaseState.INVESTIGATION, CaseState.CLOSED_WITHOUT_SANCTION}),
    CaseState.INVESTIGATION: frozenset({CaseState.CLOSED_WITHOUT_SANCTION}),
    CaseState.HEARING: frozenset({CaseState.CLOSED_WITHOUT_SANCTION}),
    CaseState.SANCTIONED: frozenset(),
    CaseState.CLOSED_WITHOUT_SANCTION: frozenset(),
}


def advance_case(case: DisciplinaryCase, to_state: str, sanction: str | None, note: str) -> DisciplinaryCase:
    """On to the investigation, or closed without a sanction; the hearing and the sanction have their own way."""
    try:
        target = CaseState(to_state)
    except ValueError as exc:
        raise RuleViolation("unknown_state", f"state is one of {', '.join(s.value for s in CaseState)}") from exc
    if target is CaseState.SANCTIONED or sanction is not None:
        raise RuleViolation(
            "sanction_by_decision",
            "a sanction is imposed only by a reasoned decision of the competent authority after the hearing",
        )
    if target is CaseState.HEARING:
        raise RuleViolation("defence_required", "a hearing is recorded with the staff member's defence")
    if target not in _NEXT[case.state]:
        raise RuleViolation("invalid_transition", f"a case cannot go from {case.state.value} to {target.value}")
    return dataclasses.replace(case, state=target, history=(*case.history, (target.value, note)))


def record_hearing(case: DisciplinaryCase, heard_on: dt.date, defence: str, today: dt.date) -> DisciplinaryCase:
    """The staff member was heard, with their defence; heard again, the last hearing counts."""
    if case.state in _CLOSED:
        raise RuleViolation("case_closed", f"case {case.case_id} is {case.state.value}")
    if heard_on > today:
        raise RuleViolation("hearing_in_future", f"a hearing on {heard_on} has not taken place yet")
    if not defence.strip():
        raise RuleViolation(
            "defence_required", "record what the staff member said in their defence (or that they declined to)"
        )
    return dataclasses.replace(
        case,
        state=CaseState.HEARING,
        heard_on=heard_on,
        defence=defence.strip(),
        history=(*case.history, (CaseState.HEARING.value, defence.strip())),
    )


def employment_of(case: DisciplinaryCase, employments: Iterable[Employment], on: dt.date) -> Employment | None:
    """The employment the case is about: the one recorded, else the oldest statutory one with its entity on `on`."""
    mine = [e for e in employments if e.person_id == case.person_id]
    if case.employment_id is not None:
        return next((e for e in mine if e.employment_id == case.employment_id), None)
    statutory = sorted(
        (e for e in mine if e.entity is case.entity and e.statutory and e.runs_on(on)), key=lambda e: e.start_date
    )
    return statutory[0] if statutory else None


def competent_authorities(position: str, entity: LegalEntity, sanction: str, policy: DisciplinePolicy) -> list[str]:
    """Who may impose `sanction` on the holder of `position` employed by `entity`."""
    if position in OFFICER_POSITIONS:
        return [council_of(entity).value]
    found = [executive_of(entity).value]
    if sanction in policy.algemeen_directeur_sanctions:
        found.append(ALGEMEEN_DIRECTEUR)
    return found


def discipline_refusal(  # noqa: PLR0911 - one early answer per rule, each with its own reason
    case: DisciplinaryCase | None,
    decision: Sanctioning,
    employments: Iterable[Employment],
    *,
    policy: DisciplinePolicy,
    require_secret_ballot: bool,
) -> Refusal | None:
    """Why this decision cannot impose its sanction, or `None` when it can.

    In order: the case (known, about whom the decision names, still open), the hearing before the
    decision, the sanction (known, not repealed on the decision day), the employment concerned (it
    runs on the day the sanction takes effect), the authority, the secret ballot of a body, the reasons.
    """
    if case is None:
        return Refusal("unknown_case", f"no disciplinary case {decision.case_id}")
    if decision.person_id is not None and (decision.person_id != case.person_id or decision.entity is not case.entity):
        return Refusal(
            "case_mismatch",
            f"case {case.case_id} is about {case.person_id} with the {case.entity.value}, "
            f"the decision about {decision.person_id} with the {decision.entity.value if decision.entity else '?'}",
        )
    if case.state in _CLOSED:
        return Refusal("case_closed", f"case {case.case_id} is {case.state.value}")
    if case.heard_on is None or case.state is not CaseState.HEARING:
        return Refusal("not_heard", f"{case.person_id} was not heard with their defence before the decision")
    if case.heard_on > decision.decided_on:
        return Refusal("not_heard", f"the hearing ({case.heard_on}) comes after the decision ({decision.decided_on})")
    if not policy.available_on(decision.sanction, decision.decided_on):
        return _sanction_refusal(decision, policy)
    if decision.takes_effect_on < decision.decided_on:
        return Refusal("retroactive_sanction", "a sanction takes effect on the day of the decision at the earliest")
    employment = employment_of(case, employments, decision.decided_on)
    if employment is None or not employment.runs_on(decision.takes_effect_on):
        return Refusal(
            "no_employment", f"the employment case {case.case_id} is about does not run on {decision.takes_effect_on}"
        )
    competent = competent_authorities(employment.position, case.entity, decision.sanction, policy)
    if decision.authority not in competent:
        return Refusal(
            "authority_not_competent",
            f"a {decision.sanction} for {employment.position} of the {case.entity.value} is imposed by "
            f"{' or '.join(competent)}, not by {decision.authority}",
        )
    if decision.authority != ALGEMEEN_DIRECTEUR and require_secret_ballot and not decision.secret_ballot:
        return Refusal("not_secret_ballot", "decisions about persons are taken by secret ballot")
    if not decision.reasons.strip():
        return Refusal("not_reasoned", "a disciplinary decision states its reasons")
    return None


def _sanction_refusal(decision: Sanctioning, policy: DisciplinePolicy) -> Refusal:
    repealed = policy.repealed_sanctions.get(decision.sanction)
    if decision.sanction in policy.sanctions and repealed is not None:
        return Refusal(
            "sanction_repealed",
            f"{decision.sanction} is no disciplinary sanction since {repealed} (DLB art. 200 §1, repealed); "
            "a statutory employment ends by a dismissal decision",
        )
    known = [s for s in policy.sanctions if policy.available_on(s, decision.decided_on)]
    return Refusal("unknown_sanction", f"sanction is one of {', '.join(known)}")


def impose(case: DisciplinaryCase, decision: Sanctioning) -> DisciplinaryCase:
    """The case after the decision `discipline_refusal` let pass."""
    return dataclasses.replace(
        case,
        state=CaseState.SANCTIONED,
        sanction=decision.sanction,
        decision_id=decision.decision_id,
        authority=decision.authority,
        reasons=decision.reasons.strip(),
        decided_on=decision.decided_on,
        history=(
            *case.history,
            (CaseState.SANCTIONED.value, f"{decision.sanction} by {decision.authority}: {decision.reasons.strip()}"),
        ),
    )
