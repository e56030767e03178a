"""The registry of meetings: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faststream.nats import NatsBroker

from services.meetings.adapters import translation as t
from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.service_layer.commands.agenda import AgendaCommands
from services.meetings.service_layer.commands.items import ItemCommands
from services.meetings.service_layer.commands.minutes import MinutesCommands
from services.meetings.service_layer.commands.publication import PublicationCommands
from services.meetings.service_layer.commands.session import SessionCommands
from services.meetings.service_layer.reactions import MeetingsReactions
from services.meetings.service_layer.views import MeetingViews
from shared.contracts import sessions as s
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed, VisumGranted, VisumRefused
from shared.contracts.hr import ConsultationConcluded, ConsultationOpened
from shared.contracts.meetings import DecideAgendaItem, ProposeAgendaItem
from shared.contracts.organisation import DecisionExecuted, MandateEnded, MandateStarted, MandateStatusChanged
from shared.messaging.commands import bind_command, bind_query
from shared.messaging.routes import command, reaction
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["Handlers", "register"]


@dataclass(frozen=True)
class Handlers:
    """The handler objects `bootstrap` builds with the policy and the clock."""

    items: ItemCommands
    agenda: AgendaCommands
    session: SessionCommands
    minutes: MinutesCommands
    publication: PublicationCommands
    reactions: MeetingsReactions
    views: MeetingViews


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlMeetingsUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    handlers: Handlers,
) -> None:
    """Bind every command, query and consumer of meetings."""
    h = handlers

    bind_command(broker, ProposeAgendaItem, command(t.propose_agenda_item, h.items.propose), uow_factory=uow_factory)
    bind_command(broker, DecideAgendaItem, command(t.decide_agenda_item, h.items.decide), uow_factory=uow_factory)
    bind_command(broker, s.ScheduleMeeting, command(t.schedule_meeting, h.agenda.schedule), uow_factory=uow_factory)
    bind_command(broker, s.ConveneMeeting, command(t.convene_meeting, h.agenda.convene), uow_factory=uow_factory)
    bind_command(broker, s.AddAgendaItem, command(t.add_agenda_item, h.agenda.add_item), uow_factory=uow_factory)
    bind_command(broker, s.OpenSession, command(t.open_session, h.session.open), uow_factory=uow_factory)
    bind_command(broker, s.LeaveItem, command(t.leave_item, h.session.leave_item), uow_factory=uow_factory)
    bind_command(broker, s.AmendItem, command(t.amend_item, h.session.amend), uow_factory=uow_factory)
    bind_command(broker, s.VoteOnItem, command(t.vote_on_item, h.session.vote), uow_factory=uow_factory)
    bind_command(broker, s.PostponeItem, command(t.postpone_item, h.session.postpone), uow_factory=uow_factory)
    bind_command(broker, s.CloseMeeting, command(t.close_meeting, h.session.close), uow_factory=uow_factory)
    bind_command(broker, s.ApproveMinutes, command(t.approve_minutes, h.minutes.approve), uow_factory=uow_factory)
    bind_command(broker, s.SignMinutes, command(t.sign_minutes, h.minutes.sign), uow_factory=uow_factory)
    bind_command(
        broker, s.PublishDocuments, command(t.publish_documents, h.publication.publish), uow_factory=uow_factory
    )

    bind_query(broker, s.GetMeeting, h.views.get_meeting, uow_factory=uow_factory)
    bind_query(broker, s.ListMeetings, h.views.list_meetings, uow_factory=uow_factory)
    bind_query(broker, s.ListMembers, h.views.list_members, uow_factory=uow_factory)
    bind_query(broker, s.GetDecision, h.views.get_decision, uow_factory=uow_factory)
    bind_query(broker, s.GetDecisionList, h.views.get_decision_list, uow_factory=uow_factory)
    bind_query(broker, s.GetMinutes, h.views.get_minutes, uow_factory=uow_factory)
    bind_query(broker, s.ExportLblod, h.views.export_lblod, uow_factory=uow_factory)
    bind_query(broker, s.VerifyPublications, h.views.verify_publications, uow_factory=uow_factory)

    r = h.reactions
    bind_consumer(
        broker,
        consumer("meetings_budget_checks"),
        {
            BudgetCheckPassed: reaction(t.record_budget_check, r.record_budget_check),
            BudgetCheckFailed: reaction(t.record_budget_check, r.record_budget_check),
            VisumGranted: reaction(t.record_visum, r.record_visum),
            VisumRefused: reaction(t.record_visum, r.record_visum),
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("meetings_mandates"),
        {
            MandateStarted: reaction(t.record_seat, r.record_seat),
            MandateStatusChanged: reaction(t.change_seat_status, r.change_seat_status),
            MandateEnded: reaction(t.end_seat, r.end_seat),
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("meetings_executions"),
        {DecisionExecuted: reaction(t.record_execution, r.record_execution)},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("meetings_consultations"),
        {
            ConsultationOpened: reaction(t.record_consultation, r.record_consultation),
            ConsultationConcluded: reaction(t.record_consultation, r.record_consultation),
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
