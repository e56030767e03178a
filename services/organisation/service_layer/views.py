"""Queries of organisation, answered from its tables with their typed replies."""

from __future__ import annotations

from collections.abc import Sequence

from services.organisation.domain.mandates import Mandate
from services.organisation.domain.model import FollowUpTask, Organogram, TaskStatus
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.clock import Clock
from shared.contracts import organisation as c
from shared.kernel import RuleViolation

__all__ = ["OrganisationViews", "mandate_line", "organogram_reply", "task_line"]


class OrganisationViews:
    """Tasks, mandates and the organogram; the organogram of "today" needs the clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def list_tasks(self, uow: OrganisationUnitOfWork, query: c.ListTasks) -> c.ListTasksReply:
        """Tasks by decision, owner, unit and/or status, by due date."""
        known = [s.value for s in TaskStatus]
        if query.status and query.status not in known:
            raise RuleViolation("unknown_status", f"status is one of {', '.join(known)}")
        status = TaskStatus(query.status) if query.status else None
        tasks = await uow.tasks.list(
            decision_id=query.decision_id,
            owner_person_id=query.owner_person_id,
            unit_code=query.unit_code,
            status=status,
        )
        return c.ListTasksReply(command_id=query.command_id, tasks=tuple(task_line(t) for t in tasks))

    async def list_mandates(self, uow: OrganisationUnitOfWork, query: c.ListMandates) -> c.ListMandatesReply:
        """Mandates by body and/or person, running on a date."""
        found = await uow.mandates.list(body=query.body, person_id=query.person_id, on=query.on)
        return c.ListMandatesReply(command_id=query.command_id, mandates=tuple(mandate_line(m) for m in found))

    async def get_organogram(self, uow: OrganisationUnitOfWork, query: c.GetOrganogram) -> c.GetOrganogramReply:
        """The organogram valid on a date (today when none is given), or the version asked; and the drafts waiting."""
        if query.version is not None:
            found = await uow.organogram.version(query.version)
            if found is None:
                raise RuleViolation("unknown_organogram_version", f"no organogram version {query.version}")
            organogram = found
        else:
            organogram = await uow.organogram.at(query.on or self._clock().date())
        return organogram_reply(query.command_id, organogram, drafts=await uow.organogram.drafts())


def task_line(task: FollowUpTask) -> c.TaskLine:
    """A task as a query shows it."""
    return c.TaskLine(
        task_id=task.task_id,
        decision_id=task.decision_id,
        action_id=task.action_id,
        kind=task.kind,
        title=task.title,
        entity=task.entity,
        unit_code=task.unit_code,
        owner_person_id=task.owner_person_id,
        owner_name=task.owner_name,
        due_date=task.due_date,
        status=c.TaskStatus(task.status.value),
        escalation_level=task.escalation_level,
        claimed_by=task.claimed_by,
        delegation_id=task.delegation_id,
    )


def mandate_line(m: Mandate) -> c.MandateLine:
    """A mandate as a query shows it."""
    return c.MandateLine(
        mandate_id=m.mandate_id,
        person_id=m.person_id,
        person_name=m.person_name,
        body=m.body,
        entity=m.entity,
        role=m.role,
        status=m.status,
        voting=m.voting,
        start=m.start,
        end=m.end,
        linked_mandate_id=m.linked_mandate_id,
    )


def organogram_reply(command_id: str, organogram: Organogram, drafts: Sequence[int] = ()) -> c.GetOrganogramReply:
    """An organogram version: the root first, then the units by code; heads with their names."""
    persons = organogram.persons
    return c.GetOrganogramReply(
        command_id=command_id,
        version=organogram.version,
        valid_from=organogram.valid_from,
        root=organogram.root,
        units=tuple(
            c.OrganogramUnitLine(
                code=u.code,
                name=u.name,
                parent=u.parent,
                head_person_id=u.head,
                head_name=persons[u.head].name if u.head and u.head in persons else None,
                management_team=u.management_team,
            )
            for u in sorted(organogram.units.values(), key=lambda u: (u.parent is not None, u.code))
        ),
        management_team=tuple(sorted({u.head for u in organogram.units.values() if u.management_team and u.head})),
        draft=organogram.draft,
        drafts=tuple(drafts),
    )
