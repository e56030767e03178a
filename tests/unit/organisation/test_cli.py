"""`rw tasks` and `rw staff` render what the services answer."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from rich.console import Console

from cli.staff import staff_table
from cli.tasks import organogram_table, task_table
from shared.contracts.hr import DelegationLine, DelegationPower, EmploymentLine, StaffLine
from shared.contracts.organisation import GetOrganogramReply, OrganogramUnitLine, TaskLine, TaskStatus
from shared.vocabulary import BudgetHolderScope, FollowUpKind, LegalEntity


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
    member = StaffLine(
        person_id="p-secr",
        name="Fien Wouters",
        role="deskundige",
        grade="B1",
        entity=LegalEntity.OCMW,
        statute="contractual",
        employments=(
            EmploymentLine(
                employment_id=uuid.uuid4(),
                entity=LegalEntity.OCMW,
                position="deskundige",
                grade="B1",
                statutory=False,
                unit_code="SECR",
                start_date=dt.date(2019, 1, 1),
                end_date=None,
                works_for=(LegalEntity.OCMW, LegalEntity.GEMEENTE),
            ),
        ),
        delegations=(
            DelegationLine(
                delegation_id=uuid.uuid4(),
                from_body=None,
                from_person_id="p-ad",
                to_person_id="p-secr",
                to_body=None,
                power=DelegationPower.BUDGET_HOLDER,
                entity=LegalEntity.OCMW,
                valid_from=dt.date(2026, 1, 1),
                valid_until=None,
                state="revoked",
                budget_scope=BudgetHolderScope(entity=LegalEntity.OCMW, max_amount=Decimal("500.00")),
                scope={},
                parent_delegation_id=None,
            ),
        ),
        granted=(),
    )
    text = _text(staff_table([member]))
    assert "ocmw deskundige B1 contractual unit SECR (works for ocmw+gemeente)" in text
    assert "budget_holder ocmw ≤ €500.00 from p-ad (revoked)" in text


def test_the_organogram_shows_its_units_heads_and_the_drafts_waiting() -> None:
    reply = GetOrganogramReply(
        command_id="c" * 8,
        version=3,
        valid_from=dt.date(2027, 1, 1),
        root="MT",
        units=(
            OrganogramUnitLine(
                code="MT",
                name="Managementteam",
                parent=None,
                head_person_id="p-ad",
                head_name="An De Smet",
                management_team=True,
            ),
            OrganogramUnitLine(
                code="FIN", name="Financiën", parent="MT", head_person_id=None, head_name=None, management_team=False
            ),
        ),
        management_team=("p-ad",),
        drafts=(4, 5),
    )
    text = _text(organogram_table(reply))
    assert "organogram version 3 (valid from 2027-01-01)" in text
    assert "drafts awaiting the council: 4, 5" in text
    mt = next(line for line in text.splitlines() if "Managementteam" in line)
    assert "An De Smet (p-ad)" in mt
    assert "yes" in mt
    draft = _text(organogram_table(reply.model_copy(update={"draft": True, "valid_from": None, "drafts": ()})))
    assert "(draft)" in draft
    assert "drafts awaiting the council: none" in draft
