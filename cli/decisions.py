"""Drive one decision the way the meeting rules require, for `rw demo` and for the chaos tests.

One place knows the steps from a proposal to an adopted decision, so the demo and every test that
drives decisions follow the rules when they change. A decision exists only as the outcome of a vote
in a session of its body: propose; schedule a meeting of the body a moment ahead; convene it with
the item once meetings says it is ready (woken by `meetings.agenda_item.checked`, then asking
`GetItemReadiness`, never by trying the convocation until it stops being refused; the visum given
where the amount needs one); open the session at its time with the sitting members present, as meetings knows them from
organisation's mandates; vote; close. Each command keeps its command id on every try, so a retry
after an outage is carried out at most once; `patient` waits out outages until the deadline.

Bodies with an agenda term (the councils) are driven by `rw meeting walk`, which moves the run's
clock; this driver takes the decisions of the executive bodies, which convene without a term.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.actor import ActorSigner
from shared.clock import Clock, system_clock
from shared.contracts.base import Command, Query, QueryReply
from shared.contracts.common import CommandReply
from shared.contracts.finance import GrantVisum
from shared.contracts.meetings import ProposeAgendaItem, VoteChoice, VoteTally
from shared.contracts.sessions import (
    CloseMeeting,
    ConveneMeeting,
    GetItemReadiness,
    GetItemReadinessReply,
    ListMembers,
    ListMembersReply,
    OpenSession,
    ScheduleMeeting,
    VoteOnItem,
)
from shared.messaging.commands import send_command, send_query
from shared.messaging.errors import NoAnswer, Rejected
from shared.topology import CONSUMERS, READINESS_SUBJECT
from shared.vocabulary import PERSON_KINDS, BodyKind

__all__ = ["Decided", "DecisionRefused", "DecisionStalled", "drive_decision", "mandates_arrived", "votes_for"]

SOURCE = "/raderwerk/cli"
#: The demo's financial director, who gives the visum where the council's threshold needs one.
FINANCIAL_DIRECTOR = "p-fd"
#: The demo's secretariat, who plans sessions and records attendance and votes.
SECRETARIAT = "p-secr"
#: The demo's algemeen directeur, who keeps the minutes and signs them with the chair.
ALGEMEEN_DIRECTEUR = "p-ad"
#: How far ahead the session is planned at first: it opens at its time, never before.
LEAD = dt.timedelta(milliseconds=400)
#: The longest lead: a planning refused as `meeting_in_past` doubles it up to here (see `_schedule`).
MAX_LEAD = dt.timedelta(seconds=30)
R = TypeVar("R", bound=QueryReply)
#: Bodies that convene without a term, whose decisions this driver takes.
EXECUTIVE_BODIES = frozenset({BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.BCSD, BodyKind.DISTRICTSCOLLEGE})


class DecisionRefused(RuntimeError):
    """A step was refused by a rule; `code` says which."""

    def __init__(self, step: str, reply: CommandReply) -> None:
        super().__init__(f"{step} rejected: {reply.code}: {reply.message}")
        self.code = reply.code

    @classmethod
    def not_ready(cls, code: str, reason: str) -> DecisionRefused:
        """Meetings says the item cannot go on an agenda, and waiting will not change that."""
        refused = cls.__new__(cls)
        RuntimeError.__init__(refused, f"the convocation rejected: {code}: {reason}")
        refused.code = code
        return refused

    @classmethod
    def voted_down(cls, reply: CommandReply) -> DecisionRefused:
        """The body voted the proposal down: a decision, but not an adopted one."""
        refused = reply.model_copy(update={"code": "voted_down", "message": f"the vote was {reply.data}"})
        return cls("the vote", refused)


class DecisionStalled(RuntimeError):
    """The flow did not move on before the deadline; the message says where it waited."""


@dataclass(frozen=True)
class Decided:
    """An adopted decision, the item it decided and the meeting that took it.

    `attempts` holds, per command id, the outcome of every try in order (`accepted` or the
    rejection code), so a printed trail can show a rejected try with its code.
    """

    item_id: uuid.UUID
    decision_id: uuid.UUID
    meeting_id: uuid.UUID | None = None
    attempts: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _id() -> str:
    return uuid.uuid4().hex


def votes_for(voters: list[str]) -> dict[str, VoteChoice]:
    """An open vote that fits the body: everyone present votes; one against and one abstention once
    there are enough members for the proposal still to carry."""
    choices = dict.fromkeys(voters, VoteChoice.IN_FAVOUR)
    if len(voters) >= 5:
        choices[voters[-1]] = VoteChoice.AGAINST
        choices[voters[-2]] = VoteChoice.ABSTAIN
    return choices


class _Flow:
    """The commands of one decision, each with its own id for every try, and what each try answered."""

    def __init__(
        self,
        nc: Client,
        signer: ActorSigner,
        correlation_id: str,
        deadline: float,
        *,
        patient: bool,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.nc = nc
        self.signer = signer
        self.correlation_id = correlation_id
        self.deadline = deadline
        self.patient = patient
        self.monotonic = monotonic
        self.attempts: dict[str, list[str]] = {}

    async def send(self, command: Command, waiting_for: str, *, by: str = SECRETARIAT) -> CommandReply:
        """The reply to `command` sent as the person `by`; while `patient`, an outage is waited out until
        the deadline: no service answers, or one answers `internal_error` (its database is away), and
        the same command is sent again (with a fresh actor token for the same command id)."""
        actor = self.signer.acting_as(by)
        while True:
            try:
                reply = await send_command(
                    self.nc, command, actor=actor, source=SOURCE, correlation_id=self.correlation_id, timeout=10
                )
            except NoAnswer:
                if not self.patient:
                    raise
            else:
                self.attempts.setdefault(command.command_id, []).append("accepted" if reply.accepted else reply.code)
                if not (self.patient and reply.code == "internal_error"):
                    return reply
            await self.pause(waiting_for)

    async def ask(self, query: Query, reply_type: type[R], waiting_for: str, *, by: str = SECRETARIAT) -> R:
        actor = self.signer.acting_as(by)
        while True:
            try:
                return await send_query(
                    self.nc,
                    query,
                    reply_type,
                    actor=actor,
                    source=SOURCE,
                    correlation_id=self.correlation_id,
                    timeout=10,
                )
            except (NoAnswer, Rejected):
                if not self.patient:
                    raise
            await self.pause(waiting_for)

    async def until(
        self, step: str, command: Command, waiting: dict[str, str], *, by: str = SECRETARIAT
    ) -> CommandReply:
        """Send `command` as `by` until accepted, pausing on the codes in `waiting` (each says what it waits for)."""
        while True:
            reply = await self.send(command, step, by=by)
            if reply.accepted:
                return reply
            if reply.code not in waiting:
                raise DecisionRefused(step, reply)
            await self.pause(waiting[reply.code])

    async def wait(self, changed: asyncio.Event, waiting_for: str, *, at_most: float = 5.0) -> None:
        """Until `changed` is set (an event arrived), or `at_most` seconds (an event missed during an
        outage is made up for by asking again); past the deadline the flow has stalled."""
        left = self.deadline - self.monotonic()
        if left <= 0:
            raise DecisionStalled(f"still waiting for {waiting_for} of {self.correlation_id}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout=min(at_most, left))

    async def pause(self, waiting_for: str, seconds: float = 0.05) -> None:
        if self.monotonic() > self.deadline:
            raise DecisionStalled(f"still waiting for {waiting_for} of {self.correlation_id}")
        await asyncio.sleep(seconds)


async def mandates_arrived(nc: Client, pause: Callable[[str], Awaitable[None]]) -> None:
    """Wait until meetings has taken in every mandate organisation announced (its consumer has none
    pending), so the members it knows are the body's; a run that does not show its consumers is trusted."""
    spec = next(c for c in CONSUMERS if c.durable == "meetings_mandates")
    js = nc.jetstream()
    while True:
        try:
            info = await js.consumer_info(spec.stream, spec.durable)
        except (nats.errors.Error, TimeoutError):
            return
        if not (info.num_pending or info.num_ack_pending):
            return
        await pause("meetings to take in organisation's mandates")


