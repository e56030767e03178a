"""`rw meeting walk`: a council meeting and the next one, driven through every step by commands.

The regulation on the council's agenda is first prepared by the college and advised on by a council
committee (set up once, its seats shared over the council's groups); its history then shows all
three. A meeting opens at its time, not before: the walk moves the run's shared clock on to each
meeting (`rw clock`), as a development run allows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nats.aio.client import Client

from cli.decisions import ALGEMEEN_DIRECTEUR, SECRETARIAT, mandates_arrived
from shared.actor import ActorSigner
from shared.clock import Clock, FileClock, advance_clock_file
from shared.contracts.base import Command, Confidentiality, LegalEntity, Query, QueryReply
from shared.contracts.common import BodyKind, CommandReply, FollowUpAction, FollowUpKind
from shared.contracts.meetings import AppointmentDetails, DecisionKind, ProposeAgendaItem, VoteChoice, VoteTally
from shared.contracts.sessions import (
    AddAgendaItem,
    AdviseOnItem,
    AmendItem,
    ApproveMinutes,
    CloseMeeting,
    ConveneMeeting,
    DecisionList,
    GetCommitteeShares,
    GetCommitteeSharesReply,
    GetDecisionList,
    GetDecisionListReply,
    GetItemHistory,
    GetItemHistoryReply,
    LeaveItem,
    ListCommittees,
    ListCommitteesReply,
    ListMembers,
    ListMembersReply,
    MemberLine,
    OpenSession,
    PostponeItem,
    PublishDocuments,
    ScheduleMeeting,
    SetUpCommittee,
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
COMMITTEE = "Commissie algemene zaken"


class WalkError(RuntimeError):
    """A step was refused; the message names the step, the code and the reason."""


@dataclass
class WalkResult:
    steps: list[tuple[str, str]] = field(default_factory=list)
    decision_list: DecisionList | None = None
    published: list[dict[str, Any]] = field(default_factory=list)
    register: VerifyPublicationsReply | None = None
    meeting_id: str = ""
    history: list[tuple[str, str]] = field(default_factory=list)
    """The regulation's treatments: (body, outcome) in order."""


def _rows(value: object) -> list[dict[str, Any]]:
    assert isinstance(value, list)
    return value


def _cid() -> str:
    return uuid.uuid4().hex


@dataclass
class _Walker:
    nc: Client
    signer: ActorSigner
    """Signs each step as the person who takes it (the secretariat unless a step names another)."""
    result: WalkResult
    progress: Callable[[str], None]
    clock: Clock
    """The run's time, so meetings are planned on the days the services judge terms by."""
    clock_file: Path
    """The run's shared clock, moved on to each meeting's time."""
    times: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)

    async def do(self, step: str, command: Command, *, by: str = SECRETARIAT) -> CommandReply:
        self.progress(step)
        reply = await send_command(self.nc, command, actor=self.signer.acting_as(by), source=SOURCE, timeout=10)
        if not reply.accepted:
            raise WalkError(f"{step}: {reply.code}: {reply.message}")
        self.result.steps.append((step, ", ".join(f"{k}={v}" for k, v in reply.data.items() if k != "published")))
        return reply

    async def ask(self, step: str, query: Query, reply_type: type[R], *, by: str = SECRETARIAT) -> R:
        self.progress(step)
        try:
            reply = await send_query(
                self.nc, query, reply_type, actor=self.signer.acting_as(by), source=SOURCE, timeout=10
            )
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
                **fields,
            ),
        )
        return uuid.UUID(reply.ids["item_id"])

    async def schedule(self, days: int, body: BodyKind = BodyKind.GEMEENTERAAD, **fields: Any) -> uuid.UUID:
        when = (self.clock() + dt.timedelta(days=days)).replace(hour=19, minute=30, second=0, microsecond=0)
        reply = await self.do(
            f"schedule a {body.value} meeting on {when:%Y-%m-%d %H:%M}",
            ScheduleMeeting(command_id=_cid(), body=body, scheduled_at=when, location="Raadzaal", **fields),
        )
        meeting = uuid.UUID(reply.ids["meeting_id"])
        self.times[meeting] = when
        return meeting

    async def committee(self, members: list[MemberLine]) -> tuple[uuid.UUID, list[str]]:
        """The council's committee of the walk: set up once, each group nominating its share."""
        listed = await self.ask("read the council's committees", ListCommittees(command_id=_cid()), ListCommitteesReply)
        found = next((c for c in listed.committees if c.name == COMMITTEE), None)
        if found is not None:
            return found.committee_id, list(found.members)
        shares = await self.ask(
            "share a committee's 7 seats over the council's groups",
            GetCommitteeShares(command_id=_cid(), seats=7),
            GetCommitteeSharesReply,
        )
        nominations = {
            group: tuple(m.person_id for m in members if m.group == group)[:share]
            for group, share in shares.shares.items()
        }
        chair = nominations[shares.majority[0]][0]
        held = sum(shares.shares[g] for g in shares.majority)
        reply = await self.do(
            f"the council sets up the {COMMITTEE} (the majority holds {held} of 7 seats)",
            SetUpCommittee(command_id=_cid(), name=COMMITTEE, seats=7, nominations=nominations, chair_id=chair),
        )
        return uuid.UUID(reply.ids["committee_id"]), [p for ps in nominations.values() for p in ps]

    async def prepare_and_advise(self, item: uuid.UUID, members: list[MemberLine], chair: str) -> None:
        """The college prepares the council item; the walk's committee advises on it."""
        college_reply = await self.ask(
            "read the college", ListMembers(command_id=_cid(), body=BodyKind.COLLEGE), ListMembersReply
        )
        college = [m.person_id for m in college_reply.members if m.voting]
        preparing = await self.schedule(days=1, body=BodyKind.COLLEGE)
        await self.do(
            "the college puts the regulation on its agenda",
            ConveneMeeting(command_id=_cid(), meeting_id=preparing, item_ids=(item,)),
            by=college[0],
        )
        await self.open(f"open the college's session ({len(college)} present)", preparing, college, college[0])
        await self.do(
            "the college prepares the regulation for the council",
            VoteOnItem(
                command_id=_cid(),
                meeting_id=preparing,
                item_id=item,
                open_votes=dict.fromkeys(college, VoteChoice.IN_FAVOUR),
            ),
        )
        await self.do(
            "close the college's session", CloseMeeting(command_id=_cid(), meeting_id=preparing), by=college[0]
        )
        committee, sitting = await self.committee(members)
        hearing = await self.schedule(days=1, body=BodyKind.GEMEENTERAADSCOMMISSIE, committee_id=committee)
        await self.do(
            "convene the committee",
            ConveneMeeting(command_id=_cid(), meeting_id=hearing, item_ids=(item,)),
            by=chair,
        )
        await self.open("open the committee's public session", hearing, sitting, sitting[0])
        votes = {p: VoteChoice.ABSTAIN if i == 0 else VoteChoice.IN_FAVOUR for i, p in enumerate(reversed(sitting))}
        await self.do(
            "the committee advises on the regulation",
            AdviseOnItem(
                command_id=_cid(),
                meeting_id=hearing,
                item_id=item,
                advice="Gunstig advies; de bewonerskaart verdient een apart reglement.",
                open_votes=votes,
            ),
        )
        await self.do(
            "close the committee's session", CloseMeeting(command_id=_cid(), meeting_id=hearing), by=sitting[0]
        )

    async def open(self, step: str, meeting: uuid.UUID, present: list[str], chair: str) -> None:
        """Move the run's clock on to the meeting's time (a session opens on time, not before), then open."""
        when = self.times[meeting]
        self.progress(f"the clock moves on to {when:%Y-%m-%d %H:%M}")
        advance_clock_file(self.clock_file, when)
        await self.do(step, OpenSession(command_id=_cid(), meeting_id=meeting, present=tuple(present), chair_id=chair))


