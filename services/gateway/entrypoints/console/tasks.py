"""Tasks and inbox: the person's open tasks and messages, and taking up or completing a task."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from services.gateway.domain.model import Principal
from services.gateway.entrypoints.console.base import Base, _id
from shared.contracts.base import Command
from shared.contracts.notifications import ListInbox, ListInboxReply
from shared.contracts.organisation import ClaimTask, CompleteTask, ListTasks, ListTasksReply


class Tasks(Base):
    """A person's tasks and inbox, live."""

    async def _tasks(self, who: Principal) -> dict[str, Any]:
        tasks = await self.ask(ListTasks(command_id=_id(), owner_person_id=who.person_id), ListTasksReply, who)
        inbox = await self.ask(ListInbox(command_id=_id(), person_id=who.person_id), ListInboxReply, who)
        return {"tasks": [t for t in tasks.tasks if t.status != "cancelled"], "inbox": inbox.entries}

    async def tasks(self, request: Request, who: Principal) -> Response:
        return await self.page(request, "taken.html", who, **await self._tasks(who))

    async def tasks_part(self, request: Request, who: Principal) -> Response:
        return await self.page(request, "_taken.html", who, **await self._tasks(who))

    async def task_step(self, request: Request, who: Principal, task_id: str, step: str) -> Response:
        await self.form(request, who)
        task = uuid.UUID(task_id)
        command: Command
        if step == "opnemen":
            command = ClaimTask(command_id=_id(), task_id=task)
        elif step != "afronden":
            return Response("unknown step", status_code=404)
        else:
            command = CompleteTask(command_id=_id(), task_id=task)
        reply = await self.send(command, who)
        done = "Taak opgenomen." if step == "opnemen" else "Taak afgerond."
        return self.back("/console/taken", reply, ok=done)
