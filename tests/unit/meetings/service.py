"""Meetings as its entrypoint serves it, for unit tests: contracts in through the translation.

`Service.send(uow, contract)` routes a command or query contract as `entrypoints/subscriptions.py`
binds it (`command(translation.x, handlers.y)`), so a test drives the translation too;
`Service.tell(uow, event)` does the same for a consumed event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from services.meetings.adapters import translation as t
from services.meetings.bootstrap import handlers_of
from services.meetings.domain.policy import MeetingPolicy
from shared.clock import FixedClock
from shared.contracts import sessions as s
from shared.contracts.base import Command, Event, Query, QueryReply
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed, VisumGranted, VisumRefused
from shared.contracts.hr import ConsultationConcluded, ConsultationOpened
from shared.contracts.meetings import DecideAgendaItem, ProposeAgendaItem
from shared.contracts.organisation import DecisionExecuted, MandateEnded, MandateStarted, MandateStatusChanged
from shared.kernel import Accepted
from shared.messaging.envelope import Envelope
from shared.messaging.routes import command, reaction
from tests.unit.meetings.builders import NOW, POLICY

R = TypeVar("R", bound=QueryReply)

ENVELOPE = Envelope(id="msg-1", type="t", source="/test", time=NOW, correlation_id="corr-1")


class Service:
    """Every command, query and reaction of meetings, with one policy and one clock."""

    def __init__(self, policy: MeetingPolicy = POLICY, clock: FixedClock | None = None) -> None:
        self.clock = clock or FixedClock(NOW)
        h = handlers_of(policy, self.clock)
        self.handlers = h
        self._commands: dict[type[Command], Callable[[Any, Any], Awaitable[Accepted]]] = {
            ProposeAgendaItem: command(t.propose_agenda_item, h.items.propose),
            DecideAgendaItem: command(t.decide_agenda_item, h.items.decide),
            s.ScheduleMeeting: command(t.schedule_meeting, h.agenda.schedule),
            s.ConveneMeeting: command(t.convene_meeting, h.agenda.convene),
            s.AddAgendaItem: command(t.add_agenda_item, h.agenda.add_item),
            s.OpenSession: command(t.open_session, h.session.open),
            s.LeaveItem: command(t.leave_item, h.session.leave_item),
            s.AmendItem: command(t.amend_item, h.session.amend),
            s.VoteOnItem: command(t.vote_on_item, h.session.vote),
            s.PostponeItem: command(t.postpone_item, h.session.postpone),
            s.CloseMeeting: command(t.close_meeting, h.session.close),
            s.ApproveMinutes: command(t.approve_minutes, h.minutes.approve),
            s.SignMinutes: command(t.sign_minutes, h.minutes.sign),
            s.PublishDocuments: command(t.publish_documents, h.publication.publish),
        }
        self._views: dict[type[Query], Callable[[Any, Any], Awaitable[QueryReply]]] = {
            s.GetMeeting: h.views.get_meeting,
            s.ListMeetings: h.views.list_meetings,
            s.ListMembers: h.views.list_members,
            s.GetDecision: h.views.get_decision,
            s.GetDecisionList: h.views.get_decision_list,
            s.GetMinutes: h.views.get_minutes,
            s.ExportLblod: h.views.export_lblod,
            s.VerifyPublications: h.views.verify_publications,
        }
        r = h.reactions
        self._reactions: dict[type[Event], Callable[[Any, Any, Envelope], Awaitable[None]]] = {
            BudgetCheckPassed: reaction(t.record_budget_check, r.record_budget_check),
            BudgetCheckFailed: reaction(t.record_budget_check, r.record_budget_check),
            VisumGranted: reaction(t.record_visum, r.record_visum),
            VisumRefused: reaction(t.record_visum, r.record_visum),
            MandateStarted: reaction(t.record_seat, r.record_seat),
            MandateStatusChanged: reaction(t.change_seat_status, r.change_seat_status),
            MandateEnded: reaction(t.end_seat, r.end_seat),
            DecisionExecuted: reaction(t.record_execution, r.record_execution),
            ConsultationOpened: reaction(t.record_consultation, r.record_consultation),
            ConsultationConcluded: reaction(t.record_consultation, r.record_consultation),
        }

    async def send(self, uow: Any, contract: Command) -> Accepted:
        """Carry out a command; a refusal raises `RuleViolation`."""
        return await self._commands[type(contract)](uow, contract)

    async def ask(self, uow: Any, query: Query, reply: type[R]) -> R:
        """Answer a query with its typed reply (checked like `send_query` does)."""
        assert reply is type(query).Reply
        answer = await self._views[type(query)](uow, query)
        assert isinstance(answer, reply)
        return answer

    async def tell(self, uow: Any, event: Event, envelope: Envelope = ENVELOPE) -> None:
        """Deliver a consumed event."""
        await self._reactions[type(event)](uow, event, envelope)

    def now(self) -> dt.datetime:
        return self.clock()