#: The chair and sitting voting members last read per connection and body: a decision reads them
#: once, and again only when the session's opening says they changed (`_open`).
_known: weakref.WeakKeyDictionary[Client, dict[BodyKind, tuple[str, list[str]]]] = weakref.WeakKeyDictionary()


async def _members(flow: _Flow, body: BodyKind, *, fresh: bool = False) -> tuple[str, list[str]]:
    """The chair and the sitting voting members, once meetings knows them from organisation's mandates.

    The members read for an earlier decision on this connection are answered again unless `fresh`:
    a body's composition changes by a mandate, and a session opened with the old one is refused
    with the code that sends `_open` here for a fresh read.
    """
    known = _known.setdefault(flow.nc, {})
    if not fresh and body in known:
        return known[body]
    await mandates_arrived(flow.nc, flow.pause)
    while True:
        reply = await flow.ask(ListMembers(command_id=_id(), body=body), ListMembersReply, "the members")
        voters = [m.person_id for m in reply.members if m.voting]
        if voters:
            known[body] = (voters[0], voters)  # chairs come first
            return known[body]
        await flow.pause(f"meetings to know the members of the {body.value} (are organisation's mandates loaded?)")


async def drive_decision(
    nc: Client,
    signer: ActorSigner,
    proposal: ProposeAgendaItem,
    *,
    correlation_id: str,
    deadline: float,
    patient: bool = False,
    clock: Clock = system_clock,
    proposer: str = SECRETARIAT,
) -> Decided:
    """Propose, and decide the item in a session of its body: schedule, convene, open, vote, close.

    Each step is signed by `signer` as the person who takes it: `proposer` proposes, the
    secretariat plans, records attendance and the vote, the chair convenes and closes, the financial
    director gives the visum.
    `clock` is the time the run's services read (the session opens at its time by that clock).
    `patient` waits out services that do not answer (a restart, an outage) until `deadline`;
    otherwise `NoAnswer` is raised at once. A refusal raises `DecisionRefused`.
    """
    if proposal.body not in EXECUTIVE_BODIES:
        raise ValueError(f"a {proposal.body.value} decision has an agenda term: use rw meeting walk")
    flow = _Flow(nc, signer, correlation_id, deadline, patient=patient)
    checks = await _checks_of(nc)  # listening before the proposal, so its budget check is not missed
    proposed = await flow.send(proposal, "meetings to take the proposal", by=proposer)
    if not proposed.accepted:
        raise DecisionRefused("proposal", proposed)
    item_id = uuid.UUID(proposed.ids["item_id"])
    members = await _members(flow, proposal.body)
    chair = members[0]
    meeting_id, scheduled_at = await _schedule(flow, proposal.body, clock)
    await _ready(flow, checks, item_id, checked_soon=proposal.financial_impact is not None)
    convene = ConveneMeeting(command_id=_id(), meeting_id=meeting_id, item_ids=(item_id,))
    await flow.until("the convocation", convene, {}, by=chair)
    while clock() < scheduled_at:
        await flow.pause("the time of the session", seconds=min(0.05, (scheduled_at - clock()).total_seconds()))
    voters = await _open(flow, meeting_id, proposal.body, members)
    if proposal.kind in PERSON_KINDS:
        vote = VoteOnItem(
            command_id=_id(),
            meeting_id=meeting_id,
            item_id=item_id,
            secret_tally=VoteTally(in_favour=len(voters) - 1, against=1, abstentions=0),
        )
    else:
        vote = VoteOnItem(command_id=_id(), meeting_id=meeting_id, item_id=item_id, open_votes=votes_for(voters))
    voted = await flow.until("the vote", vote, {})
    await flow.until("closing the session", CloseMeeting(command_id=_id(), meeting_id=meeting_id), {}, by=chair)
    if voted.data.get("outcome") != "adopted":
        raise DecisionRefused.voted_down(voted)
    return Decided(
        item_id=item_id,
        decision_id=uuid.UUID(voted.ids["decision_id"]),
        meeting_id=meeting_id,
        attempts={k: tuple(v) for k, v in flow.attempts.items()},
    )


