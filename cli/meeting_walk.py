"""`rw meeting walk`: a council meeting and the next one, driven through every step by commands.

A council meeting is planned at least 8 days ahead and opens at its time, not before: the walk
moves the run's shared clock on to each meeting (`rw clock`), as a development run allows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nats.aio.client import Client

from shared.clock import Clock, FileClock, advance_clock_file
from shared.contracts.base import Command, Confidentiality, LegalEntity, Query, QueryReply
from shared.contracts.common import BodyKind, CommandReply, FollowUpAction, FollowUpKind
from shared.contracts.meetings import AppointmentDetails, DecisionKind, ProposeAgendaItem, VoteChoice, VoteTally
from shared.contracts.sessions import (
    AddAgendaItem,
    AmendItem,
    ApproveMinutes,
    CloseMeeting,
    ConveneMeeting,
    DecisionList,
    GetDecisionList,
    GetDecisionListReply,
    LeaveItem,
    ListMembers,
    ListMembersReply,
    OpenSession,
    PostponeItem,
    PublishDocuments,
    ScheduleMeeting,
    SignMinutes,
    VerifyPublications,
    VerifyPublicationsReply,
    VoteOnItem,
)
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import Rejected

__all__ = ["WalkError", "WalkResult", "walk_council_meeting"]

SOURCE = "/raderwerk/cli"
R = TypeVar("R", bound=QueryReply)


class WalkError(RuntimeError):
    """A step was refused; the message names the step, the code and the reason."""


@dataclass
class WalkResult:
    steps: list[tuple[str, str]] = field(default_factory=list)
    decision_list: DecisionList | None = None
    published: list[dict[str, Any]] = field(default_factory=list)
    register: VerifyPublicationsReply | None = None
    meeting_id: str = ""


def _rows(value: object) -> list[dict[str, Any]]:
    assert isinstance(value, list)
    return value


def _cid() -> str:
    return uuid.uuid4().hex


@dataclass
class _Walker:
    nc: Client
    result: WalkResult
    progress: Callable[[str], None]
    clock: Clock
    """The run's time, so meetings are planned on the days the services judge terms by."""
    clock_file: Path
    """The run's shared clock, moved on to each meeting's time."""
    times: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)

    async def do(self, step: str, command: Command) -> CommandReply:
        self.progress(step)
        reply = await send_command(self.nc, command, source=SOURCE, timeout=10)
        if not reply.accepted:
            raise WalkError(f"{step}: {reply.code}: {reply.message}")
        self.result.steps.append((step, ", ".join(f"{k}={v}" for k, v in reply.data.items() if k != "published")))
        return reply

    async def ask(self, step: str, query: Query, reply_type: type[R]) -> R:
        self.progress(step)
        try:
            reply = await send_query(self.nc, query, reply_type, source=SOURCE, timeout=10)
        except Rejected as exc:
            raise WalkError(f"{step}: {exc.code}: {exc.message}") from exc
        data = reply.model_dump(mode="json", exclude={"command_id", "status", "code"}, exclude_defaults=True)
        self.result.steps.append((step, ", ".join(f"{k}={v}" for k, v in data.items())))
        return reply

    async def propose(self, title: str, **fields: Any) -> uuid.UUID:
        reply = await self.do(
            f"propose '{title}'",
            ProposeAgendaItem(
                command_id=_cid(),
                body=BodyKind.GEMEENTERAAD,
                entity=LegalEntity.GEMEENTE,
                title=title,
                legal_basis="Decreet lokaal bestuur van 22 december 2017, art. 40-41",
                proposed_by="p-secr",
                **fields,
            ),
        )
        return uuid.UUID(reply.ids["item_id"])

    async def schedule(self, days: int) -> uuid.UUID:
        when = (self.clock() + dt.timedelta(days=days)).replace(hour=19, minute=30, second=0, microsecond=0)
        reply = await self.do(
            f"schedule a council meeting on {when:%Y-%m-%d %H:%M}",
            ScheduleMeeting(command_id=_cid(), body=BodyKind.GEMEENTERAAD, scheduled_at=when, location="Raadzaal"),
        )
        meeting = uuid.UUID(reply.ids["meeting_id"])
        self.times[meeting] = when
        return meeting

    async def open(self, step: str, meeting: uuid.UUID, present: list[str], chair: str) -> None:
        """Move the run's clock on to the meeting's time (a session opens on time, not before), then open."""
        when = self.times[meeting]
        self.progress(f"the clock moves on to {when:%Y-%m-%d %H:%M}")
        advance_clock_file(self.clock_file, when)
        await self.do(step, OpenSession(command_id=_cid(), meeting_id=meeting, present=tuple(present), chair_id=chair))


