"""Bodies and mandates: a person's seat in a body, with parallel seats linked (DOMAIN §2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, LegalEntity, MandateRole, MandateStatus

__all__ = [
    "BODY_ENTITY",
    "PARALLEL_BODY",
    "Mandate",
    "change_status",
    "end_mandate",
    "linked_status",
    "mandate_id_for",
    "parallel_role",
    "start_mandates",
]

BODY_ENTITY: Mapping[BodyKind, LegalEntity] = {
    BodyKind.GEMEENTERAAD: LegalEntity.GEMEENTE,
    BodyKind.COLLEGE: LegalEntity.GEMEENTE,
    BodyKind.DISTRICTSRAAD: LegalEntity.GEMEENTE,
    BodyKind.DISTRICTSCOLLEGE: LegalEntity.GEMEENTE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: LegalEntity.OCMW,
    BodyKind.VAST_BUREAU: LegalEntity.OCMW,
    BodyKind.BCSD: LegalEntity.OCMW,
    # One management team for both entities (DOMAIN §1): its seats are filed under the gemeente.
    BodyKind.MANAGEMENTTEAM: LegalEntity.GEMEENTE,
}

#: The OCMW body whose seats follow a gemeente seat by right (members of the council sit in the
#: RMW; the college is the vast bureau).
PARALLEL_BODY: Mapping[BodyKind, BodyKind] = {
    BodyKind.GEMEENTERAAD: BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN,
    BodyKind.COLLEGE: BodyKind.VAST_BUREAU,
}

_NAMESPACE = uuid.UUID("5d3c8f0e-7a43-4a55-9f57-0f2d7d1c6a10")


def mandate_id_for(legislature: str, body: BodyKind, person_id: str, role: MandateRole) -> uuid.UUID:
    """A stable id for a seeded mandate, so loading the demo twice starts nothing twice."""
    return uuid.uuid5(_NAMESPACE, f"{legislature}|{body.value}|{person_id}|{role.value}")


def parallel_role(role: MandateRole, body: BodyKind) -> MandateRole:
    """The seat in the parallel body: the burgemeester chairs the vast bureau."""
    if body is BodyKind.VAST_BUREAU and role is MandateRole.MAYOR:
        return MandateRole.CHAIR
    return role


@dataclass(frozen=True)
class Mandate:
    """A person's seat in one body; a parallel seat is a separate mandate, linked."""

    mandate_id: uuid.UUID
    person_id: str
    person_name: str
    body: BodyKind
    entity: LegalEntity
    role: MandateRole
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None = None
    linked_mandate_id: uuid.UUID | None = None
    end_reason: str = ""
    status_since: dt.date | None = None
    group: str | None = None
    """The council group (fractie) of a council or RMW member."""

    def runs_on(self, day: dt.date) -> bool:
        """Started and not ended on `day` (the end date is the last day)."""
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        """Whether [start, end] meets this mandate's period."""
        return (end is None or self.start <= end) and (self.end is None or start <= self.end)


def start_mandates(
    *,
    person_id: str,
    person_name: str,
    body: BodyKind,
    role: MandateRole,
    status: MandateStatus,
    voting: bool,
    start: dt.date,
    end: dt.date | None,
    parallel: bool,
    existing: Iterable[Mandate],
    ids: Iterable[uuid.UUID],
) -> list[Mandate]:
    """The new mandate and, for a council or college seat, its linked OCMW seat."""
    if body not in BODY_ENTITY:
        raise RuleViolation(
            "body_without_mandates",
            f"the {body.value} has no mandates of its own: the burgemeester holds the college's mayor seat;"
            " a council committee's members are nominated in meetings",
        )
    if end is not None and end < start:
        raise RuleViolation("end_before_start", f"a mandate cannot end ({end}) before it starts ({start})")
    if status is MandateStatus.PREVENTED:
        raise RuleViolation("invalid_status", "a mandate starts effective or acting; mark it prevented afterwards")
    bodies = [body]
    if parallel and body in PARALLEL_BODY:
        bodies.append(PARALLEL_BODY[body])
    current = list(existing)
    for b in bodies:
        clash = [m for m in current if m.person_id == person_id and m.body is b and m.overlaps(start, end)]
        if clash:
            raise RuleViolation(
                "mandate_exists", f"{person_id} already holds a seat in {b.value} ({clash[0].mandate_id})"
            )
    id_iter = iter(ids)
    made = [
        Mandate(
            mandate_id=next(id_iter),
            person_id=person_id,
            person_name=person_name,
            body=b,
            entity=BODY_ENTITY[b],
            role=parallel_role(role, b),
            status=status,
            voting=voting,
            start=start,
            end=end,
            status_since=start,
        )
        for b in bodies
    ]
    if len(made) == 2:
        first, second = made
        made = [
            dataclasses.replace(first, linked_mandate_id=second.mandate_id),
            dataclasses.replace(second, linked_mandate_id=first.mandate_id),
        ]
    return made


def end_mandate(mandate: Mandate, end: dt.date, reason: str) -> Mandate:
    """The mandate's last day is `end`."""
    if mandate.end is not None and mandate.end < end:
        raise RuleViolation("mandate_ended", f"mandate {mandate.mandate_id} already ended on {mandate.end}")
    if end < mandate.start:
        raise RuleViolation("end_before_start", f"mandate {mandate.mandate_id} starts on {mandate.start}")
    return dataclasses.replace(mandate, end=end, end_reason=reason)


def change_status(mandate: Mandate, status: MandateStatus, since: dt.date) -> Mandate:
    """Effective, acting or prevented from `since`."""
    if not mandate.runs_on(since):
        raise RuleViolation("mandate_not_running", f"mandate {mandate.mandate_id} does not run on {since}")
    if mandate.status is status:
        raise RuleViolation("status_unchanged", f"mandate {mandate.mandate_id} is already {status.value}")
    return dataclasses.replace(mandate, status=status, status_since=since)


def linked_status(linked: Mandate | None, status: MandateStatus, since: dt.date) -> Mandate | None:
    """The linked seat with the status its twin took, or None when it has it already or does not run then.

    The parallel seat is held by right (the RMW's members are the council's, the vast bureau is the
    college), so it is prevented, acting or effective with its twin.
    """
    if linked is None or linked.status is status or not linked.runs_on(since):
        return None
    return dataclasses.replace(linked, status=status, status_since=since)
