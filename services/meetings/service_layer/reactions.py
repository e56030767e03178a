"""What meetings records when other services tell it something; the messaging wrapper commits.

Finance's budget checks and visums gate an item; organisation's mandates make up who sits in a
body; hr's union consultations let a staff-rules item be tabled; organisation reports a decision
executed. A message about an item, seat or decision this deployment does not know changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from services.meetings.domain.commands import (
    ChangeSeatStatus,
    EndSeat,
    RecordBudgetCheck,
    RecordConsultation,
    RecordExecution,
    RecordSeat,
    RecordVisum,
)
from services.meetings.domain.events import AgendaItemChecked
from services.meetings.domain.members import Seat
from services.meetings.domain.model import AgendaItem, ItemStatus
from services.meetings.service_layer.ports import MeetingsUnitOfWork

__all__ = ["MeetingsReactions"]


def _announce(uow: MeetingsUnitOfWork, item: AgendaItem) -> None:
    """Tell the proposer the item's finance gates changed (while it waits to be decided)."""
    if item.status is ItemStatus.PROPOSED:
        uow.emit(
            AgendaItemChecked(
                item_id=item.item_id,
                entity=item.entity,
                confidentiality=item.confidentiality,
                budget_check=item.budget_check.value,
                visum=item.visum.value,
            )
        )


class MeetingsReactions:
    """The local read models of meetings: readiness of items, seats, consultations, executions."""

    async def record_budget_check(self, uow: MeetingsUnitOfWork, cmd: RecordBudgetCheck) -> None:
        """Store finance's verdict on the item, which gates its tabling and decision."""
        item = await uow.items.get(cmd.item_id, for_update=True)
        if item is None:
            return  # an item of another deployment or already purged: nothing to record
        checked = item.with_budget_check(cmd.passed, visum_required=cmd.visum_required)
        await uow.items.update(checked)
        _announce(uow, checked)

    async def record_visum(self, uow: MeetingsUnitOfWork, cmd: RecordVisum) -> None:
        """Store the financial director's visum on the item."""
        item = await uow.items.get(cmd.item_id, for_update=True)
        if item is None:
            return
        checked = item.with_visum(cmd.granted)
        await uow.items.update(checked)
        _announce(uow, checked)

    async def record_seat(self, uow: MeetingsUnitOfWork, cmd: RecordSeat) -> None:
        """A mandate started: keep the read model of sitting members current."""
        await uow.seats.upsert(
            Seat(
                mandate_id=cmd.mandate_id,
                person_id=cmd.person_id,
                person_name=cmd.person_name,
                body=cmd.body,
                role=cmd.role,
                status=cmd.status,
                voting=cmd.voting,
                start=cmd.start,
                end=cmd.end,
                group=cmd.group,
            )
        )

    async def change_seat_status(self, uow: MeetingsUnitOfWork, cmd: ChangeSeatStatus) -> None:
        """A member became effective, acting or prevented."""
        seat = await uow.seats.get(cmd.mandate_id)
        if seat is None:
            return  # a change for a mandate this deployment never saw start
        await uow.seats.upsert(replace(seat, status=cmd.status))

    async def end_seat(self, uow: MeetingsUnitOfWork, cmd: EndSeat) -> None:
        """A mandate ended."""
        seat = await uow.seats.get(cmd.mandate_id)
        if seat is None:
            return
        await uow.seats.upsert(replace(seat, end=cmd.end))

    async def record_consultation(self, uow: MeetingsUnitOfWork, cmd: RecordConsultation) -> None:
        """A concluded union consultation lets its staff-rules item be tabled."""
        await uow.consultations.record(cmd.consultation_id, concluded=cmd.concluded, protocol=cmd.protocol)

    async def record_execution(self, uow: MeetingsUnitOfWork, cmd: RecordExecution) -> None:
        """Every follow-up task of the decision is done."""
        record = await uow.decisions.get(cmd.decision_id, for_update=True)
        if record is None or record.executed_at is not None:
            return
        await uow.decisions.update(record.model_copy(update={"executed_at": cmd.executed_at}))
