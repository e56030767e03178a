"""Finance: the use of credits and the financial director's visums."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from services.gateway.domain.model import Principal
from services.gateway.entrypoints.console.base import LOCAL, Base, _id
from shared.contracts.base import Command
from shared.contracts.finance import (
    GetCreditUse,
    GetCreditUseReply,
    GetVisumReport,
    GetVisumReportReply,
    GrantVisum,
    RefuseVisum,
)


class Finance(Base):
    """The credits' use by entity and year, and granting or refusing a visum."""

    async def finance(self, request: Request, who: Principal) -> Response:
        credit_use = await self.ask(GetCreditUse(command_id=_id()), GetCreditUseReply, who)
        visums = await self.ask(GetVisumReport(command_id=_id()), GetVisumReportReply, who)
        year = int(request.query_params.get("jaar") or self.clock().astimezone(LOCAL).year)
        by_entity: dict[str, list[Any]] = {}
        for line in (c for c in credit_use.credits if c.financial_year == year):
            by_entity.setdefault(line.entity.value, []).append(line)
        pending = [v for v in visums.visums if v.status == "requested"]
        decided = [v for v in visums.visums if v.status != "requested"][-20:]
        return await self.page(
            request,
            "financien.html",
            who,
            credits=by_entity,
            pending=pending,
            decided=decided,
            summary=visums.summary,
            year=year,
            years=sorted({c.financial_year for c in credit_use.credits}),
        )

    async def visum(self, request: Request, who: Principal, item_id: str, step: str) -> Response:
        fields = await self.form(request, who)
        item = uuid.UUID(item_id)
        command: Command
        if step == "verlenen":
            conditions = tuple(c for c in (fields.get("voorwaarden") or [""])[0].splitlines() if c.strip())
            command = GrantVisum(command_id=_id(), item_id=item, conditions=conditions)
        else:
            reasons = tuple(c for c in (fields.get("redenen") or [""])[0].splitlines() if c.strip())
            if not reasons:
                return self.back("/console/financien", fout="invalid_command: geef minstens één reden")
            command = RefuseVisum(command_id=_id(), item_id=item, reasons=reasons)
        reply = await self.send(command, who)
        done = "Visum verleend." if step == "verlenen" else "Visum geweigerd."
        return self.back("/console/financien", reply, ok=done)
