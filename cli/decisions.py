"""Drive one decision the way the meeting rules require, for `rw demo` and for the chaos tests.

One place knows the steps from a proposal to an adopted decision (today: propose, wait for the
budget check, give the visum where the amount needs one, decide), so the demo and every test that
drives decisions follow the rules when they change. Each command keeps its command id on every
try, so a retry after an outage is carried out at most once.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from nats.aio.client import Client

from shared.contracts.base import Command
from shared.contracts.common import CommandReply
from shared.contracts.finance import GrantVisum
from shared.contracts.meetings import DecideAgendaItem, ProposeAgendaItem, VoteTally
from shared.messaging.commands import send_command
from shared.messaging.errors import NoAnswer

__all__ = ["Decided", "DecisionRefused", "DecisionStalled", "drive_decision"]

SOURCE = "/raderwerk/cli"
#: The demo's financial director, who gives the visum where the council's threshold needs one.
FINANCIAL_DIRECTOR = "p-fd"


class DecisionRefused(RuntimeError):
    """A step was refused by a rule; `code` says which."""

    def __init__(self, step: str, reply: CommandReply) -> None:
        super().__init__(f"{step} rejected: {reply.code}: {reply.message}")
        self.code = reply.code


class DecisionStalled(RuntimeError):
    """The flow did not move on before the deadline; the message says where it waited."""


@dataclass(frozen=True)
class Decided:
    """An adopted decision and the item it decided."""

    item_id: uuid.UUID
    decision_id: uuid.UUID


def _id() -> str:
    return uuid.uuid4().hex


class _Flow:
    """The commands of one decision, each with its own id for every try."""

    def __init__(
        self,
        nc: Client,
        correlation_id: str,
        deadline: float,
        patient: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.nc = nc
        self.correlation_id = correlation_id
        self.deadline = deadline
        self.patient = patient
        self.clock = clock

    async def send(self, command: Command, waiting_for: str) -> CommandReply:
        """The reply; while `patient`, an outage (no service answers) is waited out until the deadline."""
        while True:
            try:
                return await send_command(
                    self.nc, command, source=SOURCE, correlation_id=self.correlation_id, timeout=10
                )
            except NoAnswer:
                if not self.patient:
                    raise
            await self.pause(waiting_for)

    async def pause(self, waiting_for: str) -> None:
        if self.clock() > self.deadline:
            raise DecisionStalled(f"still waiting for {waiting_for} of {self.correlation_id}")
        await asyncio.sleep(0.1)


async def drive_decision(
    nc: Client,
    proposal: ProposeAgendaItem,
    *,
    correlation_id: str,
    deadline: float,
    patient: bool = False,
) -> Decided:
    """Propose, wait for the budget check (and give the visum when asked), and adopt.

    `patient` waits out services that do not answer (a restart, an outage) until `deadline`;
    otherwise `NoAnswer` is raised at once. A refusal raises `DecisionRefused`.
    """
    flow = _Flow(nc, correlation_id, deadline, patient)
    proposed = await flow.send(proposal, "meetings to take the proposal")
    if not proposed.accepted:
        raise DecisionRefused("proposal", proposed)
    item_id = uuid.UUID(proposed.ids["item_id"])
    decide = DecideAgendaItem(
        command_id=_id(), item_id=item_id, votes=VoteTally(in_favour=5, against=1, abstentions=1)
    )
    visum = GrantVisum(
        command_id=_id(), item_id=item_id, person_id=FINANCIAL_DIRECTOR, conditions=("Demo: bestelbon per fase",)
    )
    while True:
        reply = await flow.send(decide, "the decision")
        if reply.accepted:
            return Decided(item_id, uuid.UUID(reply.ids["decision_id"]))
        if reply.code == "visum_missing":
            # Above the council's threshold the financial director's visum comes first.
            granted = await flow.send(visum, "the visum")
            if not granted.accepted and granted.code != "visum_already_given":
                raise DecisionRefused("visum", granted)
        elif reply.code != "budget_check_missing":
            raise DecisionRefused("decision", reply)
        await flow.pause("finance's budget check (is finance running?)")
