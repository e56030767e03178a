"""HR effects of adopted decisions, and staff members."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from shared.vocabulary import AppointmentDetails, DecisionKind, LegalEntity

__all__ = ["EffectStatus", "HrEffect", "StaffMember", "Statute", "member_from", "staff_from_demo"]


class EffectStatus(StrEnum):
    PENDING_DETAILS = "pending_details"
    """Recorded from the decision; the person, position and start date are not known yet."""
    APPLIED = "applied"
    REFUSED = "refused"
    """Not applied: the deciding body is not competent, details are missing, ..."""
    FLAGGED = "flagged"
    """Recorded, but irregular (e.g. staff rules without a concluded union consultation)."""


class Statute(StrEnum):
    """Statutory (vastbenoemd) or contractual staff; discipline applies to statutory staff only."""

    STATUTORY = "statutory"
    CONTRACTUAL = "contractual"


@dataclass(frozen=True)
class HrEffect:
    """What an adopted decision asks of HR; one per decision."""

    effect_id: uuid.UUID
    decision_id: uuid.UUID
    kind: DecisionKind
    entity: LegalEntity
    title: str
    recorded_at: dt.datetime
    status: EffectStatus = EffectStatus.PENDING_DETAILS
    reason: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class StaffMember:
    """A person employed by the gemeente or the OCMW (who may work for both)."""

    person_id: str
    name: str
    grade: str
    entity: LegalEntity
    statute: Statute
    role: str


def member_from(details: AppointmentDetails) -> StaffMember:
    """The staff member an applied appointment makes (or brings up to date): role = the position."""
    return StaffMember(
        person_id=details.person_id,
        name=details.person_name,
        grade=details.grade,
        entity=details.entity,
        statute=Statute.STATUTORY if details.statutory else Statute.CONTRACTUAL,
        role=details.position,
    )


def staff_from_demo(data: Mapping[str, object]) -> list[StaffMember]:
    """The `persons` of the demo municipality file; a bad entry is named in the error."""
    persons = data.get("persons")
    if not isinstance(persons, list):
        raise ValueError("the demo file has no `persons` list")
    staff: list[StaffMember] = []
    for index, person in enumerate(persons):
        if not isinstance(person, Mapping):
            raise ValueError(f"persons[{index}] is not a mapping")
        try:
            staff.append(
                StaffMember(
                    person_id=_required(person, "id"),
                    name=_required(person, "name"),
                    grade=_required(person, "grade"),
                    entity=LegalEntity(_required(person, "entity")),
                    statute=Statute(_required(person, "statute")),
                    role=_required(person, "role"),
                )
            )
        except ValueError as exc:
            raise ValueError(f"persons[{index}] ({person.get('id', '?')}): {exc}") from exc
    ids = [s.person_id for s in staff]
    if len(set(ids)) != len(ids):
        raise ValueError("person ids in the demo file must be unique")
    return staff


def _required(person: Mapping[str, object], key: str) -> str:
    value = person.get(key)
    if value is None or str(value).strip() == "":
        raise ValueError(f"`{key}` is missing")
    return str(value)
