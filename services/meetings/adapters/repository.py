"""Agenda items in PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.meetings.adapters.tables import agenda_items
from services.meetings.domain.model import AgendaItem, BudgetCheck, ItemLinks, ItemStatus, Step, Visum
from shared.vocabulary import (
    AppointmentDetails,
    BodyKind,
    Candidate,
    Confidentiality,
    DecisionKind,
    DecisionRelation,
    DelegationDetails,
    DesignationDetails,
    DisciplineDetails,
    FinancialImpact,
    FollowUpAction,
    ItemFile,
    LegalEntity,
    LegalityAdvice,
)

__all__ = ["SqlAgendaItems"]


def _row(item: AgendaItem) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "body": item.body.value,
        "entity": item.entity.value,
        "title": item.title,
        "kind": item.kind.value,
        "confidentiality": item.confidentiality.value,
        "legal_basis": item.legal_basis,
        "motivation": item.motivation,
        "financial_impact": item.financial_impact.model_dump(mode="json") if item.financial_impact else None,
        "follow_up_actions": [a.model_dump(mode="json") for a in item.follow_up_actions],
        "proposed_by": item.proposed_by,
        "proposed_at": item.proposed_at,
        "status": item.status.value,
        "budget_check": item.budget_check.value,
        "decision_id": item.decision_id,
        "links": _links_json(item.links),
        "visum": item.visum.value,
        "meeting_id": item.meeting_id,
        "files": [f.model_dump(mode="json") for f in item.files],
        "history": [s.model_dump(mode="json") for s in item.history],
        "advice_required": item.advice_required,
        "legality_advice": item.legality_advice.model_dump(mode="json") if item.legality_advice else None,
    }


def _links_json(links: ItemLinks) -> dict[str, Any]:
    return {
        "appointment": links.appointment.model_dump(mode="json") if links.appointment else None,
        "delegation": links.delegation.model_dump(mode="json") if links.delegation else None,
        "budget_change_id": str(links.budget_change_id) if links.budget_change_id else None,
        "consultation_id": str(links.consultation_id) if links.consultation_id else None,
        "overrules_item_id": str(links.overrules_item_id) if links.overrules_item_id else None,
        "candidates": [c.model_dump(mode="json") for c in links.candidates],
        "discipline": links.discipline.model_dump(mode="json") if links.discipline else None,
        "organogram_version": links.organogram_version,
        "designation": links.designation.model_dump(mode="json") if links.designation else None,
        "district": links.district,
        "relations": [r.model_dump(mode="json") for r in links.relations],
        "text": links.text,
    }


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _links(data: dict[str, Any]) -> ItemLinks:
    return ItemLinks(
        appointment=AppointmentDetails.model_validate(data["appointment"]) if data.get("appointment") else None,
        delegation=DelegationDetails.model_validate(data["delegation"]) if data.get("delegation") else None,
        budget_change_id=_uuid(data.get("budget_change_id")),
        consultation_id=_uuid(data.get("consultation_id")),
        overrules_item_id=_uuid(data.get("overrules_item_id")),
        candidates=tuple(Candidate.model_validate(c) for c in data.get("candidates") or ()),
        discipline=DisciplineDetails.model_validate(data["discipline"]) if data.get("discipline") else None,
        organogram_version=data.get("organogram_version"),
        designation=DesignationDetails.model_validate(data["designation"]) if data.get("designation") else None,
        district=data.get("district"),
        relations=tuple(DecisionRelation.model_validate(r) for r in data.get("relations") or ()),
        text=data.get("text") or "",
    )


def _item(row: Any) -> AgendaItem:
    return AgendaItem(
        item_id=row.item_id,
        body=BodyKind(row.body),
        entity=LegalEntity(row.entity),
        title=row.title,
        kind=DecisionKind(row.kind),
        confidentiality=Confidentiality(row.confidentiality),
        legal_basis=row.legal_basis,
        motivation=row.motivation,
        financial_impact=FinancialImpact.model_validate(row.financial_impact) if row.financial_impact else None,
        follow_up_actions=tuple(FollowUpAction.model_validate(a) for a in row.follow_up_actions),
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        status=ItemStatus(row.status),
        budget_check=BudgetCheck(row.budget_check),
        decision_id=row.decision_id,
        links=_links(row.links or {}),
        visum=Visum(row.visum),
        meeting_id=row.meeting_id,
        files=tuple(ItemFile.model_validate(f) for f in row.files or ()),
        history=tuple(Step.model_validate(s) for s in row.history or ()),
        advice_required=row.advice_required,
        legality_advice=LegalityAdvice.model_validate(row.legality_advice) if row.legality_advice else None,
    )


class SqlAgendaItems:
    """`AgendaItems` over the session of the current unit of work; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, item: AgendaItem) -> None:
        await self._session.execute(insert(agenda_items).values(**_row(item)))

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> AgendaItem | None:
        stmt = select(agenda_items).where(agenda_items.c.item_id == item_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return _item(row) if row else None

    async def update(self, item: AgendaItem) -> None:
        values = _row(item)
        del values["item_id"]
        await self._session.execute(update(agenda_items).where(agenda_items.c.item_id == item.item_id).values(**values))
