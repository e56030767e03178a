"""Employments, who appoints whom, union consultation and evaluations (DOMAIN §6, reference §4).

Discipline is in `discipline`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from services.hr.domain.commands import AppointOrDismiss
from shared.kernel import Refusal, RuleViolation
from shared.vocabulary import AppointmentDetails, BodyKind, Confidentiality, DecisionKind, LegalEntity

__all__ = [
    "OFFICER_POSITIONS",
    "POSTS_BY_RIGHT",
    "AppointmentPolicy",
    "ConsultationFile",
    "ConsultationPolicy",
    "Employment",
    "Evaluation",
    "appointment_refusal",
    "competent_body",
    "conclude_consultation",
    "conclude_evaluation",
    "council_of",
    "employment_from",
    "employment_to_end",
    "executive_of",
    "open_consultation",
    "open_evaluation",
    "personal",
    "service_after",
    "staff_rules_basis",
    "working_days_between",
    "works_for_of",
]

#: Positions the council itself appoints (art. 41, 6°): never the college or vast bureau.
OFFICER_POSITIONS = frozenset({"algemeen_directeur", "adjunct_algemeen_directeur", "financieel_directeur", "ombudsman"})

#: The gemeente's algemeen directeur and financieel directeur hold the same posts at the OCMW by right:
#: they are staff of the gemeente who serve the OCMW too; the gemeenteraad appoints them and the RMW
#: at most takes note (ABB FAQ on DLB art. 583, "Moet de OCMW-raad niet (mee) beslissen over de
#: aanstelling van de nieuwe directeursfuncties?" [S]). Whether the adjunct-algemeen directeur's post
#: is shared the same way is [K]; it is not listed.
POSTS_BY_RIGHT = frozenset({"algemeen_directeur", "financieel_directeur"})

_COUNCIL = {LegalEntity.GEMEENTE: BodyKind.GEMEENTERAAD, LegalEntity.OCMW: BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}
_EXECUTIVE = {LegalEntity.GEMEENTE: BodyKind.COLLEGE, LegalEntity.OCMW: BodyKind.VAST_BUREAU}
_OCMW_BODIES = frozenset({BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, BodyKind.VAST_BUREAU, BodyKind.BCSD})


def council_of(entity: LegalEntity) -> BodyKind:
    """The gemeenteraad or the RMW."""
    return _COUNCIL[entity]


def executive_of(entity: LegalEntity) -> BodyKind:
    """The college or the vast bureau."""
    return _EXECUTIVE[entity]


@dataclass(frozen=True)
class Employment:
    """A person employed by one entity; `works_for` lists the entities served (beheersovereenkomst)."""

    employment_id: uuid.UUID
    person_id: str
    person_name: str
    entity: LegalEntity
    position: str
    unit_code: str | None
    grade: str
    statutory: bool
    start_date: dt.date
    end_date: dt.date | None = None
    decision_id: uuid.UUID | None = None
    works_for: tuple[LegalEntity, ...] = ()

    def runs_on(self, day: dt.date) -> bool:
        """Started and not ended on `day` (the end date is the last day)."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def holds(self, position: str, entity: LegalEntity, day: dt.date) -> bool:
        """Holds `position` for `entity` on `day`: with its employer, or at the OCMW by right."""
        if self.position != position or not self.runs_on(day):
            return False
        return self.entity is entity or (
            entity is LegalEntity.OCMW and self.entity is LegalEntity.GEMEENTE and position in POSTS_BY_RIGHT
        )


def works_for_of(entity: LegalEntity, position: str, listed: Iterable[LegalEntity] = ()) -> tuple[LegalEntity, ...]:
    """The entities an employment serves: the employer first, the listed ones, the OCMW for a post by right."""
    served = [entity, *(e for e in listed if e is not entity)]
    if entity is LegalEntity.GEMEENTE and position in POSTS_BY_RIGHT and LegalEntity.OCMW not in served:
        served.append(LegalEntity.OCMW)
    return tuple(served)


def competent_body(position: str, entity: LegalEntity) -> BodyKind:
    """The council for its officers; the college (gemeente) or vast bureau (OCMW) for other staff."""
    return _COUNCIL[entity] if position in OFFICER_POSITIONS else _EXECUTIVE[entity]


