"""What notifications does when other services tell it something; the messaging wrapper commits."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from services.notifications.domain import events
from services.notifications.domain.commands import (
    Announce,
    ChangeSeatStatus,
    EndSeat,
    InformCouncil,
    KeepSeat,
    NotifyTaskOwner,
)
from services.notifications.domain.model import (
    COUNCIL_OF,
    InboxEntry,
    Seat,
    council_to_inform,
    entry_for_overruling,
    entry_for_task,
)
from services.notifications.service_layer.fanout import fan_out
from services.notifications.service_layer.ports import NotificationsUnitOfWork
from shared.clock import Clock
from shared.vocabulary import Confidentiality, LegalEntity

__all__ = ["NotificationReactions"]


class NotificationReactions:
    """Inbox entries for what people must hear of, once each however often the news arrives;
    and the council seats, to know who must hear what the council must."""

    def __init__(self, clock: Clock, districts: Collection[str] = (), link_base: str = "http://127.0.0.1") -> None:
        self._clock = clock
        self._districts = frozenset(districts)
        self._link_base = link_base

    async def _put(
        self, uow: NotificationsUnitOfWork, entry: InboxEntry, entity: LegalEntity, confidentiality: Confidentiality
    ) -> None:
        if await uow.inboxes.add_if_new(entry):
            uow.emit(
                events.InboxEntryCreated(
                    entry_id=entry.entry_id,
                    person_id=entry.person_id,
                    title=entry.title,
                    about=entry.about,
                    entity=entity,
                    confidentiality=confidentiality,
                )
            )

    async def notify_task_owner(self, uow: NotificationsUnitOfWork, cmd: NotifyTaskOwner) -> None:
        """Put the new task in its owner's inbox."""
        await self._put(uow, entry_for_task(cmd, uuid.uuid4(), self._clock()), cmd.entity, cmd.confidentiality)

    async def inform_council(self, uow: NotificationsUnitOfWork, cmd: InformCouncil) -> None:
        """Tell every sitting member of the entity's council that the college or vast bureau overruled a
        refused visum (every overruling is reported to the council), one entry each; delivered again
        while no member is known yet (`CouncilNotKnown`)."""
        now = self._clock()
        seats = await uow.seats.of_body(COUNCIL_OF[cmd.entity])
        for person in council_to_inform(seats, cmd.entity, now.date()):
            await self._put(uow, entry_for_overruling(person, cmd, uuid.uuid4(), now), cmd.entity, cmd.confidentiality)

    async def announce(self, uow: NotificationsUnitOfWork, cmd: Announce) -> None:
        """Pass an event on, redacted for each audience: to the feeds of the districts it concerns, and
        to every subscription whose filter it passes (inbox entries now, mail and webhooks queued)."""
        await fan_out(uow, cmd.notice, districts=self._districts, link_base=self._link_base, now=self._clock())

    async def notify_task_owner_and_announce(self, uow: NotificationsUnitOfWork, cmd: NotifyTaskOwner) -> None:
        """Put the new task in its owner's inbox, and pass it on to whoever subscribed to tasks."""
        await self.notify_task_owner(uow, cmd)
        if cmd.notice is not None:
            await self.announce(uow, Announce(cmd.notice))

    async def keep_seat(self, uow: NotificationsUnitOfWork, cmd: KeepSeat) -> None:
        """A council seat began."""
        await uow.seats.keep(Seat(cmd.mandate_id, cmd.person_id, cmd.body, cmd.status, cmd.voting, cmd.start, cmd.end))

    async def change_seat_status(self, uow: NotificationsUnitOfWork, cmd: ChangeSeatStatus) -> None:
        """A council seat's holder is prevented, acting or effective again."""
        await uow.seats.set_status(cmd.mandate_id, cmd.status)

    async def end_seat(self, uow: NotificationsUnitOfWork, cmd: EndSeat) -> None:
        """A council seat ends."""
        await uow.seats.end(cmd.mandate_id, cmd.end)
