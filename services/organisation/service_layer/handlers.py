"""One handler per command and event; the messaging wrapper owns commit and rollback."""

from __future__ import annotations

import datetime as dt

from services.organisation.domain.model import DeadlinePolicy, FollowUpTask, UnknownUnitError, plan_tasks
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.contracts.base import Entity
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.organisation import ListTasks, TaskCreated
from shared.messaging.envelope import Envelope
from shared.messaging.errors import PermanentError

__all__ = ["create_follow_up_tasks", "list_tasks"]

POLICY = DeadlinePolicy()


async def create_follow_up_tasks(uow: OrganisationUnitOfWork, event: DecisionAdopted, _envelope: Envelope) -> None:
    """One task per follow-up action, owned by the responsible unit's head; never doubled."""
    if not event.follow_up_actions:
        return
    try:
        tasks = plan_tasks(
            decision_id=event.decision_id,
            entity=event.entity,
            actions=event.follow_up_actions,
            decided_at=event.adopted_at,
            organogram=await uow.organogram.current(),
            policy=POLICY,
            now=dt.datetime.now(dt.UTC),
        )
    except UnknownUnitError as exc:
        raise PermanentError("unknown_unit", str(exc)) from exc
    for task in tasks:
        if await uow.tasks.add_if_new(task):
            uow.emit(
                TaskCreated(
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
                ),
                subject_id=str(task.task_id),
                entity=Entity(task.entity.value),
                confidentiality=event.confidentiality,
            )


def task_view(task: FollowUpTask) -> dict[str, object]:
    """A task as JSON for query replies."""
    return {
        "task_id": str(task.task_id),
        "decision_id": str(task.decision_id),
        "action_id": task.action_id,
        "kind": task.kind.value,
        "title": task.title,
        "entity": task.entity.value,
        "unit_code": task.unit_code,
        "owner_person_id": task.owner_person_id,
        "owner_name": task.owner_name,
        "due_date": task.due_date.isoformat(),
        "status": task.status.value,
    }


async def list_tasks(uow: OrganisationUnitOfWork, cmd: ListTasks, _envelope: Envelope) -> CommandReply:
    """Tasks of a decision and/or an owner, by due date."""
    tasks = await uow.tasks.list(decision_id=cmd.decision_id, owner_person_id=cmd.owner_person_id)
    return CommandReply(
        command_id=cmd.command_id, status=CommandStatus.ACCEPTED, data={"tasks": [task_view(t) for t in tasks]}
    )
