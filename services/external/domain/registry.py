"""The registry of external and autonomous entities and the representatives the councils designate there."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from shared.kbo import kbo_check_digits_valid, valid_kbo_format
from shared.kernel import RuleViolation
from shared.vocabulary import (
    WITHOUT_LEGAL_PERSONALITY,
    BodyKind,
    Involvement,
    LegalEntity,
    LegalForm,
)

__all__ = [
    "DESIGNATING_BODIES",
    "ExternalEntity",
    "ManagementAgreement",
    "Representation",
    "check_kbo",
    "kbo_check_digits_valid",
    "management_agreement",
    "register",
    "representation_from",
    "valid_kbo_format",
]


#: The councils that designate representatives: the gemeenteraad for the gemeente, the RMW for the OCMW
#: (reference §5: "the GR appoints the representatives"; the RMW founds and joins OCMW associations).
DESIGNATING_BODIES = {
    BodyKind.GEMEENTERAAD: LegalEntity.GEMEENTE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: LegalEntity.OCMW,
}


def check_kbo(kbo: str | None, form: LegalForm) -> None:
    """A legal person has a valid KBO number; an association without legal personality has none."""
    if kbo is None:
        if form not in WITHOUT_LEGAL_PERSONALITY:
            raise RuleViolation("kbo_required", f"a {form.value} is a legal person with a KBO number")
        return
    if form in WITHOUT_LEGAL_PERSONALITY:
        raise RuleViolation("kbo_not_allowed", f"a {form.value} has no legal personality and no KBO number")
    if not valid_kbo_format(kbo):
        raise RuleViolation("invalid_kbo", f"{kbo!r} is not written dddd.ddd.ddd starting with 0 or 1")
    if not kbo_check_digits_valid(kbo):
        raise RuleViolation("invalid_kbo", f"{kbo} fails the modulo-97 check digits")


@dataclass(frozen=True)
class ExternalEntity:
    """An entity outside the gemeente and OCMW, with how the municipality is involved in it."""

    entity_id: uuid.UUID
    code: str
    """The registry's short key, which designation decisions name."""
    name: str
    legal_form: LegalForm
    kbo: str | None
    involvements: frozenset[Involvement]
    municipal_entity: LegalEntity
    """Which of the two is involved: the gemeente, or the OCMW (OCMW associations)."""
    registered_at: dt.datetime


def register(
    *,
    entity_id: uuid.UUID,
    code: str,
    name: str,
    legal_form: LegalForm,
    kbo: str | None,
    involvements: frozenset[Involvement],
    municipal_entity: LegalEntity,
    now: dt.datetime,
) -> ExternalEntity:
    """A new registry entry: a valid KBO number, at least one involvement, OCMW associations the OCMW's."""
    check_kbo(kbo, legal_form)
    if not involvements:
        raise RuleViolation("involvement_required", "say how the municipality is involved in the entity")
    if legal_form is LegalForm.OCMW_VERENIGING and municipal_entity is not LegalEntity.OCMW:
        raise RuleViolation(
            "ocmw_association_of_ocmw", "the OCMW, not the gemeente, founds or joins an OCMW association"
        )
    if not code.strip() or not name.strip():
        raise RuleViolation("name_required", "an external entity has a code and a name")
    return ExternalEntity(
        entity_id=entity_id,
        code=code.strip(),
        name=name.strip(),
        legal_form=legal_form,
        kbo=kbo,
        involvements=involvements,
        municipal_entity=municipal_entity,
        registered_at=now,
    )


@dataclass(frozen=True)
class Representation:
    """A person designated by a council decision to sit in an external entity, for a term."""

    representation_id: uuid.UUID
    entity_id: uuid.UUID
    person_id: str
    person_name: str
    role: str
    decision_id: uuid.UUID
    """The council's designation decision (secret ballot)."""
    term_start: dt.date
    term_end: dt.date | None = None
    """Last day of the term; None until replaced."""
    replaces_person_id: str | None = None
    ended_on: dt.date | None = None
    """Last day the person represented the municipality, when it ended before the term did (replacement)."""

    def sits_on(self, day: dt.date) -> bool:
        """Whether the person represents the municipality on `day`."""
        last = min((d for d in (self.term_end, self.ended_on) if d is not None), default=None)
        return self.term_start <= day and (last is None or day <= last)

    def replaced_from(self, start: dt.date) -> Representation:
        """A successor starts on `start`: this representation ends the day before (never after its term)."""
        last = start - dt.timedelta(days=1)
        if self.term_end is not None and self.term_end < last:
            last = self.term_end
        return replace(self, ended_on=max(last, self.term_start))


def representation_from(
    *,
    representation_id: uuid.UUID,
    entity: ExternalEntity,
    body: BodyKind,
    decision_entity: LegalEntity,
    decision_id: uuid.UUID,
    person_id: str,
    person_name: str,
    role: str,
    term_start: dt.date,
    term_end: dt.date | None,
    replaces_person_id: str | None,
) -> Representation:
    """The representation an adopted designation decision creates.

    Only the council of the entity that is involved designates: the gemeenteraad for the gemeente's
    entities, the RMW for the OCMW's.
    """
    if DESIGNATING_BODIES.get(body) is not decision_entity:
        raise RuleViolation(
            "designation_not_council", f"the {body.value} does not designate representatives in external entities"
        )
    if decision_entity is not entity.municipal_entity:
        raise RuleViolation(
            "designation_of_other_entity",
            f"{entity.code} is the {entity.municipal_entity.value}'s; its council designates there",
        )
    if term_end is not None and term_end < term_start:
        raise RuleViolation("term_ends_before_start", "a representative's term ends on or after its start")
    if replaces_person_id == person_id:
        raise RuleViolation("replaces_self", f"{person_id} cannot replace themselves")
    return Representation(
        representation_id=representation_id,
        entity_id=entity.entity_id,
        person_id=person_id,
        person_name=person_name,
        role=role,
        decision_id=decision_id,
        term_start=term_start,
        term_end=term_end,
        replaces_person_id=replaces_person_id,
    )


@dataclass(frozen=True)
class ManagementAgreement:
    """A beheersovereenkomst the council approved with an entity, and when the entity reports under it."""

    agreement_id: uuid.UUID
    entity_id: uuid.UUID
    title: str
    decision_id: uuid.UUID
    """The council's approving decision (a non-delegable power, DLB art. 41)."""
    valid_from: dt.date
    valid_until: dt.date | None
    report_due_dates: tuple[dt.date, ...]


def management_agreement(
    *,
    agreement_id: uuid.UUID,
    entity: ExternalEntity,
    title: str,
    decision_id: uuid.UUID,
    valid_from: dt.date,
    valid_until: dt.date | None,
    report_due_dates: tuple[dt.date, ...],
) -> ManagementAgreement:
    """An agreement whose reports fall within its validity, each date once, in order."""
    if valid_until is not None and valid_until < valid_from:
        raise RuleViolation("term_ends_before_start", "a management agreement ends on or after its start")
    dates = tuple(sorted(set(report_due_dates)))
    outside = [d for d in dates if d < valid_from or (valid_until is not None and d > valid_until)]
    if outside:
        raise RuleViolation(
            "report_outside_agreement", f"reports due {', '.join(map(str, outside))} fall outside the agreement"
        )
    if not title.strip():
        raise RuleViolation("name_required", "a management agreement has a title")
    return ManagementAgreement(
        agreement_id=agreement_id,
        entity_id=entity.entity_id,
        title=title.strip(),
        decision_id=decision_id,
        valid_from=valid_from,
        valid_until=valid_until,
        report_due_dates=dates,
    )
