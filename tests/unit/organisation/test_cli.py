"""`rw tasks` and `rw staff` render what the services answer."""

from __future__ import annotations

import datetime as dt
import uuid

from rich.console import Console

from cli.staff import staff_table
from cli.tasks import task_table
from shared.contracts.organisation import TaskLine, TaskStatus
from shared.vocabulary import FollowUpKind, LegalEntity


def _text(renderable: object) -> str:
    console = Console(record=True, width=240)
    console.print(renderable)
    return console.export_text()


def test_tasks_show_owner_unit_status_and_level() -> None:
    task = TaskLine(
        task_id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        action_id="a",
        kind=FollowUpKind.EXECUTE,
        title="Contract opmaken [fase 2]",
        entity=LegalEntity.OCMW,
        unit_code="RUIMTE",
        owner_person_id="p-ad",
        owner_name="An De Smet",
        due_date=dt.date(2026, 12, 1),
        status=TaskStatus.OVERDUE,
        escalation_level=1,
        claimed_by=None,
        delegation_id=None,
    )
    text = _text(task_table([task], "tasks — person p-ad"))
    row = next(line for line in text.splitlines() if "Contract opmaken [fase 2]" in line)
    for part in ("2026-12-01", "overdue", "An De Smet (p-ad)", "RUIMTE", "ocmw", "execute", " 1 ", str(task.task_id)):
        assert part in row


def test_staff_show_employments_and_delegations() -> None:
    member = {
        "person_id": "p-secr",
        "name": "Fien Wouters",
        "role": "deskundige",
        "grade": "B1",
        "employments": [
            {
                "entity": "ocmw",
                "position": "deskundige",
                "grade": "B1",
                "statutory": False,
                "unit_code": "SECR",
                "end_date": None,
                "works_for": ["ocmw", "gemeente"],
            }
        ],
        "delegations": [
            {
                "power": "budget_holder",
                "entity": "ocmw",
                "from": "p-ad",
                "state": "revoked",
                "budget_scope": {"entity": "ocmw", "max_amount": "500.00"},
            }
        ],
    }
    text = _text(staff_table([member]))
    assert "ocmw deskundige B1 contractual unit SECR (works for ocmw+gemeente)" in text
    assert "budget_holder ocmw ≤ €500.00 from p-ad (revoked)" in text