async def walk_council_meeting(
    nc: Client, clock_file: Path, progress: Callable[[str], None] = lambda _: None
) -> WalkResult:
    """Propose, convene, deliberate, vote, postpone, close; then approve, sign and publish.

    `clock_file` is the run's shared clock, moved on to each meeting's time.
    """
    result = WalkResult()
    w = _Walker(nc, result, progress, FileClock(clock_file), clock_file)
    members_reply = await w.ask(
        "read the sitting members", ListMembers(command_id=_cid(), body=BodyKind.GEMEENTERAAD), ListMembersReply
    )
    members = [m for m in members_reply.members if m.voting]
    if len(members) < 3:
        raise WalkError("meetings knows no sitting council members yet: are organisation's mandates loaded?")
    ids = [m.person_id for m in members]
    chair, present = ids[0], ids[:-1]  # one member is excused

    regulation = await w.propose(
        "Retributiereglement op het parkeren",
        kind=DecisionKind.REGULATION,
        motivation="Het parkeerbeleid wordt afgestemd op het mobiliteitsplan.",
        follow_up_actions=(
            FollowUpAction(action_id="publish", kind=FollowUpKind.PUBLISH, description="Bekendmaken", unit_code="SECR"),
        ),
    )
    appointment = await w.propose(
        "Aanstelling van de lokale ombudsman",
        kind=DecisionKind.APPOINTMENT,
        confidentiality=Confidentiality.CLOSED,
        motivation="Na een vergelijkend examen is de kandidaat als eerste gerangschikt.",
        appointment=AppointmentDetails(
            person_id=f"p-ombuds-{uuid.uuid4().hex[:6]}",
            person_name="Lokale ombudsman",
            entity=LegalEntity.GEMEENTE,
            position="ombudsman",
            grade="A1a",
            statutory=True,
            start_date=w.clock().date() + dt.timedelta(days=60),
        ),
    )
    postponed = await w.propose("Naamgeving nieuwe straat in de verkaveling", motivation="Advies cultuurraad volgt.")
    first = await w.schedule(days=9)
    result.meeting_id = str(first)
    await w.do(
        "convene: publish the agenda 9 days ahead",
        ConveneMeeting(
            command_id=_cid(), meeting_id=first, item_ids=(regulation, appointment, postponed), convened_by=chair
        ),
    )
    await w.open(f"open the session ({len(present)} of {len(ids)} present)", first, present, chair)
    await w.do(
        "a member leaves for the regulation (conflict of interest)",
        LeaveItem(
            command_id=_cid(), meeting_id=first, item_id=regulation, person_id=present[-1], reason="eigenaar parking"
        ),
    )
    voters = present[:-1]
    await w.do(
        "vote on an amendment",
        AmendItem(
            command_id=_cid(),
            meeting_id=first,
            item_id=regulation,
            text="Bewonerskaart gratis voor de eerste wagen",
            proposed_by=present[1],
            open_votes=dict.fromkeys(voters, VoteChoice.IN_FAVOUR),
        ),
    )
    votes = {p: VoteChoice.AGAINST if i % 4 == 3 else VoteChoice.IN_FAVOUR for i, p in enumerate(voters)}
    await w.do(
        "open vote on the regulation",
        VoteOnItem(command_id=_cid(), meeting_id=first, item_id=regulation, open_votes=votes),
    )
    await w.do(
        "postpone the street name",
        PostponeItem(command_id=_cid(), meeting_id=first, item_id=postponed, reason="advies cultuurraad afwachten"),
    )
    in_favour = len(present) // 2 + 1
    await w.do(
        "secret ballot on the appointment (closed session, after the public part)",
        VoteOnItem(
            command_id=_cid(),
            meeting_id=first,
            item_id=appointment,
            secret_tally=VoteTally(in_favour=in_favour, against=len(present) - in_favour - 1, abstentions=1),
        ),
    )
    await w.do("close the meeting: draft minutes", CloseMeeting(command_id=_cid(), meeting_id=first))

    second = await w.schedule(days=40)
    await w.do(
        "the next meeting takes up the postponed item",
        AddAgendaItem(command_id=_cid(), meeting_id=second, item_id=postponed, added_by=chair, postponed_from=first),
    )
    await w.do(
        "convene the next meeting",
        ConveneMeeting(
            command_id=_cid(),
            meeting_id=second,
            item_ids=(await w.propose("Kennisname jaarverslag adviesraad"),),
            convened_by=chair,
        ),
    )
    await w.open("open the next meeting", second, present, chair)
    await w.do(
        "approve the minutes of the first meeting",
        ApproveMinutes(
            command_id=_cid(), meeting_id=second, minutes_of=first, comments=("Punt 1: spelling straatnaam",)
        ),
    )
    await w.do("the chair signs", SignMinutes(command_id=_cid(), meeting_id=first, person_id=chair))
    await w.do("the algemeen directeur signs", SignMinutes(command_id=_cid(), meeting_id=first, person_id="p-ad"))
    published = await w.do(
        "publish decision list, regulation and minutes", PublishDocuments(command_id=_cid(), meeting_id=first)
    )
    result.published = _rows(published.data["published"])
    listing = await w.ask(
        "read the decision list", GetDecisionList(command_id=_cid(), meeting_id=first), GetDecisionListReply
    )
    result.decision_list = listing.decision_list
    result.register = await w.ask(
        "verify the publication register", VerifyPublications(command_id=_cid()), VerifyPublicationsReply
    )
    return result
