"""The organogram, owner resolution and follow-up tasks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from services.organisation.domain.policy import TaskPolicy
from shared.kbo import kbo_check_digits_valid, valid_kbo_format
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality, FollowUpAction, FollowUpKind, LegalEntity

__all__ = [
    "ORGANOGRAM_BODIES",
    "OWNER_POWERS",
    "Delegate",
    "FollowUpTask",
    "Organogram",
    "Person",
    "TaskStatus",
    "Unit",
    "check_tree",
    "draft_to_adopt",
    "escalation_target",
    "kbo_check_digits_valid",
    "plan_tasks",
    "resolve_owner",
    "valid_kbo_format",
]


@dataclass(frozen=True)
class Person:
    """Someone who can own tasks while in service."""

    person_id: str
    name: str
    active: bool = True
    """False when the person is taken out of the service by hand."""
    inactive_from: dt.date | None = None
    """The first day the person is no longer in service: the day after their last employment ends (hr)."""

    def active_on(self, day: dt.date) -> bool:
        """In service on `day`: an end announced for a later day takes effect when that day comes."""
        return self.active and (self.inactive_from is None or day < self.inactive_from)


@dataclass(frozen=True)
class Unit:
    """An organogram unit; units span both entities."""

    code: str
    name: str
    parent: str | None
    head: str | None
    management_team: bool = False


@dataclass(frozen=True)
class Organogram:
    """The units and the people heading them, in one version valid from `valid_from`."""

    units: Mapping[str, Unit]
    persons: Mapping[str, Person]
    root: str = "MT"
    version: int = 0
    valid_from: dt.date | None = None
    draft: bool = False
    """A draft awaits adoption by the council; several may wait side by side."""


#: The bodies that adopt the organogram: the councils (Decreet lokaal bestuur art. 161).
ORGANOGRAM_BODIES = frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN})


def draft_to_adopt(version: int | None, drafts: Sequence[int], *, exists: bool) -> int:
    """The draft a decision (or `apply_organogram`) adopts: the one it names, else the only one waiting.

    `drafts` are the versions awaiting adoption; `exists` says whether `version` is a version at all.
    """
    if version is None:
        if not drafts:
            raise RuleViolation("no_organogram_draft", "no draft organogram awaits adoption")
        if len(drafts) > 1:
            waiting = ", ".join(str(d) for d in drafts)
            raise RuleViolation("organogram_version_required", f"drafts {waiting} wait: name the version adopted")
        return drafts[0]
    if version in drafts:
        return version
    if exists:
        raise RuleViolation("organogram_not_draft", f"organogram version {version} was applied already")
    raise RuleViolation("unknown_organogram_version", f"no organogram version {version}")


def check_tree(units: Sequence[Unit]) -> None:
    """An organogram is one tree: unique codes, one root, known parents, no cycles."""
    codes = [u.code for u in units]
    if len(set(codes)) != len(codes):
        raise RuleViolation("duplicate_unit", "each unit code appears once")
    roots = [u.code for u in units if u.parent is None]
    if len(roots) != 1:
        raise RuleViolation("one_root_required", f"exactly one unit has no parent (found {roots or 'none'})")
    unknown = [u.parent for u in units if u.parent is not None and u.parent not in codes]
    if unknown:
        raise RuleViolation("unknown_parent", f"parent units not in the organogram: {', '.join(sorted(unknown))}")
    parents = {u.code: u.parent for u in units}
    for code in codes:
        seen: set[str] = set()
        current: str | None = code
        while current is not None:
            if current in seen:
                raise RuleViolation("cyclic_organogram", f"unit {code} is its own ancestor")
            seen.add(current)
            current = parents[current]


def _unknown_unit(code: str) -> RuleViolation:
    return RuleViolation("unknown_unit", f"unit {code!r} is not in the organogram")


def _headless(code: str) -> RuleViolation:
    return RuleViolation("unknown_unit", f"no head found above unit {code!r}")


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
    escalation_level: int = 0
    last_escalated_on: dt.date | None = None
    claimed_by: str | None = None
    completed_by: str | None = None
    completed_at: dt.datetime | None = None
    cancel_reason: str | None = None
    delegation_id: uuid.UUID | None = None
    """Set when the owner holds the task as the delegate of the unit's head."""
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    """The decision's: events about the task carry it."""
    district: str | None = None
    """The district the decision concerns, if any: the task is assigned to it."""

    @property
    def closed(self) -> bool:
        """Done or cancelled: nothing can change it any more."""
        return self.status in {TaskStatus.DONE, TaskStatus.CANCELLED}


