"""In-memory implementations of the organisation ports, kept honest by `tests/repositories/organisation.py`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence

from services.organisation.adapters.translation import outgoing
from services.organisation.domain.control import ControlRecord
from services.organisation.domain.mandates import Mandate
from services.organisation.domain.model import Delegate, FollowUpTask, Organogram, Person, TaskStatus, Unit
from services.organisation.service_layer.ports import TaskComment
from shared.vocabulary import BodyKind
from tests.unit.recording import RecordingOutbox


def demo_organogram() -> Organogram:
    """A small organogram: MT (head AD) > RUIMTE (head), SECR (no head), FIN (head)."""
    persons = {p.person_id: p for p in (Person("p-ad", "An"), Person("p-ruimte", "Chloë"), Person("p-fin", "Eline"))}
    units = {
        "MT": Unit("MT", "Managementteam", None, "p-ad"),
        "RUIMTE": Unit("RUIMTE", "Omgeving", "MT", "p-ruimte"),
        "SECR": Unit("SECR", "Secretariaat", "MT", None),
        "FIN": Unit("FIN", "Financiën", "MT", "p-fin"),
    }
    return Organogram(units=units, persons=persons, version=1, valid_from=dt.date(2025, 1, 1))


@dataclasses.dataclass
class _Version:
    status: str
    valid_from: dt.date | None
    decision_id: uuid.UUID | None
    units: list[Unit]


class FakeOrganograms:
    """Versions in a dict; `persons` is shared with the fake person repository, as the tables are."""

    def __init__(self, organogram: Organogram | None) -> None:
        self.persons: dict[str, Person] = dict(organogram.persons) if organogram else {}
        self.versions: dict[int, _Version] = {}
        if organogram is not None:
            self.versions[organogram.version or 1] = _Version(
                "applied", organogram.valid_from or dt.date(2000, 1, 1), None, list(organogram.units.values())
            )

    def _build(self, version: int) -> Organogram:
        row = self.versions[version]
        roots = [u.code for u in row.units if u.parent is None]
        return Organogram(
            units={u.code: u for u in row.units},
            persons=dict(self.persons),
            root=roots[0] if roots else "MT",
            version=version,
            valid_from=row.valid_from,
            draft=row.status == "draft",
        )

    async def at(self, on: dt.date) -> Organogram:
        applied = [
            (row.valid_from, v)
            for v, row in self.versions.items()
            if row.status == "applied" and row.valid_from is not None and row.valid_from <= on
        ]
        if not applied:
            return Organogram(units={}, persons=dict(self.persons))
        return self._build(max(applied)[1])

    async def save_draft(self, units: Sequence[Unit]) -> int:
        version = max(self.versions, default=0) + 1
        self.versions[version] = _Version("draft", None, None, list(units))
        return version

    async def apply(self, valid_from: dt.date, units: Sequence[Unit], decision_id: uuid.UUID | None) -> int:
        version = max(self.versions, default=0) + 1
        self.versions[version] = _Version("applied", valid_from, decision_id, list(units))
        return version

    async def drafts(self) -> list[int]:
        return sorted(v for v, row in self.versions.items() if row.status == "draft")

    async def version(self, version: int) -> Organogram | None:
        return self._build(version) if version in self.versions else None

    async def apply_draft(self, version: int, valid_from: dt.date, decision_id: uuid.UUID | None) -> bool:
        row = self.versions.get(version)
        if row is None or row.status != "draft":
            return False
        self.versions[version] = _Version("applied", valid_from, decision_id, row.units)
        return True

    async def applied_by(self, decision_id: uuid.UUID) -> int | None:
        return next((v for v, row in self.versions.items() if row.decision_id == decision_id), None)


class FakePersons:
    def __init__(self, organograms: FakeOrganograms) -> None:
        self._organograms = organograms

    async def get(self, person_id: str) -> Person | None:
        return self._organograms.persons.get(person_id)

    async def upsert(self, person: Person) -> None:
        self._organograms.persons[person.person_id] = person

    async def set_inactive_from(self, person_id: str, day: dt.date | None) -> None:
        person = self._organograms.persons.get(person_id)
        if person is not None:  # like an UPDATE that finds no row
            self._organograms.persons[person_id] = dataclasses.replace(person, inactive_from=day)


class FakeTasks:
    """Tasks unique per (decision, action), ordered as the SQL queries order them."""

    def __init__(self) -> None:
        self.rows: dict[tuple[uuid.UUID, str], FollowUpTask] = {}
        self.comment_rows: list[TaskComment] = []
        self.executed: dict[uuid.UUID, dt.datetime] = {}

    async def add_if_new(self, task: FollowUpTask) -> bool:
        key = (task.decision_id, task.action_id)
        if key in self.rows:
            return False
        self.rows[key] = task
        return True

    async def get(self, task_id: uuid.UUID) -> FollowUpTask | None:
        return next((t for t in self.rows.values() if t.task_id == task_id), None)

    async def save(self, task: FollowUpTask) -> None:
        key = (task.decision_id, task.action_id)
        if key in self.rows:  # like an UPDATE: an unknown task is not inserted
            self.rows[key] = task

    async def of_decision(self, decision_id: uuid.UUID) -> list[FollowUpTask]:
        return sorted((t for t in self.rows.values() if t.decision_id == decision_id), key=lambda t: t.task_id)

    async def unfinished_due_before(self, day: dt.date, limit: int = 500) -> list[FollowUpTask]:
        due = [t for t in self.rows.values() if t.due_date < day and not t.closed]
        return sorted(due, key=lambda t: (t.due_date, t.task_id))[:limit]

    async def add_comment(self, comment: TaskComment) -> None:
        self.comment_rows.append(comment)

    async def comments(self, task_id: uuid.UUID) -> list[TaskComment]:
        return sorted((c for c in self.comment_rows if c.task_id == task_id), key=lambda c: c.at)

    async def mark_executed(self, decision_id: uuid.UUID, at: dt.datetime) -> bool:
        if decision_id in self.executed:
            return False
        self.executed[decision_id] = at
        return True

    async def list(
        self,
        *,
        decision_id: uuid.UUID | None = None,
        owner_person_id: str | None = None,
        unit_code: str | None = None,
        status: TaskStatus | None = None,
    ) -> list[FollowUpTask]:
        found = [
            t
            for t in self.rows.values()
            if (decision_id is None or t.decision_id == decision_id)
            and (owner_person_id is None or t.owner_person_id == owner_person_id)
            and (unit_code is None or t.unit_code == unit_code)
            and (status is None or t.status is status)
        ]
        return sorted(found, key=lambda t: (t.due_date, t.title))[:1000]


class FakeMandates:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Mandate] = {}

    async def add_if_new(self, mandate: Mandate) -> bool:
        if mandate.mandate_id in self.rows:
            return False
        self.rows[mandate.mandate_id] = mandate
        return True

    async def get(self, mandate_id: uuid.UUID) -> Mandate | None:
        return self.rows.get(mandate_id)

    async def save(self, mandate: Mandate) -> None:
        if mandate.mandate_id in self.rows:  # like an UPDATE
            self.rows[mandate.mandate_id] = mandate

    async def list(
        self, *, body: BodyKind | None = None, person_id: str | None = None, on: dt.date | None = None
    ) -> list[Mandate]:
        found = [
            m
            for m in self.rows.values()
            if (body is None or m.body is body)
            and (person_id is None or m.person_id == person_id)
            and (on is None or m.runs_on(on))
        ]
        return sorted(found, key=lambda m: (m.body.value, m.role.value, m.person_name))


class FakeDelegates:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Delegate] = {}

    async def upsert(self, delegate: Delegate) -> None:
        known = self.rows.get(delegate.delegation_id)
        # A redelivered grant does not undo a revocation (the row keeps `revoked_on`).
        revoked_on = known.revoked_on if known is not None else None
        self.rows[delegate.delegation_id] = dataclasses.replace(delegate, revoked_on=revoked_on)

    async def revoke(self, delegation_id: uuid.UUID, on: dt.date) -> None:
        if delegation_id in self.rows:
            self.rows[delegation_id] = dataclasses.replace(self.rows[delegation_id], revoked_on=on)

    async def of_persons(self, person_ids: Sequence[str]) -> list[Delegate]:
        return [d for d in self.rows.values() if d.from_person_id in person_ids]


class FakeScans:
    def __init__(self) -> None:
        self.runs: dict[dt.date, tuple[dt.datetime, int, int]] = {}

    async def record(self, as_of: dt.date, at: dt.datetime, overdue: int, escalated: int) -> None:
        self.runs[as_of] = (at, overdue, escalated)

    async def last(self) -> dt.date | None:
        return max(self.runs, default=None)


class FakeControlRegister:
    """Internal control's records by key, as copies (the SQL register stores JSON documents)."""

    def __init__(self) -> None:
        self.records: dict[uuid.UUID, ControlRecord] = {}

    async def get(self, key: uuid.UUID, *, for_update: bool = False) -> ControlRecord | None:
        return self.records.get(key)

    async def save(self, record: ControlRecord) -> None:
        self.records[record.key] = record

    async def of_kind(self, kind: str) -> list[ControlRecord]:
        return [r for _, r in sorted(self.records.items()) if kind == r.KIND]


class FakeOrganisationUnitOfWork(RecordingOutbox):
    """The organogram, tasks, mandates and delegates in memory; events go through the translation.

    By default the demo organogram is applied (version 1); `empty()` starts with nothing, as a new
    schema does.
    """

    def __init__(self, organogram: Organogram | None = None, *, seeded: bool = True) -> None:
        super().__init__("organisation", outgoing)
        self.organogram = FakeOrganograms((organogram or demo_organogram()) if seeded else None)
        self.persons = FakePersons(self.organogram)
        self.tasks = FakeTasks()
        self.mandates = FakeMandates()
        self.delegates = FakeDelegates()
        self.scans = FakeScans()
        self.control = FakeControlRegister()

    @classmethod
    def empty(cls) -> FakeOrganisationUnitOfWork:
        """No organogram, no persons: a freshly migrated schema."""
        return cls(seeded=False)
