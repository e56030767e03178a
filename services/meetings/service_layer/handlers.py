"""Agenda items, and the events from other services that meetings records.

One handler per command and event; the messaging wrapper owns commit and rollback.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from services.meetings.domain.decision import DecisionRecord, outgoing_impact, outgoing_title
from services.meetings.domain.members import Seat
from services.meetings.domain.model import AgendaItem, ItemLinks, Rejection, decide
from services.meetings.domain.votes import VoteResult
from services.meetings.service_layer.announce import announce_decision
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.base import Entity
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed, VisumGranted, VisumRefused
from shared.contracts.hr import ConsultationConcluded, ConsultationOpened
from shared.contracts.meetings import AgendaItemProposed, DecideAgendaItem, ProposeAgendaItem
from shared.contracts.organisation import DecisionExecuted, MandateEnded, MandateStarted, MandateStatusChanged
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected

__all__ = [
    "decide_agenda_item",
    "propose_agenda_item",
    "record_budget_check",
    "record_consultation",
    "record_execution",
    "record_mandate",
    "record_visum",
]


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
    if item.links.consultation_id is not None:
        await uow.consultations.record(item.links.consultation_id, concluded=False, protocol=None)
    uow.emit(
        AgendaItemProposed(
            item_id=item.item_id,
            body=item.body,
            entity=item.entity,
            title=outgoing_title(item.item_id, item.title, item.confidentiality),
            kind=item.kind,
            confidentiality=item.confidentiality,
            financial_impact=outgoing_impact(item.financial_impact, item.confidentiality),
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
    """Decide an item outside a recorded session (e.g. a college decision list entry) from its tally."""
    item = await uow.items.get(cmd.item_id, for_update=True)
    if item is None:
        raise CommandRejected("unknown_item", f"no agenda item {cmd.item_id}")
    concluded = await uow.consultations.concluded([item.links.consultation_id] if item.links.consultation_id else [])
    decision_id = uuid.uuid4()
    try:
        outcome = decide(item, cmd.votes, decision_id, consultation_concluded=bool(concluded))
    except Rejection as exc:
        raise CommandRejected(exc.code, exc.message) from exc
    decided = outcome.item
    await uow.items.update(decided)
    result = VoteResult(tally=cmd.votes, secret=item.secret_ballot, by_member={})
    record = DecisionRecord.of(item, result, decision_id=decision_id, meeting_id=None, decided_at=_now())
    await announce_decision(uow, decided, record)
    return CommandReply(
        command_id=cmd.command_id,
        status=CommandStatus.ACCEPTED,
        ids={"decision_id": str(decision_id), "item_id": str(decided.item_id)},
        data={"outcome": decided.status.value},
    )


async def record_budget_check(
    uow: MeetingsUnitOfWork, event: BudgetCheckPassed | BudgetCheckFailed, _envelope: Envelope
) -> None:
    """Store finance's verdict on the item, which gates its tabling and decision."""
    item = await uow.items.get(event.item_id, for_update=True)
    if item is None:
        return  # an item of another deployment or already purged: nothing to record
    passed = isinstance(event, BudgetCheckPassed)
    visum_required = isinstance(event, BudgetCheckPassed) and event.visum_required
    await uow.items.update(item.with_budget_check(passed, visum_required=visum_required))


async def record_visum(uow: MeetingsUnitOfWork, event: VisumGranted | VisumRefused, _envelope: Envelope) -> None:
    """Store the financial director's visum on the item."""
    item = await uow.items.get(event.item_id, for_update=True)
    if item is None:
        return
    await uow.items.update(item.with_visum(isinstance(event, VisumGranted)))


async def record_mandate(
    uow: MeetingsUnitOfWork, event: MandateStarted | MandateStatusChanged | MandateEnded, _envelope: Envelope
) -> None:
    """Keep the read model of sitting members current."""
    if isinstance(event, MandateStarted):
        await uow.seats.upsert(
            Seat(
                mandate_id=event.mandate_id,
                person_id=event.person_id,
                person_name=event.person_name,
                body=event.body,
                role=event.role,
                status=event.status,
                voting=event.voting,
                start=event.start,
                end=event.end,
            )
        )
        return
    seat = await uow.seats.get(event.mandate_id)
    if seat is None:
        return  # a change for a mandate this deployment never saw start
    if isinstance(event, MandateStatusChanged):
        await uow.seats.upsert(replace(seat, status=event.status))
    else:
        await uow.seats.upsert(replace(seat, end=event.end))


async def record_consultation(
    uow: MeetingsUnitOfWork, event: ConsultationOpened | ConsultationConcluded, _envelope: Envelope
) -> None:
    """A concluded union consultation lets its staff-rules item be tabled."""
    if isinstance(event, ConsultationConcluded):
        await uow.consultations.record(event.consultation_id, concluded=True, protocol=event.protocol_reference)
    else:
        await uow.consultations.record(event.consultation_id, concluded=False, protocol=None)


async def record_execution(uow: MeetingsUnitOfWork, event: DecisionExecuted, _envelope: Envelope) -> None:
    """Every follow-up task of the decision is done."""
    record = await uow.decisions.get(event.decision_id, for_update=True)
    if record is None or record.executed_at is not None:
        return
    await uow.decisions.update(record.model_copy(update={"executed_at": event.executed_at}))