def plan_tasks(
    *,
    decision_id: uuid.UUID,
    entity: LegalEntity,
    actions: tuple[FollowUpAction, ...],
    decided_at: dt.datetime,
    organogram: Organogram,
    policy: TaskPolicy,
    now: dt.datetime,
    delegates: Sequence[Delegate] = (),
    confidentiality: Confidentiality = Confidentiality.PUBLIC,
    district: str | None = None,
) -> list[FollowUpTask]:
    """One open task per action, owned by the unit's head or the head's active delegate.

    Who is in service is judged on the later of the decision's day and today: a decision that
    arrives after someone left gives them nothing. An action naming a unit the organogram does not
    have is refused (`unknown_unit`).
    """
    tasks = []
    for action in actions:
        owner, unit_code, delegation_id = resolve_owner(
            organogram,
            action.unit_code,
            entity=entity,
            kind=action.kind,
            on=decided_at.date(),
            delegates=delegates,
            in_service_on=max(decided_at.date(), now.date()),
        )
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
                delegation_id=delegation_id,
                confidentiality=confidentiality,
                district=district,
            )
        )
    return tasks


@dataclass(frozen=True)
class Delegate:
    """A person-to-person delegation known from hr: the delegate may own the grantor's tasks."""

    delegation_id: uuid.UUID
    from_person_id: str
    to_person_id: str
    power: str
    entity: LegalEntity
    valid_from: dt.date
    valid_until: dt.date | None = None
    revoked_on: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        """Started, not expired and not revoked on `day`."""
        if day < self.valid_from:
            return False
        if self.valid_until is not None and day > self.valid_until:
            return False
        return self.revoked_on is None or day < self.revoked_on


#: Which delegated power makes the delegate the owner of a task of that kind (a configurable policy).
OWNER_POWERS: Mapping[FollowUpKind, str] = {
    FollowUpKind.EXECUTE: "decide",
    FollowUpKind.NOTIFY: "decide",
    FollowUpKind.REPORT: "decide",
    FollowUpKind.PUBLISH: "decide",
    FollowUpKind.SIGN: "sign",
}


def resolve_owner(
    organogram: Organogram,
    unit_code: str | None,
    *,
    entity: LegalEntity,
    kind: FollowUpKind,
    on: dt.date,
    delegates: Sequence[Delegate] = (),
    powers: Mapping[FollowUpKind, str] = OWNER_POWERS,
    in_service_on: dt.date | None = None,
) -> tuple[Person, str, uuid.UUID | None]:
    """Unit → its head → the head's delegate; a unit without an active head goes to its parent.

    A delegate counts when the head delegated the power that fits the task kind, for the task's
    entity, and the delegation runs on `on`; the most recent such delegation wins. Heads and
    delegates count while in service on `in_service_on` (default `on`).
    """
    code = unit_code or organogram.root
    if code not in organogram.units:
        raise _unknown_unit(code)
    present = in_service_on or on
    for unit in _ancestry(organogram, code):
        head = organogram.persons.get(unit.head or "")
        if head is None or not head.active_on(present):
            continue
        candidates = [
            d
            for d in delegates
            if d.from_person_id == head.person_id
            and d.power == powers.get(kind, "decide")
            and d.entity is entity
            and d.active_on(on)
            and organogram.persons.get(d.to_person_id, Person("", "", active=False)).active_on(present)
        ]
        if candidates:
            chosen = max(candidates, key=lambda d: (d.valid_from, str(d.delegation_id)))
            return organogram.persons[chosen.to_person_id], code, chosen.delegation_id
        return head, code, None
    raise _headless(code)


def _ancestry(organogram: Organogram, code: str) -> list[Unit]:
    """The unit and its parents up to the root (a cycle stops the walk)."""
    chain: list[Unit] = []
    seen: set[str] = set()
    current: str | None = code
    while current is not None and current not in seen and current in organogram.units:
        seen.add(current)
        chain.append(organogram.units[current])
        current = organogram.units[current].parent
    return chain


def escalation_target(organogram: Organogram, task: FollowUpTask, on: dt.date) -> Person | None:
    """The next level above the task's owner: the first head in service on `on` above the task's unit
    who is not the owner.

    Walks the parents of the task's unit, so the chain ends with the management team's head, the
    algemeen directeur; `None` when the owner is already at the top.
    """
    chain = _ancestry(organogram, task.unit_code) if task.unit_code in organogram.units else []
    heads = [organogram.persons.get(u.head or "") for u in chain]
    active = [p for p in heads if p is not None and p.active_on(on)]
    ids = [p.person_id for p in active]
    # Start above the level the owner sits at (or above the unit itself for a delegate or a head).
    start = ids.index(task.owner_person_id) + 1 if task.owner_person_id in ids else 1
    for person in active[start:]:
        if person.person_id != task.owner_person_id:
            return person
    return None
