"""The agenda: planning a meeting, convening it, and amending its agenda (or an urgent item in session).

A committee meeting names its committee; a second convocation names the council meeting that lapsed
and takes up its items again. Council members add items up to 5 days before, college members never.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from services.meetings.domain import events
from services.meetings.domain.commands import AddAgendaItem, ConveneMeeting, ScheduleMeeting
from services.meetings.domain.meeting import Meeting, MeetingStatus, TreatmentOutcome
from services.meetings.domain.members import Roster
from services.meetings.domain.model import AgendaItem
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.service_layer.commands.common import (
    committee_of,
    concluded,
    item_of,
    meeting_of,
    publish_agenda,
    roster_of,
)
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import BodyKind

__all__ = ["AgendaCommands"]

#: The executive whose members may not add items to a council's agenda.
_EXECUTIVE_OF = {BodyKind.GEMEENTERAAD: BodyKind.COLLEGE, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: BodyKind.VAST_BUREAU}


def _free_for(item: AgendaItem, meeting: Meeting, postponed_from: uuid.UUID | None = None) -> None:
    """An item sits on one agenda at a time; a postponed one moves on with its lineage."""
    if item.meeting_id in {None, meeting.meeting_id, postponed_from}:
        return
    raise RuleViolation(
        "item_on_other_agenda",
        f"the item is on the agenda of meeting {item.meeting_id}; postpone it there and add it with postponed_from",
    )


class AgendaCommands:
    """Schedule, convene and amend agendas, with the municipality's terms (`MeetingPolicy`) and a clock."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def schedule(self, uow: MeetingsUnitOfWork, cmd: ScheduleMeeting) -> Accepted:
        """Plan a meeting, alone or jointly with the parallel body's meeting."""
        joint = await meeting_of(uow, cmd.joint_with, read_locked=True) if cmd.joint_with else None
        lapsed = (
            await meeting_of(uow, cmd.second_convocation_of, read_locked=True) if cmd.second_convocation_of else None
        )
        if cmd.committee_id is not None:
            await committee_of(uow, cmd.committee_id)
        meeting = Meeting.schedule(
            body=cmd.body,
            scheduled_at=cmd.scheduled_at,
            location=cmd.location,
            now=self._clock(),
            joint_with=joint,
            committee_id=cmd.committee_id,
            second_of=lapsed,
        )
        if joint is not None and joint.joint_group_id is None:
            await uow.meetings.update(joint.model_copy(update={"joint_group_id": meeting.joint_group_id}))
        await uow.meetings.add(meeting)
        uow.emit(
            events.MeetingScheduled(
                meeting_id=meeting.meeting_id,
                body=meeting.body,
                entity=meeting.entity,
                scheduled_at=meeting.scheduled_at,
                location=meeting.location,
                joint_group_id=meeting.joint_group_id,
            )
        )
        ids = {"meeting_id": str(meeting.meeting_id)}
        if meeting.joint_group_id:
            ids["joint_group_id"] = str(meeting.joint_group_id)
        return Accepted(ids=ids)

    async def convene(self, uow: MeetingsUnitOfWork, cmd: ConveneMeeting) -> Accepted:
        """Set the agenda and publish it."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        if len(set(cmd.item_ids)) != len(cmd.item_ids):
            raise RuleViolation("item_already_on_agenda", "an item appears twice on the agenda")
        items = [await item_of(uow, i) for i in cmd.item_ids]
        for item in items:
            _free_for(item, meeting)
        convened = meeting.convene(
            items,
            by=cmd.convened_by,
            now=self._clock(),
            policy=self.policy,
            concluded=await concluded(uow, items),
            urgent=cmd.urgent,
            urgency_reason=cmd.urgency_reason,
        )
        await uow.meetings.update(convened)
        for item in items:
            await uow.items.update(replace(item, meeting_id=meeting.meeting_id))
        await publish_agenda(uow, convened, policy=self.policy, now=self._clock())
        return Accepted(
            ids={"meeting_id": str(meeting.meeting_id)},
            data={"items": len(items), "retabled": sum(i.item_id in convened.retabled for i in items)},
        )

    async def add_item(self, uow: MeetingsUnitOfWork, cmd: AddAgendaItem) -> Accepted:
        """Amend the agenda (or treat an urgent item in session); the amended agenda is published at once."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        item = await item_of(uow, cmd.item_id)
        if cmd.by_member:
            if cmd.added_by not in (await roster_of(uow, meeting)).voters:
                raise RuleViolation(
                    "not_a_member", f"{cmd.added_by} is not a sitting member of the {meeting.body.value}"
                )
            executive = _EXECUTIVE_OF.get(meeting.body)
            if executive is not None:
                college = Roster.of(await uow.seats.of_body(executive), executive, meeting.scheduled_at.date())
                if cmd.added_by in college.members:
                    raise RuleViolation(
                        "college_member_cannot_add",
                        f"{cmd.added_by} sits in the {executive.value}: its members put items on the agenda"
                        " through the college, not as council members",
                    )
        if cmd.postponed_from is not None:
            earlier = await meeting_of(uow, cmd.postponed_from, read_locked=True)
            if earlier.entry(item.item_id).outcome is not TreatmentOutcome.POSTPONED:
                raise RuleViolation("not_postponed", "the item was not postponed at that meeting")
        _free_for(item, meeting, cmd.postponed_from)
        changed = meeting.add_item(
            item,
            by=cmd.added_by,
            by_member=cmd.by_member,
            now=self._clock(),
            policy=self.policy,
            concluded=await concluded(uow, [item]),
            urgency_votes=cmd.urgency_votes,
            postponed_from=cmd.postponed_from,
        )
        await uow.meetings.update(changed)
        await uow.items.update(replace(item, meeting_id=meeting.meeting_id))
        if changed.status is not MeetingStatus.PLANNED:
            await publish_agenda(uow, changed, policy=self.policy, now=self._clock())
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)}, data={"position": len(changed.entries)})