@dataclass(frozen=True)
class AppointmentPolicy:
    """Whether an appointment or dismissal must come from a secret ballot.

    Decisions about persons are taken by secret ballot (DOMAIN §3; art. 34 Decreet lokaal bestuur,
    reference §2.1, whose exact enumeration is [K], hence configurable).
    """

    require_secret_ballot: bool = True


def personal(confidentiality: Confidentiality) -> Confidentiality:
    """What hr publishes about a person is never public: closed, or social for BCSD matters."""
    return Confidentiality.SOCIAL if confidentiality is Confidentiality.SOCIAL else Confidentiality.CLOSED


def appointment_refusal(  # noqa: PLR0911 - one early answer per rule, each with its own reason
    cmd: AppointOrDismiss, employments: Iterable[Employment], policy: AppointmentPolicy
) -> Refusal | None:
    """Why hr cannot apply an adopted appointment or dismissal, or `None` when it can."""
    decision, details = cmd.decision, cmd.details
    if details is None:
        return Refusal("missing_details", "the decision does not say who is appointed or dismissed")
    if details.position in POSTS_BY_RIGHT and (details.entity is LegalEntity.OCMW or decision.body in _OCMW_BODIES):
        return Refusal(
            "post_held_by_right",
            f"the gemeente's {details.position} is the OCMW's {details.position} by right: "
            "the gemeenteraad appoints and dismisses them, the RMW does not",
        )
    competent = competent_body(details.position, details.entity)
    if decision.body is not competent:
        return Refusal(
            "body_not_competent",
            f"{details.position} of the {details.entity.value} is appointed and dismissed by the "
            f"{competent.value}, not the {decision.body.value}",
        )
    if policy.require_secret_ballot and not decision.secret_ballot:
        return Refusal("not_secret_ballot", "decisions about persons are taken by secret ballot")
    running = [e for e in employments if e.person_id == details.person_id and e.entity is details.entity]
    on = details.start_date
    if decision.kind is DecisionKind.APPOINTMENT:
        if any(e.runs_on(on) and e.position == details.position for e in running):
            return Refusal("already_employed", f"{details.person_id} already holds {details.position} on {on}")
    elif not any(e.runs_on(on) for e in running):
        return Refusal(
            "no_employment", f"{details.person_id} has no running employment with the {details.entity.value}"
        )
    return None


def employment_from(details: AppointmentDetails, decision_id: uuid.UUID, new_id: uuid.UUID) -> Employment:
    """The employment an applied appointment creates (serving the OCMW too for a post held there by right)."""
    return Employment(
        employment_id=new_id,
        person_id=details.person_id,
        person_name=details.person_name,
        entity=details.entity,
        position=details.position,
        unit_code=details.unit_code,
        grade=details.grade,
        statutory=details.statutory,
        start_date=details.start_date,
        decision_id=decision_id,
        works_for=works_for_of(details.entity, details.position),
    )


def employment_to_end(details: AppointmentDetails, employments: Iterable[Employment]) -> Employment:
    """The employment a dismissal ends on the details' start date (its last day); the others run on.

    The running one with the entity, that position first, then the oldest; the dismissal was
    checked by `appointment_refusal`, so one runs.
    """
    running = [e for e in employments if e.entity is details.entity and e.runs_on(details.start_date)]
    ended = sorted(running, key=lambda e: (e.position != details.position, e.start_date))[0]
    return dataclasses.replace(ended, end_date=details.start_date)


def service_after(employments: Iterable[Employment]) -> tuple[bool, dt.date | None]:
    """A person's service as their employments (one just ended) leave it.

    `(True, None)` while an employment runs on without end; else `(False, last day)`: the latest end
    date, from which the person is no longer in service.
    """
    ends = [e.end_date for e in employments]
    if any(end is None for end in ends):
        return True, None
    return False, max((end for end in ends if end is not None), default=None)


# -- union consultation (BOC) --------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationPolicy:
    """The BOC invitation term and the days that are not working days (DOMAIN §6, reference §4.3)."""

    min_working_days: int = 10
    """At least 10 working days between invitation and meeting (art. 27 KB 28 September 1984)."""
    holidays: frozenset[dt.date] = frozenset()
    """Public holidays to skip besides weekends: none by default, a deployment names its own."""


