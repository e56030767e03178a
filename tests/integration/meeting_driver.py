"""Drive the running meetings service by its commands, as the council secretariat would.

The service runs on a clock file the driver owns: a meeting planned days ahead opens at its time,
so the driver moves the clock on to it first (never back). `decide` takes an item through a whole
session of its body, for tests of other services that need an adopted decision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nats.aio.client import Client
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.clock import FileClock, advance_clock_file
from shared.contracts.base import Command, Confidentiality, LegalEntity, Query, QueryReply
from shared.contracts.common import BodyKind, CommandReply
from shared.contracts.meetings import DecisionKind, ProposeAgendaItem, VoteChoice, VoteTally
from shared.contracts.organisation import MandateRole, MandateStarted, MandateStatus
from shared.contracts.sessions import (
    ApproveMinutes,
    CloseMeeting,
    ConveneMeeting,
    GetItemReadiness,
    GetItemReadinessReply,
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
from tests.actors import as_person
from tests.integration.processes import ServiceProcess
from tests.integration.waiting import answered, eventually

__all__ = ["MeetingDriver", "majority", "meetings_process", "publish_mandates"]

R = TypeVar("R", bound=QueryReply)

ENTITY = {
    BodyKind.GEMEENTERAAD: LegalEntity.GEMEENTE,
    BodyKind.COLLEGE: LegalEntity.GEMEENTE,
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: LegalEntity.OCMW,
    BodyKind.VAST_BUREAU: LegalEntity.OCMW,
    BodyKind.BCSD: LegalEntity.OCMW,
    BodyKind.BURGEMEESTER: LegalEntity.GEMEENTE,
    BodyKind.MANAGEMENTTEAM: LegalEntity.GEMEENTE,
}
#: Bodies whose agenda goes out at least 8 days before their meetings.
_WITH_TERM = {BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}


def meetings_process(nats_server: Any, pg_dsn: str, schema: str, clock_file: Path) -> ServiceProcess:
    """The meetings service in its own schema, on a clock file the test moves."""
    return ServiceProcess(
        "meetings",
        nats_server.url,
        nats_server.passwords["meetings"],
        pg_dsn,
        schema,
        extra_env={"RW_CLOCK_FILE": str(clock_file)},
    )


async def publish_mandates(
    nc: Client,
    body: BodyKind,
    people: list[str],
    *,
    first: MandateRole = MandateRole.CHAIR,
    groups: dict[str, str] | None = None,
) -> None:
    """Seats in `body` as organisation announces them; the first person chairs (or is `first`)."""
    js = nc.jetstream()
    for i, person in enumerate(people):
        event = MandateStarted(
            mandate_id=uuid.uuid4(),
            person_id=person,
            person_name=f"Mandataris {person}",
            body=body,
            entity=ENTITY[body],
            role=first if i == 0 else MandateRole.MEMBER,
            status=MandateStatus.EFFECTIVE,
            start=dt.date(2025, 1, 1),
            group=(groups or {}).get(person),
        )
        envelope = Envelope(
            id=str(uuid.uuid4()),
            type=event.ce_type(),
            source="/raderwerk/organisation",
            time=dt.datetime.now(dt.UTC),
            correlation_id=str(uuid.uuid4()),
        )
        await js.publish(event.SUBJECT, event.model_dump_json().encode(), headers=envelope.to_headers())


#: The demo's secretariat, who records attendance and votes (`RW_MEETINGS_SECRETARIAT_PERSON_IDS`).
SECRETARIAT = "p-secr"
#: The demo's algemeen directeur, who co-signs the minutes.
ALGEMEEN_DIRECTEUR = "p-ad"


def majority(voters: list[str], extra: int = 0) -> list[str]:
    """Just enough members for the quorum (plus `extra`), whoever else sits in the shared test stack."""
    return voters[: len(voters) // 2 + 1 + extra]


def _cid() -> str:
    return uuid.uuid4().hex


@dataclass
class MeetingDriver:
    nc: Client
    engine: AsyncEngine
    clock_file: Path
    """The clock the meetings service reads; meetings open on time, so the driver moves it on."""
    times: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)
    cast: dict[BodyKind, list[str]] = field(default_factory=dict)
    """The people a test seated, per body, in the order it seated them."""

    def now(self) -> dt.datetime:
        return FileClock(self.clock_file)()

    def until(self, meeting: uuid.UUID) -> None:
        """Move the service's clock on to the meeting's time (never back)."""
        advance_clock_file(self.clock_file, self.times[meeting])

    async def send(self, command: Command, *, by: str = SECRETARIAT) -> CommandReply:
        """Send `command` signed by `by`: the secretariat unless the scenario names another person."""
        return await send_command(self.nc, command, actor=as_person(by), source="/raderwerk/test", timeout=10)

    async def ok(self, command: Command, *, by: str = SECRETARIAT) -> CommandReply:
        reply = await self.send(command, by=by)
        assert reply.accepted, f"{type(command).__name__}: {reply.code}: {reply.message}"
        return reply

    async def ask(self, query: Query, reply: type[R], *, by: str | None = SECRETARIAT, timeout: float = 10.0) -> R:
        """Answer a query for `by` (None: someone who holds no seat anywhere) with its typed reply; a refusal
        raises `Rejected`."""
        actor = as_person(by or "p-nobody")
        return await send_query(self.nc, query, reply, actor=actor, source="/raderwerk/test", timeout=timeout)

    async def wait_ready(self) -> None:
        """Meetings answers a query (a request sent before it subscribed gets no answer at all)."""
        await answered(
            lambda seconds: self.ask(ListMeetings(command_id=_cid()), ListMeetingsReply, timeout=seconds),
            what="meetings to answer",
        )

    async def voters(self, body: BodyKind, at_least: int) -> list[str]:
        """The sitting voting members of `body` in meetings' read model, once `at_least` arrived and
        meetings has taken every mandate announced so far: a quorum counted from the seats that had
        arrived while others were still on their way would be too small."""
        await mandates_taken(self.nc)

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
        confidentiality: Confidentiality | None = None,
        motivation: str = "Gemotiveerd volgens het dossier.",
        **extra: Any,
    ) -> uuid.UUID:
        """Propose an item; without a confidentiality meetings applies the rules (closed about persons)."""
        reply = await self.ok(
            ProposeAgendaItem(
                command_id=_cid(),
                body=body,
                entity=extra.pop("entity", ENTITY[body]),
                title=title,
                kind=kind,
                confidentiality=confidentiality,
                legal_basis="Decreet lokaal bestuur van 22 december 2017",
                motivation=motivation,
                **extra,
            )
        )
        return uuid.UUID(reply.ids["item_id"])

    async def schedule(self, body: BodyKind, days: float, **fields: Any) -> uuid.UUID:
        when = self.now() + dt.timedelta(days=days)
        reply = await self.ok(
            ScheduleMeeting(command_id=_cid(), body=body, scheduled_at=when, location="Raadzaal", **fields)
        )
        meeting = uuid.UUID(reply.ids["meeting_id"])
        self.times[meeting] = when
        return meeting

    async def convene(self, meeting: uuid.UUID, *items: uuid.UUID) -> None:
        await self.ok(ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=items))

    async def convene_when_ready(self, meeting: uuid.UUID, *items: uuid.UUID) -> CommandReply:
        """Convene once meetings says finance's budget check and any visum are in (its readiness query),
        rather than trying the convocation until it stops being refused."""
        for item in items:

            async def readiness(item: uuid.UUID = item) -> GetItemReadinessReply:
                return await self.ask(GetItemReadiness(command_id=_cid(), item_id=item), GetItemReadinessReply)

            await eventually(
                readiness,
                lambda r: r.refusal not in {"budget_check_missing", "visum_missing"},
                timeout=30,
                what="the items to be ready",
            )
        command = ConveneMeeting(command_id=_cid(), meeting_id=meeting, item_ids=items)
        return await self.send(command)

    async def open(self, meeting: uuid.UUID, present: list[str]) -> None:
        self.until(meeting)
        await self.ok(OpenSession(command_id=_cid(), meeting_id=meeting, present=tuple(present), chair_id=present[0]))

    async def decide(
        self, body: BodyKind, item: uuid.UUID, present: list[str], *, secret: bool = False, against: int = 0
    ) -> CommandReply:
        """Take `item` through a session of `body`: schedule, convene (once ready), open, vote, close.

        Answers the vote's reply (its `decision_id`); a refused convocation is answered instead.
        """
        meeting = await self.schedule(body, days=9 if body in _WITH_TERM else 0.01)
        convened = await self.convene_when_ready(meeting, item)
        if not convened.accepted:
            return convened
        await self.open(meeting, present)
        if secret:
            vote = await self.vote_secret(
                meeting, item, VoteTally(in_favour=len(present) - against, against=against, abstentions=0)
            )
        else:
            vote = await self.vote_open(meeting, item, present, against=against)
        await self.close(meeting)
        return vote

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
        await self.ok(SignMinutes(command_id=_cid(), meeting_id=minutes_of), by=chair)
        await self.ok(SignMinutes(command_id=_cid(), meeting_id=minutes_of), by=ALGEMEEN_DIRECTEUR)

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


async def seats_settled(nc: Client, organisation: AsyncEngine) -> None:
    """Every mandate the running organisation announced is in meetings' seats.

    A test that counts a body's voters before a seeded organisation's relay published its demo seats
    would compute a quorum of too few members.
    """

    async def unpublished() -> int:
        async with organisation.connect() as conn:
            return int(
                (await conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))).scalar_one()
            )

    await eventually(unpublished, lambda n: n == 0, timeout=60, what="organisation's outbox published")
    await mandates_taken(nc)


async def mandates_taken(nc: Client) -> None:
    """Meetings' mandate consumer has nothing pending or unacknowledged: every announced seat is in."""

    async def behind() -> int:
        info = await nc.jetstream().consumer_info("ORGANISATION", "meetings_mandates")
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)

    await eventually(behind, lambda n: n == 0, timeout=60, what="meetings to take every mandate")
