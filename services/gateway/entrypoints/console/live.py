"""Live pages: server-sent events for what a page shows, and which events each page wants."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from services.gateway.adapters.live import Change
from services.gateway.domain.model import Principal
from services.gateway.entrypoints.console.base import Base


class Live(Base):
    """The server-sent events a live page listens to."""

    async def events(self, request: Request, who: Principal) -> Response:
        """Server-sent events: `change` whenever something the page shows may have changed."""
        channel = request.query_params.get("kanaal", "")
        key = request.query_params.get("id", "")
        wanted = _filter(channel, key, who)
        if wanted is None or self.live is None:
            return Response("unknown channel", status_code=404)
        live = self.live

        async def stream() -> AsyncIterator[str]:
            async with live.listen(wanted) as queue:
                yield "retry: 2000\n: listening\n\n"
                while not await request.is_disconnected():
                    try:
                        change = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        yield ": still here\n\n"
                        continue
                    if change is None:
                        return  # the gateway stops: the browser reconnects to another one, or later
                    yield f"event: change\ndata: {json.dumps(_shown(channel, change))}\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        )


def _names(body: dict[str, Any]) -> set[str]:
    keys = ("owner_person_id", "person_id", "completed_by", "from_person_id", "to_person_id")
    return {str(body[k]) for k in keys if body.get(k)}


def _filter(channel: str, key: str, who: Principal) -> Callable[[Change], bool] | None:
    """Which events a live page wants; None for an unknown channel."""
    if channel == "taken":
        return lambda c: (
            c.subject.startswith(("organisation.task.", "notifications.inbox_entry."))
            and who.person_id in _names(c.body)
        )
    if channel == "boom" and key:
        return lambda c: c.correlation_id == key
    if channel == "district" and key:
        return lambda c: c.subject.startswith(f"district.{key}.")
    return None


def _shown(channel: str, change: Change) -> dict[str, Any]:
    """What a page is told: the subject; a district feed (redacted by notifications) also its entry."""
    if channel == "district":
        return {"subject": change.subject, "body": change.body}
    return {"subject": change.subject}