class _Checks:
    """One live subscription per connection to `meetings.agenda_item.checked`, shared by every decision
    driven on it: each waiting item has an `asyncio.Event` set when its check or visum was recorded.

    The items checked most recently are remembered (up to `REMEMBERED`), so a check that arrives
    before its proposer starts waiting (the proposal's reply and finance's check race) is not lost.
    """

    REMEMBERED = 4096

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Event] = {}
        self.recent: dict[str, None] = {}

    async def seen(self, msg: Msg) -> None:
        try:
            item_id = str(json.loads(msg.data)["item_id"])
        except (ValueError, KeyError, TypeError):
            return
        if (changed := self.waiting.get(item_id)) is not None:
            changed.set()
            return
        self.recent[item_id] = None  # nobody waits yet: kept for the proposer who comes
        if len(self.recent) > self.REMEMBERED:
            del self.recent[next(iter(self.recent))]  # dicts keep insertion order: the oldest goes

    def waiter(self, item_id: str) -> asyncio.Event:
        """The event set when `item_id` is checked; already set when a check came before the wait."""
        changed = self.waiting.setdefault(item_id, asyncio.Event())
        if item_id in self.recent:
            del self.recent[item_id]
            changed.set()
        return changed


_checks: weakref.WeakKeyDictionary[Client, _Checks] = weakref.WeakKeyDictionary()


