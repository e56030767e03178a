"""Staff and delegations, the auditor's view of one decision, and a district's feed."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from services.gateway.domain.model import Principal
from services.gateway.entrypoints.console.base import Base, _id
from shared.contracts.audit import GetTrail, GetTrailReply, SearchLedger, SearchLedgerReply
from shared.contracts.hr import ListStaff, ListStaffReply


class Oversight(Base):
    """The staff list, the audit trail of a decision as a tree, a district's live feed."""

    async def staff(self, request: Request, who: Principal) -> Response:
        listed = await self.ask(ListStaff(command_id=_id()), ListStaffReply, who)
        return await self.page(
            request, "personeel.html", who, staff=listed.staff, body_delegations=listed.body_delegations
        )

    # -- the auditor's view of one decision -------------------------------------------------

    async def _trail(self, correlation: str, who: Principal) -> dict[str, Any]:
        trail = await self.ask(GetTrail(command_id=_id(), correlation_id=correlation), GetTrailReply, who)
        children: dict[str | None, list[Any]] = {}
        ids = {r.message_id for r in trail.records}
        for record in trail.records:
            parent = (
                record.causation_id if record.causation_id in ids and record.causation_id != record.message_id else None
            )
            children.setdefault(parent, []).append(record)
        return {"trail": trail, "children": children, "correlation": correlation}

    async def audit(self, request: Request, who: Principal) -> Response:
        correlation = request.query_params.get("c", "").strip()
        decision = request.query_params.get("besluit", "").strip()
        if not correlation and decision:
            found = await self.ask(
                SearchLedger(command_id=_id(), subject_filter="meetings.decision.>", body=decision, limit=5),
                SearchLedgerReply,
                who,
            )
            correlation = next((r.correlation_id for r in found.records if r.correlation_id), "")
        context = await self._trail(correlation, who) if correlation else {"trail": None, "correlation": ""}
        return await self.page(request, "audit.html", who, decision=decision, **context)

    async def audit_part(self, request: Request, who: Principal) -> Response:
        return await self.page(request, "_audit.html", who, **await self._trail(request.query_params.get("c", ""), who))

    # -- a district's feed ------------------------------------------------------------------

    async def district(self, request: Request, who: Principal, district_id: str) -> Response:
        return await self.page(request, "district.html", who, district_id=district_id)
