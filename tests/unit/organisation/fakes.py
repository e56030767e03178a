"""In-memory implementations of the organisation ports."""

from __future__ import annotations

import uuid

from services.organisation.domain.model import FollowUpTask, Organogram, Person, Unit
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
    return Organogram(units=units, persons=persons)


class FakeOrganograms:
    def __init__(self, organogram: Organogram) -> None:
        self.organogram = organogram

    async def current(self) -> Organogram:
        return self.organogram


class FakeTasks:
    def __init__(self) -> None:
        self.rows: dict[tuple[uuid.UUID, str], FollowUpTask] = {}

    async def add_if_new(self, task: FollowUpTask) -> bool:
        key = (task.decision_id, task.action_id)
        if key in self.rows:
            return False
        self.rows[key] = task
        return True

    async def list(
        self, *, decision_id: uuid.UUID | None = None, owner_person_id: str | None = None
    ) -> list[FollowUpTask]:
        return [
            t
            for t in self.rows.values()
            if (decision_id is None or t.decision_id == decision_id)
            and (owner_person_id is None or t.owner_person_id == owner_person_id)
        ]


class FakeOrganisationUnitOfWork(RecordingOutbox):
    """The organogram and tasks in memory; events recorded by `RecordingOutbox`."""

    def __init__(self, organogram: Organogram | None = None) -> None:
        super().__init__("organisation")
        self.organogram = FakeOrganograms(organogram or demo_organogram())
        self.tasks = FakeTasks()
