"""Drive the running meetings service by its commands, as the council secretariat would."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from nats.aio.client import Client
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.base import Command, Confidentiality, LegalEntity, Query, QueryReply
from shared.contracts.common import BodyKind, CommandReply
from shared.contracts.meetings import DecisionKind, ProposeAgendaItem, VoteChoice, VoteTally
from shared.contracts.organisation import MandateRole, MandateStarted, MandateStatus
from shared.contracts.sessions import (
    ApproveMinutes,
    CloseMeeting,
    ConveneMeeting,
    ListMeetings,
    ListMeetingsReply,
    OpenSession,
    PublishDocuments,
    ScheduleMeeting,
    SignMinutes,
    VoteOnItem,
)
from shared.messaging.commands import send_command, send_query
from shared.messaging.envelope import Envelope
from shared.messaging.errors import NoAnswer
from tests.integration.waiting import eventually

__all__ = ["MeetingDriver", "majority", "publish_mandates"]

R = TypeVar("R", bound=QueryReply)

ENTITY = {
    BodyKind.GEMEENTERAAD: LegalEntity.GEMEENTE,
    BodyKind.COLLEGE: LegalEntity.GEMEENTE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: LegalEntity.OCMW,
    BodyKind.VAST_BUREAU: LegalEntity.OCMW,
    BodyKind.BCSD: LegalEntity.OCMW,
}


async def publish_mandates(nc: Client, body: BodyKind, people: list[str]) -> None:
    """Seats in `body` as organisation announces them; the first person chairs."""
    js = nc.jetstream()
    for i, person in enumerate(people):
        event = MandateStarted(
            mandate_id=uuid.uuid4(),
            person_id=person,
            person_name=f"Mandataris {person}",
            body=body,
            entity=ENTITY[body],
            role=MandateRole.CHAIR if i == 0 else MandateRole.MEMBER,
            status=MandateStatus.EFFECTIVE,
            start=dt.date(2025, 1, 1),
        )
        envelope = Envelope(
            id=str(uuid.uuid4()),
            type=event.ce_type(),
            source="/raderwerk/organisation",
            time=dt.datetime.now(dt.UTC),
            correlation_id=str(uuid.uuid4()),
        )
        await js.publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())


def majority(voters: list[str], extra: int = 0) -> list[str]:
    """Just enough members for the quorum (plus `extra`), whoever else sits in the shared test stack."""
    return voters[: len(voters) // 2 + 1 + extra]


def _cid() -> str:
    return uuid.uuid4().hex


@dataclass
class MeetingDriver:
    nc: Client
    engine: AsyncEngine

    async def send(self, command: Command) -> CommandReply:
        return await send_command(self.nc, command, source="/raderwerk/test", timeout=10)

    async def ok(self, command: Command) -> CommandReply:
        reply = await self.send(command)
        assert reply.accepted, f"{type(command).__name__}: {reply.code}: {reply.message}"
        return reply

    async def ask(self, query: Query, reply: type[R]) -> R:
        """Answer a query with its typed reply; a refusal raises `Rejected`."""
        return await send_query(self.nc, query, reply, source="/raderwerk/test", timeout=10)

    async def wait_ready(self) -> None:
        async def probe() -> bool:
            try:
                await self.ask(ListMeetings(command_id=_cid()), ListMeetingsReply)
            except NoAnswer:
                return False
            return True

        await eventually(probe, bool, timeout=60, what="meetings to answer")

    async def voters(self, body: BodyKind, at_least: int) -> list[str]:
        """The sitting voting members of `body` in meetings' read model, once `at_least` arrived."""

        async def probe() -> list[str]:
            async with self.engine.connect() as conn:
                rows = await conn.execute(
                    text("SELECT person_id FROM seats WHERE body = :b AND voting ORDER BY person_id"),
                    {"b": body.value},
                )
                return [r[0] for r in rows]

        return await eventually(probe, lambda v: len(v) >= at_least, timeout=30, what=f"seats of the {body.value}")

    async def propose(
        self,
        body: BodyKind,
        title: str,
        *,
        kind: DecisionKind = DecisionKind.DECISION,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        motivation: str = "Gemotiveerd volgens het dossier.",
        **extra: Any,
    ) -> uuid.UUID:
        reply = await self.ok(
            ProposeAgendaItem(
                command_id=_cid(),
                body=body,
                entity=ENTITY[body],
                title=title,
                kind=kind,
                confidentiality=confidentiality,
                legal_basis="Decreet lokaal bestuur van 22 december 2017",
                motivation=motivation,
                proposed_by="p-secr",
                **extra,
            )
        )
        return uuid.UUID(reply.ids["item_id"])

    async def schedule(self, body: BodyKind, days: float, joint_with: uuid.UUID | None = None) -> uuid.UUID:
        when = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        reply = await self.ok(
            ScheduleMeeting(command_id=_cid(), body=body, scheduled_at=when, location="Raadzaal", joint_with=joint_with)
        )
        return uuid.UUID(reply.ids["meeting_id"])

    async def convene(self, meeting: uuid.UUID, *items: uuid.UUID) -> None:
        await self.ok(ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=items, convened_by="p-secr"))

    async def open(self, meeting: uuid.UUID, present: list[str]) -> None:
        await self.ok(OpenSession(command_id=_cid(), meeting_id=meeting, present=tuple(present), chair_id=present[0]))

    async def vote_open(
        self, meeting: uuid.UUID, item: uuid.UUID, present: list[str], against: int = 0
    ) -> CommandReply:
        choices = {p: VoteChoice.AGAINST if i < against else VoteChoice.IN_FAVOUR for i, p in enumerate(present)}
        return await self.ok(VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=item, open_votes=choices))

    async def vote_secret(self, meeting: uuid.UUID, item: uuid.UUID, tally: VoteTally) -> CommandReply:
        return await self.ok(VoteOnItem(command_id=_cid(), meeting_id=meeting, item_id=item, secret_tally=tally))

    async def close(self, meeting: uuid.UUID) -> None:
        await self.ok(CloseMeeting(command_id=_cid(), meeting_id=meeting))

    async def approve_and_sign(self, approving: uuid.UUID, minutes_of: uuid.UUID, chair: str) -> None:
        await self.ok(
            ApproveMinutes(command_id=_cid(), meeting_id=approving, minutes_of=minutes_of, comments=("Goedgekeurd",))
        )
        await self.ok(SignMinutes(command_id=_cid(), meeting_id=minutes_of, person_id=chair))
        await self.ok(SignMinutes(command_id=_cid(), meeting_id=minutes_of, person_id="p-ad"))

    async def publish(self, meeting: uuid.UUID) -> list[dict[str, Any]]:
        reply = await self.ok(PublishDocuments(command_id=_cid(), meeting_id=meeting))
        published = reply.data["published"]
        assert isinstance(published, list)
        return published

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.engine.connect() as conn:
            return list(await conn.execute(text(sql), params))

    async def settle(self) -> None:
        """Let the outbox relay publish what was committed (waits on the outbox, not on time)."""

        async def pending() -> int:
            return int((await self.rows("SELECT count(*) FROM outbox WHERE published_at IS NULL"))[0][0])

        await eventually(pending, lambda n: n == 0, timeout=30, what="the outbox to drain")
