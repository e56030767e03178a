"""The organogram, owner resolution and follow-up tasks."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from shared.contracts.base import LegalEntity
from shared.contracts.common import FollowUpAction, FollowUpKind

__all__ = [
    "DeadlinePolicy",
    "FollowUpTask",
    "Organogram",
    "Person",
    "TaskStatus",
    "Unit",
    "UnknownUnitError",
    "kbo_check_digits_valid",
    "plan_tasks",
    "valid_kbo_format",
]

_KBO = re.compile(r"^[01]\d{3}\.\d{3}\.\d{3}$")


def valid_kbo_format(kbo: str) -> bool:
    """`dddd.ddd.ddd`, starting with 0 or 1, as the KBO (Crossroads Bank) writes enterprise numbers."""
    return bool(_KBO.match(kbo))


def kbo_check_digits_valid(kbo: str) -> bool:
    """The last two digits equal 97 minus the first eight modulo 97."""
    digits = kbo.replace(".", "")
    return len(digits) == 10 and digits.isdigit() and 97 - int(digits[:8]) % 97 == int(digits[8:])


class UnknownUnitError(Exception):
    """A follow-up action names a unit the organogram does not have."""


@dataclass(frozen=True)
class Person:
    """Someone who can own tasks."""

    person_id: str
    name: str


@dataclass(frozen=True)
class Unit:
    """An organogram unit; units span both entities."""

    code: str
    name: str
    parent: str | None
    head: str | None


@dataclass(frozen=True)
class Organogram:
    """The units and the people heading them."""

    units: Mapping[str, Unit]
    persons: Mapping[str, Person]
    root: str = "MT"

    def resolve_owner(self, unit_code: str | None) -> tuple[Person, str]:
        """The head of the unit; else the nearest parent's head; no unit: the root's head.

        The root unit is the management team, headed by the algemeen directeur.
        """
        code = unit_code or self.root
        if code not in self.units:
            raise UnknownUnitError(f"unit {code!r} is not in the organogram")
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            seen.add(current)
            unit = self.units[current]
            if unit.head and unit.head in self.persons:
                return self.persons[unit.head], code
            current = unit.parent
        raise UnknownUnitError(f"no head found above unit {code!r}")


@dataclass(frozen=True)
class DeadlinePolicy:
    """Default terms per task kind when an action has no due date (a configurable policy)."""

    days: Mapping[FollowUpKind, int] = field(
        default_factory=lambda: {
            FollowUpKind.EXECUTE: 30,
            FollowUpKind.NOTIFY: 5,
            FollowUpKind.REPORT: 30,
            FollowUpKind.SIGN: 10,
            FollowUpKind.PUBLISH: 10,
        }
    )

    def due(self, action: FollowUpAction, decided_on: dt.date) -> dt.date:
        """The action's own due date, else the default term from the decision date."""
        return action.due_date or decided_on + dt.timedelta(days=self.days[action.kind])


class TaskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class FollowUpTask:
    """One follow-up action of an adopted decision, with its owner and deadline."""

    task_id: uuid.UUID
    decision_id: uuid.UUID
    action_id: str
    kind: FollowUpKind
    title: str
    entity: LegalEntity
    unit_code: str
    owner_person_id: str
    owner_name: str
    due_date: dt.date
    status: TaskStatus
    created_at: dt.datetime


def plan_tasks(
    *,
    decision_id: uuid.UUID,
    entity: LegalEntity,
    actions: tuple[FollowUpAction, ...],
    decided_at: dt.datetime,
    organogram: Organogram,
    policy: DeadlinePolicy,
    now: dt.datetime,
) -> list[FollowUpTask]:
    """One open task per action, owned by the responsible unit's head."""
    tasks = []
    for action in actions:
        owner, unit_code = organogram.resolve_owner(action.unit_code)
        tasks.append(
            FollowUpTask(
                task_id=uuid.uuid4(),
                decision_id=decision_id,
                action_id=action.action_id,
                kind=action.kind,
                title=action.description,
                entity=entity,
                unit_code=unit_code,
                owner_person_id=owner.person_id,
                owner_name=owner.name,
                due_date=policy.due(action, decided_at.date()),
                status=TaskStatus.OPEN,
                created_at=now,
            )
        )
    return tasks