async def walk_council_meeting(
    nc: Client, signer: ActorSigner, clock_file: Path, progress: Callable[[str], None] = lambda _: None
) -> WalkResult:
    """Propose, convene, deliberate, vote, postpone, close; then approve, sign and publish.

    `signer` signs each step as the demo person who takes it: the secretariat proposes, plans and
    records, the chair convenes, closes and signs with the algemeen directeur.
    `clock_file` is the run's shared clock, moved on to each meeting's time.
    """
    result = WalkResult()
    w = _Walker(nc, signer, result, progress, FileClock(clock_file), clock_file)
    deadline = time.monotonic() + 60

    async def pause(waiting_for: str) -> None:
        if time.monotonic() > deadline:
            raise WalkError(f"still waiting for {waiting_for}")
        progress(f"waiting for {waiting_for}")
        await asyncio.sleep(0.1)

    await mandates_arrived(nc, pause)
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

    await w.prepare_and_advise(regulation, members, chair)
    first = await w.schedule(days=9)
    result.meeting_id = str(first)
    await w.do(
        "convene: publish the agenda 9 days ahead",
        ConveneMeeting(command_id=_cid(), meeting_id=first, item_ids=(regulation, appointment, postponed)),
        by=chair,
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
    adopted = await w.do(
        "open vote on the regulation",
        VoteOnItem(command_id=_cid(), meeting_id=first, item_id=regulation, open_votes=votes),
    )
    history = await w.ask(
        "the regulation's history, from its decision",
        GetItemHistory(command_id=_cid(), decision_id=uuid.UUID(adopted.ids["decision_id"])),
        GetItemHistoryReply,
    )
    result.history = [(s.body.value, s.outcome) for s in history.steps]
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
    await w.do("close the meeting: draft minutes", CloseMeeting(command_id=_cid(), meeting_id=first), by=chair)

    second = await w.schedule(days=40)
    await w.do(
        "the next meeting takes up the postponed item",
        AddAgendaItem(command_id=_cid(), meeting_id=second, item_id=postponed, postponed_from=first),
        by=chair,
    )
    await w.do(
        "convene the next meeting",
        ConveneMeeting(
            command_id=_cid(),
            meeting_id=second,
            item_ids=(await w.propose("Kennisname jaarverslag adviesraad"),),
        ),
        by=chair,
    )
    await w.open("open the next meeting", second, present, chair)
    await w.do(
        "approve the minutes of the first meeting",
        ApproveMinutes(
            command_id=_cid(), meeting_id=second, minutes_of=first, comments=("Punt 1: spelling straatnaam",)
        ),
    )
    await w.do("the chair signs", SignMinutes(command_id=_cid(), meeting_id=first), by=chair)
    await w.do(
        "the algemeen directeur signs",
        SignMinutes(command_id=_cid(), meeting_id=first),
        by=ALGEMEEN_DIRECTEUR,
    )
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