def working_days_between(start: dt.date, end: dt.date, holidays: frozenset[dt.date] = frozenset()) -> int:
    """Working days after `start` up to and including `end` (the day of sending does not count)."""
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days += 1
    return days


@dataclass(frozen=True)
class ConsultationFile:
    """A union consultation file for a change of staff rules."""

    consultation_id: uuid.UUID
    topic: str
    entity: LegalEntity
    invitation_sent_on: dt.date
    meeting_on: dt.date
    protocol_reference: str | None = None
    concluded_on: dt.date | None = None

    @property
    def concluded(self) -> bool:
        """Whether the protocol is recorded."""
        return self.protocol_reference is not None


def open_consultation(
    *,
    consultation_id: uuid.UUID,
    topic: str,
    entity: LegalEntity,
    invitation_sent_on: dt.date,
    meeting_on: dt.date,
    policy: ConsultationPolicy,
) -> ConsultationFile:
    """A new file; the invitation must leave the legal number of working days."""
    days = working_days_between(invitation_sent_on, meeting_on, policy.holidays)
    if days < policy.min_working_days:
        raise RuleViolation(
            "invitation_too_late",
            f"the invitation leaves {days} working days before the meeting; at least {policy.min_working_days} needed",
        )
    return ConsultationFile(consultation_id, topic, entity, invitation_sent_on, meeting_on)


def staff_rules_basis(consultation_id: uuid.UUID | None, file: ConsultationFile | None) -> ConsultationFile | Refusal:
    """The concluded consultation a change of staff rules stands on, or why there is none.

    `file` is the consultation `consultation_id` names, None when there is no such file.
    """
    if consultation_id is None:
        return Refusal("consultation_missing", "staff rules change without a union consultation (BOC)")
    if file is None:
        return Refusal("unknown_consultation", f"no consultation {consultation_id}")
    if not file.concluded:
        return Refusal("consultation_not_concluded", f"consultation {file.consultation_id} has no protocol yet")
    return file


def conclude_consultation(file: ConsultationFile, protocol_reference: str, concluded_on: dt.date) -> ConsultationFile:
    """Record the protocol of the meeting."""
    if file.concluded:
        raise RuleViolation("already_concluded", f"consultation {file.consultation_id} has its protocol")
    if not protocol_reference.strip():
        raise RuleViolation("protocol_required", "name the protocol of the meeting")
    if concluded_on < file.meeting_on:
        raise RuleViolation("concluded_before_meeting", f"the BOC meets on {file.meeting_on}")
    return dataclasses.replace(file, protocol_reference=protocol_reference.strip(), concluded_on=concluded_on)


# -- evaluations ------------------------------------------------------------------------------------

EVALUATION_RESULTS = frozenset({"positive", "to_improve", "negative"})


@dataclass(frozen=True)
class Evaluation:
    """An evaluation of a staff member for a period: open, then concluded with a result."""

    evaluation_id: uuid.UUID
    person_id: str
    entity: LegalEntity
    evaluator_person_id: str
    period: str
    state: str = "open"
    result: str | None = None
    note: str = ""


def open_evaluation(
    *,
    evaluation_id: uuid.UUID,
    person_id: str,
    entity: LegalEntity,
    evaluator_person_id: str,
    period: str,
    employments: Iterable[Employment],
    on: dt.date,
) -> Evaluation:
    """A new evaluation of someone in service with `entity` on `on`, by someone else."""
    if evaluator_person_id == person_id:
        raise RuleViolation("self_evaluation", "nobody evaluates themselves")
    if not any(e.person_id == person_id and e.entity is entity and e.runs_on(on) for e in employments):
        raise RuleViolation("not_in_service", f"{person_id} has no running employment with the {entity.value}")
    return Evaluation(evaluation_id, person_id, entity, evaluator_person_id, period)


def conclude_evaluation(evaluation: Evaluation, result: str, note: str) -> Evaluation:
    """The result of an open evaluation."""
    if evaluation.state != "open":
        raise RuleViolation("evaluation_closed", f"evaluation {evaluation.evaluation_id} is concluded")
    if result not in EVALUATION_RESULTS:
        raise RuleViolation("unknown_result", f"result is one of {', '.join(sorted(EVALUATION_RESULTS))}")
    return dataclasses.replace(evaluation, state="concluded", result=result, note=note)
