"""One handler per command and event; the messaging wrapper owns commit and rollback."""

from __future__ import annotations

import datetime as dt
import uuid

from services.meetings.domain.model import AgendaItem, ItemLinks, Rejection, decide
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.base import Entity
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed
from shared.contracts.meetings import (
    AgendaItemProposed,
    DecideAgendaItem,
    DecisionAdopted,
    DecisionKind,
    DecisionRejected,
    ProposeAgendaItem,
)
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected

__all__ = ["decide_agenda_item", "propose_agenda_item", "record_budget_check"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def propose_agenda_item(uow: MeetingsUnitOfWork, cmd: ProposeAgendaItem, _envelope: Envelope) -> CommandReply:
    """Create the item and announce it, so finance can check the credit."""
    try:
        item = AgendaItem.propose(
            body=cmd.body,
            entity=cmd.entity,
            title=cmd.title,
            kind=cmd.kind,
            confidentiality=cmd.confidentiality,
            legal_basis=cmd.legal_basis,
            motivation=cmd.motivation,
            financial_impact=cmd.financial_impact,
            follow_up_actions=cmd.follow_up_actions,
            proposed_by=cmd.proposed_by,
            now=_now(),
            links=ItemLinks(
                appointment=cmd.appointment,
                delegation=cmd.delegation,
                budget_change_id=cmd.budget_change_id,
                consultation_id=cmd.consultation_id,
                overrules_item_id=cmd.overrules_item_id,
            ),
        )
    except Rejection as exc:
        raise CommandRejected(exc.code, exc.message) from exc
    await uow.items.add(item)
    uow.emit(
        AgendaItemProposed(
            item_id=item.item_id,
            body=item.body,
            entity=item.entity,
            title=item.title,
            kind=item.kind,
            confidentiality=item.confidentiality,
            financial_impact=item.financial_impact,
            proposed_at=item.proposed_at,
        ),
        subject_id=str(item.item_id),
        entity=Entity(item.entity.value),
        confidentiality=item.confidentiality,
    )
    return CommandReply(
        command_id=cmd.command_id,
        status=CommandStatus.ACCEPTED,
        ids={"item_id": str(item.item_id)},
        data={"budget_check": item.budget_check.value},
    )


async def decide_agenda_item(uow: MeetingsUnitOfWork, cmd: DecideAgendaItem, _envelope: Envelope) -> CommandReply:
    """Apply the vote; publish `decision.adopted` or `decision.rejected`."""
    item = await uow.items.get(cmd.item_id, for_update=True)
    if item is None:
        raise CommandRejected("unknown_item", f"no agenda item {cmd.item_id}")
    try:
        outcome = decide(item, cmd.votes, uuid.uuid4())
    except Rejection as exc:
        raise CommandRejected(exc.code, exc.message) from exc
    decided = outcome.item
    await uow.items.update(decided)
    assert decided.decision_id is not None
    now = _now()
    if outcome.adopted:
        uow.emit(
            DecisionAdopted(
                decision_id=decided.decision_id,
                item_id=decided.item_id,
                body=decided.body,
                entity=decided.entity,
                kind=decided.kind,
                title=decided.title,
                motivation=decided.motivation,
                legal_basis=decided.legal_basis,
                confidentiality=decided.confidentiality,
                votes=cmd.votes,
                adopted_at=now,
                effective_date=_effective_date(decided.kind, now.date()),
                financial_impact=decided.financial_impact,
                follow_up_actions=decided.follow_up_actions,
                secret_ballot=decided.secret_ballot,
                appointment=decided.links.appointment,
                delegation=decided.links.delegation,
                budget_change_id=decided.links.budget_change_id,
                consultation_id=decided.links.consultation_id,
                overrules_item_id=decided.links.overrules_item_id,
            ),
            subject_id=str(decided.decision_id),
            entity=Entity(decided.entity.value),
            confidentiality=decided.confidentiality,
        )
    else:
        uow.emit(
            DecisionRejected(
                decision_id=decided.decision_id,
                item_id=decided.item_id,
                body=decided.body,
                entity=decided.entity,
                title=decided.title,
                confidentiality=decided.confidentiality,
                votes=cmd.votes,
                rejected_at=now,
            ),
            subject_id=str(decided.decision_id),
            entity=Entity(decided.entity.value),
            confidentiality=decided.confidentiality,
        )
    return CommandReply(
        command_id=cmd.command_id,
        status=CommandStatus.ACCEPTED,
        ids={"decision_id": str(decided.decision_id), "item_id": str(decided.item_id)},
        data={"outcome": decided.status.value},
    )


def _effective_date(kind: DecisionKind, adopted_on: dt.date) -> dt.date:
    # Regulations enter into force on the 5th day after publication; publication is modelled in
    # the meetings domain later, so until then the earliest possible date is used.
    return adopted_on + dt.timedelta(days=5) if kind is DecisionKind.REGULATION else adopted_on


async def record_budget_check(
    uow: MeetingsUnitOfWork, event: BudgetCheckPassed | BudgetCheckFailed, _envelope: Envelope
) -> None:
    """Store finance's verdict on the item, which gates its decision."""
    item = await uow.items.get(event.item_id, for_update=True)
    if item is None:
        return  # an item of another deployment or already purged: nothing to record
    await uow.items.update(item.with_budget_check(isinstance(event, BudgetCheckPassed)))
