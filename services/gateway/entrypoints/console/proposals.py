"""Proposing an agenda item, and following it."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.gateway.domain.model import Principal
from services.gateway.entrypoints.console.base import LOCAL, Base, Refused, _explain, _id
from shared.contracts.finance import GetVisumReport, GetVisumReportReply
from shared.contracts.meetings import ProposeAgendaItem
from shared.contracts.organisation import GetOrganogram, GetOrganogramReply
from shared.contracts.sessions import GetItemHistory, GetItemHistoryReply
from shared.vocabulary import BodyKind, Confidentiality, FinancialImpact, FollowUpAction, FollowUpKind, LegalEntity


class Proposals(Base):
    """Proposing an item for a body, and its history with its visums."""

    async def propose_page(self, request: Request, who: Principal) -> Response:
        units = await self.ask(GetOrganogram(command_id=_id()), GetOrganogramReply, who)
        return await self.page(
            request,
            "voorstellen.html",
            who,
            units=units.units,
            bodies=[BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.BCSD],
            year=self.clock().astimezone(LOCAL).year,
        )

    async def propose(self, request: Request, who: Principal) -> Response:
        fields = await self.form(request, who)

        def one(name: str) -> str:
            return str((fields.get(name) or [""])[0]).strip()

        try:
            body = BodyKind(one("orgaan"))
            entity = LegalEntity.OCMW if body in {BodyKind.VAST_BUREAU, BodyKind.BCSD} else LegalEntity.GEMEENTE
            impact = None
            if one("bedrag"):
                impact = FinancialImpact(
                    entity=entity,
                    amount=Decimal(one("bedrag").replace(",", ".")),
                    economic_account=one("rekening"),
                    policy_field=one("beleidsveld"),
                    action=one("actie") or None,
                    financial_year=int(one("boekjaar")),
                    third_party=one("derde") or None,
                )
            actions: tuple[FollowUpAction, ...] = ()
            if one("opvolging"):
                actions = (
                    FollowUpAction(
                        action_id="a1",
                        kind=FollowUpKind.EXECUTE,
                        description=one("opvolging"),
                        unit_code=one("dienst") or None,
                    ),
                )
            proposal = ProposeAgendaItem(
                command_id=_id(),
                body=body,
                entity=entity,
                title=one("titel"),
                confidentiality=Confidentiality.SOCIAL if body is BodyKind.BCSD else None,
                legal_basis=one("rechtsgrond"),
                motivation=one("motivering"),
                financial_impact=impact,
                follow_up_actions=actions,
            )
        except (ValueError, InvalidOperation, ValidationError) as exc:
            return self.back("/console/voorstellen", fout=f"invalid_command: {_explain(exc)}")
        reply = await self.send(proposal, who)
        if not reply.accepted:
            return self.back("/console/voorstellen", reply)
        item_id = reply.ids["item_id"]
        return self.back(f"/console/punten/{item_id}?c={proposal.command_id}", ok="Punt voorgesteld.")

    async def _item(self, item_id: str, who: Principal) -> dict[str, Any]:
        item = uuid.UUID(item_id)
        history = await self.ask(GetItemHistory(command_id=_id(), item_id=item), GetItemHistoryReply, who)
        if history.restricted:
            raise Refused("restricted", "dit punt is besloten: alleen de leden van het orgaan zien het")
        visums: list[Any] = []
        try:
            report = await self.ask(GetVisumReport(command_id=_id()), GetVisumReportReply, who)
            visums = [v for v in report.visums if v.item_id == item]
        except Refused:
            pass  # the visum report is the financial director's: others follow the item without it
        return {"item": history, "item_id": item_id, "visums": visums}

    async def item(self, request: Request, who: Principal, item_id: str) -> Response:
        correlation = request.query_params.get("c", "")
        return await self.page(request, "punt.html", who, correlation=correlation, **await self._item(item_id, who))

    async def item_part(self, request: Request, who: Principal, item_id: str) -> Response:
        return await self.page(request, "_punt.html", who, **await self._item(item_id, who))