async def _checks_of(nc: Client) -> _Checks:
    checks = _checks.get(nc)
    if checks is None:
        checks = _checks[nc] = _Checks()
        await nc.subscribe(READINESS_SUBJECT, cb=checks.seen)
    return checks


async def _ready(flow: _Flow, checks: _Checks, item_id: uuid.UUID, *, checked_soon: bool) -> None:
    """Wait until meetings says the item can go on an agenda: an event, then a query; never by trying the
    convocation until it stops being refused. Above the council's threshold the financial director's
    visum comes first: it is given once meetings asks for it.

    With `checked_soon` (the item has a financial impact, so finance checks it) the first question
    waits for the check's event: asking before it would only be answered `budget_check_missing`.
    """
    changed = checks.waiter(str(item_id))
    visum_given = False
    try:
        if checked_soon:
            await flow.wait(changed, "finance's budget check (is finance running?)")
        while True:
            changed.clear()
            query = GetItemReadiness(command_id=_id(), item_id=item_id)
            readiness = await flow.ask(query, GetItemReadinessReply, "the item's readiness")
            if readiness.ready:
                return
            refusal = readiness.refusal or "not_ready"
            if refusal == "visum_missing" and not visum_given:
                visum = GrantVisum(command_id=_id(), item_id=item_id, conditions=("Demo: bestelbon per fase",))
                granted = await flow.send(visum, "the visum", by=FINANCIAL_DIRECTOR)
                if not granted.accepted and granted.code != "visum_already_given":
                    raise DecisionRefused("visum", granted)
                visum_given = True
            elif refusal not in ("budget_check_missing", "visum_missing"):
                raise DecisionRefused.not_ready(refusal, readiness.reason or "")
            await flow.wait(changed, "finance's budget check and visum (is finance running?)")
    finally:
        checks.waiting.pop(str(item_id), None)


async def _open(flow: _Flow, meeting_id: uuid.UUID, body: BodyKind, known: tuple[str, list[str]]) -> list[str]:
    """Open the session with every sitting member meetings knows of present; answers who is present.

    The members read before planning (`known`) are tried first. Meetings learns the members from
    organisation's mandates as they arrive: when it counts more sitting members than were known a
    moment ago (`quorum_not_reached`), the members are read again and the session opened by a new
    command with the new attendance.
    """
    chair, voters = known
    while True:
        opening = OpenSession(command_id=_id(), meeting_id=meeting_id, present=tuple(voters), chair_id=chair)
        reply = await flow.send(opening, "opening the session")
        if reply.accepted:
            return voters
        if reply.code not in {"session_not_due", "quorum_not_reached", "not_a_member"}:
            raise DecisionRefused("opening the session", reply)
        await flow.pause(f"the time of the session and its members ({reply.code})")
        chair, voters = await _members(flow, body, fresh=True)


#: How far ahead the last planning on a connection had to be, so the next one starts from there.
_leads: weakref.WeakKeyDictionary[Client, dt.timedelta] = weakref.WeakKeyDictionary()


async def _schedule(flow: _Flow, body: BodyKind, clock: Clock) -> tuple[uuid.UUID, dt.datetime]:
    """A meeting of `body` a moment ahead; a try whose time passed before meetings took it (an outage,
    or a queue under load) is replaced by a new command with a new time (it is another meeting).

    The moment ahead doubles after each such refusal, up to `MAX_LEAD`, and the connection keeps it
    (shrinking it by a tenth after each planning in time): a fixed lead shorter than the queue's wait
    would be refused every time, and every refused try adds to the load that made it late.
    """
    lead = _leads.get(flow.nc, LEAD)
    while True:
        at = clock() + lead
        reply = await flow.send(
            ScheduleMeeting(command_id=_id(), body=body, scheduled_at=at, location="Schepenzaal"), "the planning"
        )
        if reply.accepted:
            _leads[flow.nc] = max(LEAD, lead * 0.9)
            return uuid.UUID(reply.ids["meeting_id"]), at
        if reply.code != "meeting_in_past":
            raise DecisionRefused("planning the meeting", reply)
        lead = min(MAX_LEAD, lead * 2)
        # Kept at once, not on success only: the flows running beside this one plan far enough ahead now.
        _leads[flow.nc] = lead
        await flow.pause("a planning time meetings can still take", seconds=0)
