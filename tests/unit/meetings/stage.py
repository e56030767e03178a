"""A municipality in memory for meetings' unit tests: seats, items and sessions by their commands.

Every step goes through meetings' own registry (contracts in, translation, handlers), as the broker
serves it; the clock is the test's, moved on to a meeting's time before its session opens.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.contracts.meetings import ProposeAgendaItem
from shared.contracts.organisation import MandateStarted
from shared.contracts.sessions import (
    CloseMeeting,
    ConveneMeeting,
    OpenSession,
    ScheduleMeeting,
    VoteOnItem,
)
from shared.kernel import Accepted
from shared.vocabulary import BodyKind, MandateRole, MandateStatus, VoteChoice, VoteTally
from tests.unit.meetings.builders import SECRETARIAT
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service

ENTITY = {
    BodyKind.GEMEENTERAAD: "gemeente",
    BodyKind.COLLEGE: "gemeente",
    BodyKind.BURGEMEESTER: "gemeente",
    BodyKind.GEMEENTERAADSCOMMISSIE: "gemeente",
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: "ocmw",
    BodyKind.VAST_BUREAU: "ocmw",
    BodyKind.BCSD: "ocmw",
    BodyKind.MANAGEMENTTEAM: "gemeente",
}


def cid() -> str:
    return uuid.uuid4().hex


@dataclass
class Stage:
    meetings: Service = field(default_factory=Service)
    uow: FakeMeetingsUnitOfWork = field(default_factory=FakeMeetingsUnitOfWork)
    times: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)

    async def send(self, command: Any, *, by: str | None = None) -> Accepted:
        """Carry out `command` signed by `by` (the secretariat unless the test names another)."""
        return await self.meetings.send(self.uow, command, by=by)

    async def seats(
        self,
        body: BodyKind,
        people: Sequence[str],
        *,
        chair: str | None = None,
        roles: dict[str, MandateRole] | None = None,
        groups: dict[str, str] | None = None,
        voting: bool = True,
    ) -> None:
        """Seats in `body` as organisation announces them; the first person chairs unless `chair` says."""
        chair = chair if chair is not None else people[0]
        for person in people:
            role = (roles or {}).get(person) or (MandateRole.CHAIR if person == chair else MandateRole.MEMBER)
            await self.meetings.tell(
                self.uow,
                MandateStarted(
                    mandate_id=uuid.uuid4(),
                    person_id=person,
                    person_name=f"Naam {person}",
                    body=body,
                    entity=ENTITY[body],  # type: ignore[arg-type]
                    role=role,
                    status=MandateStatus.EFFECTIVE,
                    voting=voting,
                    start=dt.date(2025, 1, 1),
                    group=(groups or {}).get(person),
                ),
            )

    async def propose(self, body: BodyKind, title: str, *, by: str = SECRETARIAT, **fields: Any) -> uuid.UUID:
        """Propose an item, signed by its proposer `by`."""
        reply = await self.send(
            ProposeAgendaItem.model_validate(
                {
                    "command_id": cid(),
                    "body": body,
                    "entity": ENTITY[body],
                    "title": title,
                    "legal_basis": "Decreet lokaal bestuur van 22 december 2017",
                    **fields,
                }
            ),
            by=by,
        )
        return uuid.UUID(reply.ids["item_id"])

    async def schedule(self, body: BodyKind, *, days: float = 10, **fields: Any) -> uuid.UUID:
        when = self.meetings.now() + dt.timedelta(days=days)
        reply = await self.send(
            ScheduleMeeting(command_id=cid(), body=body, scheduled_at=when, location="Zaal", **fields)
        )
        meeting = uuid.UUID(reply.ids["meeting_id"])
        self.times[meeting] = when
        return meeting

    async def convene(self, meeting: uuid.UUID, *items: uuid.UUID, by: str = SECRETARIAT, **fields: Any) -> Accepted:
        """Convene the meeting with `items`, signed by `by`."""
        return await self.send(ConveneMeeting(command_id=cid(), meeting_id=meeting, item_ids=items, **fields), by=by)

    def until(self, meeting: uuid.UUID) -> None:
        """Move the clock on to the meeting's time (never back)."""
        self.meetings.clock.at = max(self.meetings.clock.at, self.times[meeting])

    async def open(self, meeting: uuid.UUID, present: Sequence[str], chair: str | None = None) -> Accepted:
        self.until(meeting)
        return await self.send(
            OpenSession(command_id=cid(), meeting_id=meeting, present=tuple(present), chair_id=chair or present[0])
        )

    async def vote_open(
        self, meeting: uuid.UUID, item: uuid.UUID, present: Sequence[str], against: int = 0
    ) -> Accepted:
        choices = {p: VoteChoice.AGAINST if i < against else VoteChoice.IN_FAVOUR for i, p in enumerate(present)}
        return await self.send(VoteOnItem(command_id=cid(), meeting_id=meeting, item_id=item, open_votes=choices))

    async def vote_secret(self, meeting: uuid.UUID, item: uuid.UUID, tally: VoteTally) -> Accepted:
        return await self.send(VoteOnItem(command_id=cid(), meeting_id=meeting, item_id=item, secret_tally=tally))

    async def close(self, meeting: uuid.UUID) -> Accepted:
        return await self.send(CloseMeeting(command_id=cid(), meeting_id=meeting))

    async def held(
        self, body: BodyKind, items: Sequence[uuid.UUID], present: Sequence[str], *, days: float = 10
    ) -> uuid.UUID:
        """A meeting of `body` scheduled, convened with `items` and opened with `present`."""
        meeting = await self.schedule(body, days=days)
        await self.convene(meeting, *items)
        await self.open(meeting, present)
        return meeting
