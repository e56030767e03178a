"""Publishing a decision: the event downstream services act on, and the effects inside meetings.

Social-welfare (BCSD) content stays in meetings: its decision events carry a neutral title, no
motivation and no third party, which is all finance and organisation need to act. Closed-session
decisions go to the back-office services marked `closed`; notifications never passes them on.
"""

from __future__ import annotations

from services.meetings.domain.decision import DecisionOutcome, DecisionRecord, outgoing_impact, outgoing_title
from services.meetings.domain.model import AgendaItem
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.base import Confidentiality, Entity, Event
from shared.contracts.meetings import DecisionAdopted, DecisionKind, DecisionRejected

__all__ = ["announce_decision"]


async def announce_decision(uow: MeetingsUnitOfWork, item: AgendaItem, record: DecisionRecord) -> None:
    """Store the decision, emit `decision.adopted` or `.rejected`, and apply effects within meetings."""
    await uow.decisions.add(record)
    social = record.confidentiality is Confidentiality.SOCIAL
    title = outgoing_title(item.item_id, record.title, record.confidentiality)
    impact = outgoing_impact(record.financial_impact, record.confidentiality)

    def emit(event: Event) -> None:
        uow.emit(
            event,
            subject_id=str(record.decision_id),
            entity=Entity(record.entity.value),
            confidentiality=record.confidentiality,
        )

    if record.outcome is DecisionOutcome.REJECTED:
        emit(
            DecisionRejected(
                decision_id=record.decision_id,
                item_id=record.item_id,
                body=record.body,
                entity=record.entity,
                title=title,
                confidentiality=record.confidentiality,
                votes=record.tally,
                rejected_at=record.decided_at,
            )
        )
        return
    assert record.effective_date is not None
    emit(
        DecisionAdopted(
            decision_id=record.decision_id,
            item_id=record.item_id,
            body=record.body,
            entity=record.entity,
            kind=record.kind,
            title=title,
            motivation="" if social else record.motivation,
            legal_basis=record.legal_basis,
            confidentiality=record.confidentiality,
            votes=record.tally,
            adopted_at=record.decided_at,
            effective_date=record.effective_date,
            financial_impact=impact,
            follow_up_actions=record.follow_up_actions,
            meeting_id=record.meeting_id,
            secret_ballot=record.secret,
            appointment=item.links.appointment,
            delegation=item.links.delegation,
            budget_change_id=item.links.budget_change_id,
            consultation_id=item.links.consultation_id,
            overrules_item_id=item.links.overrules_item_id,
        )
    )
    if record.kind is DecisionKind.VISUM_OVERRULING and item.links.overrules_item_id is not None:
        overruled = await uow.items.get(item.links.overrules_item_id, for_update=True)
        if overruled is not None:
            await uow.items.update(overruled.overruled())
