"""Inbox entries: what a person is told, once per thing it is about; and who sits in the councils.

The councils' members are a small read model of organisation's mandates (`Seat`): whoever holds a
voting seat of the gemeenteraad (for the gemeente) or the raad voor maatschappelijk welzijn (for
the OCMW, the same persons) on a day, not prevented, is told what the council must hear.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from services.notifications.domain.commands import InformCouncil, NotifyTaskOwner
from shared.vocabulary import BodyKind, LegalEntity, MandateStatus

__all__ = [
    "COUNCIL_OF",
    "CouncilNotKnown",
    "InboxEntry",
    "Seat",
    "council_members",
    "council_to_inform",
    "entry_for_overruling",
    "entry_for_task",
]

#: The council that must hear of what concerns an entity.
COUNCIL_OF = {LegalEntity.GEMEENTE: BodyKind.GEMEENTERAAD, LegalEntity.OCMW: BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}


@dataclass(frozen=True)
class InboxEntry:
    """A message in a person's inbox; `about` names what it points at (one entry per thing)."""

    entry_id: uuid.UUID
    person_id: str
    title: str
    about: str
    created_at: dt.datetime
    read_at: dt.datetime | None = None


@dataclass(frozen=True)
class Seat:
    """One council seat as organisation announced it."""

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None = None

    def sits_on(self, day: dt.date) -> bool:
        """Held on `day`, with a vote, and not prevented (an acting member sits in place of a prevented one)."""
        held = self.start <= day and (self.end is None or day <= self.end)
        return held and self.voting and self.status is not MandateStatus.PREVENTED


class CouncilNotKnown(Exception):
    """No sitting member of the entity's council is known on the day.

    The seats come from organisation's mandate events, on a consumer of their own: a notifications
    service that starts with a backlog may take an overruling before the mandates. A council has
    members, so telling nobody would lose the report the decree requires. Not a `RuleViolation`:
    the overruling is delivered again on the consumer's retry schedule, and dead-lettered with this
    message only if the seats never come (an operator retries it once they have).
    """

    def __init__(self, entity: LegalEntity, day: dt.date) -> None:
        super().__init__(f"no sitting member of the {COUNCIL_OF[entity].value} is known on {day.isoformat()} yet")


def council_members(seats: Iterable[Seat], entity: LegalEntity, day: dt.date) -> list[str]:
    """The sitting members of the entity's council on `day`, by person id, each once."""
    council = COUNCIL_OF[entity]
    return sorted({s.person_id for s in seats if s.body is council and s.sits_on(day)})


def council_to_inform(seats: Iterable[Seat], entity: LegalEntity, day: dt.date) -> list[str]:
    """The members to tell of what concerns the entity's council; `CouncilNotKnown` when none is known."""
    members = council_members(seats, entity, day)
    if not members:
        raise CouncilNotKnown(entity, day)
    return members


def entry_for_task(task: NotifyTaskOwner, entry_id: uuid.UUID, now: dt.datetime) -> InboxEntry:
    """Tell a task's owner about it, with its deadline."""
    return InboxEntry(
        entry_id=entry_id,
        person_id=task.owner_person_id,
        title=f"New task: {task.title} (due {task.due_date.isoformat()})",
        about=f"task:{task.task_id}",
        created_at=now,
    )


def entry_for_overruling(
    person_id: str, overruling: InformCouncil, entry_id: uuid.UUID, now: dt.datetime
) -> InboxEntry:
    """Tell a council member that the executive overruled the financial director's refused visum."""
    executive = "college" if overruling.body is BodyKind.COLLEGE else "vast bureau"
    return InboxEntry(
        entry_id=entry_id,
        person_id=person_id,
        title=(
            f"The {executive} overruled the financial director's refused visum: {overruling.amount:.2f} EUR"
            f" ({overruling.entity.value}, {overruling.overruled_at.date().isoformat()})"
        ),
        about=f"overruling:{overruling.overruling_id}",
        created_at=now,
    )
