"""Agenda items: proposing one, and deciding one from its tally outside a recorded session."""

from __future__ import annotations

import uuid

from services.meetings.domain import events
from services.meetings.domain.commands import DecideAgendaItem, ProposeAgendaItem
from services.meetings.domain.decision import DecisionRecord, outgoing_impact, outgoing_title
from services.meetings.domain.model import AgendaItem, ItemLinks, decide
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.domain.votes import VoteResult
from services.meetings.service_layer.commands.common import announce_decision, item_of
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted

__all__ = ["ItemCommands"]


class ItemCommands:
    """Propose and decide agenda items, with the municipality's terms and a clock."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def propose(self, uow: MeetingsUnitOfWork, cmd: ProposeAgendaItem) -> Accepted:
        """Create the item and announce it, so finance can check the credit."""
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
            now=self._clock(),
            links=ItemLinks(
                appointment=cmd.appointment,
                delegation=cmd.delegation,
                budget_change_id=cmd.budget_change_id,
                consultation_id=cmd.consultation_id,
                overrules_item_id=cmd.overrules_item_id,
            ),
        )
        await uow.items.add(item)
        if item.links.consultation_id is not None:
            await uow.consultations.record(item.links.consultation_id, concluded=False, protocol=None)
        uow.emit(
            events.AgendaItemProposed(
                item_id=item.item_id,
                body=item.body,
                entity=item.entity,
                title=outgoing_title(item.item_id, item.title, item.confidentiality),
                kind=item.kind,
                confidentiality=item.confidentiality,
                financial_impact=outgoing_impact(item.financial_impact, item.confidentiality),
                proposed_at=item.proposed_at,
            )
        )
        return Accepted(ids={"item_id": str(item.item_id)}, data={"budget_check": item.budget_check.value})

    async def decide(self, uow: MeetingsUnitOfWork, cmd: DecideAgendaItem) -> Accepted:
        """Decide an item outside a recorded session (e.g. a college decision list entry) from its tally."""
        item = await item_of(uow, cmd.item_id)
        concluded = await uow.consultations.concluded(
            [item.links.consultation_id] if item.links.consultation_id else []
        )
        decision_id = uuid.uuid4()
        decided = decide(item, cmd.votes, decision_id, consultation_concluded=bool(concluded)).item
        await uow.items.update(decided)
        result = VoteResult(tally=cmd.votes, secret=item.secret_ballot, by_member={})
        record = DecisionRecord.of(
            item,
            result,
            decision_id=decision_id,
            meeting_id=None,
            decided_at=self._clock(),
            effective_days=self.policy.regulation_effective_days,
        )
        await announce_decision(uow, decided, record)
        return Accepted(
            ids={"decision_id": str(decision_id), "item_id": str(decided.item_id)},
            data={"outcome": decided.status.value},
        )
