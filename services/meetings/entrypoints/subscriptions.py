"""Thin bindings of subjects to handlers; all reliability lives in `shared.messaging`."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.meetings.adapters.uow import SqlMeetingsUnitOfWork
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.service_layer import handlers, queries
from services.meetings.service_layer.sessions import SessionHandlers
from shared.contracts import sessions as s
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed, VisumGranted, VisumRefused
from shared.contracts.hr import ConsultationConcluded, ConsultationOpened
from shared.contracts.meetings import DecideAgendaItem, ProposeAgendaItem
from shared.contracts.organisation import DecisionExecuted, MandateEnded, MandateStarted, MandateStatusChanged
from shared.messaging.commands import bind_command
from shared.messaging.subscriber import DeadLetterStore, bind_consumer
from shared.topology import consumer

__all__ = ["register"]


def register(
    broker: NatsBroker,
    uow_factory: Callable[[], SqlMeetingsUnitOfWork],
    dead_letters: DeadLetterStore,
    *,
    policy: MeetingPolicy | None = None,
) -> None:
    """Bind every command, query and consumer of meetings."""
    bind_command(broker, ProposeAgendaItem, handlers.propose_agenda_item, uow_factory=uow_factory)
    bind_command(broker, DecideAgendaItem, handlers.decide_agenda_item, uow_factory=uow_factory)

    sh = SessionHandlers(policy)
    bind_command(broker, s.ScheduleMeeting, sh.schedule_meeting, uow_factory=uow_factory)
    bind_command(broker, s.ConveneMeeting, sh.convene_meeting, uow_factory=uow_factory)
    bind_command(broker, s.AddAgendaItem, sh.add_agenda_item, uow_factory=uow_factory)
    bind_command(broker, s.OpenSession, sh.open_session, uow_factory=uow_factory)
    bind_command(broker, s.LeaveItem, sh.leave_item, uow_factory=uow_factory)
    bind_command(broker, s.AmendItem, sh.amend_item, uow_factory=uow_factory)
    bind_command(broker, s.VoteOnItem, sh.vote_on_item, uow_factory=uow_factory)
    bind_command(broker, s.PostponeItem, sh.postpone_item, uow_factory=uow_factory)
    bind_command(broker, s.CloseMeeting, sh.close_meeting, uow_factory=uow_factory)
    bind_command(broker, s.ApproveMinutes, sh.approve_minutes, uow_factory=uow_factory)
    bind_command(broker, s.SignMinutes, sh.sign_minutes, uow_factory=uow_factory)
    bind_command(broker, s.PublishDocuments, sh.publish_documents, uow_factory=uow_factory)
    # Queries change nothing, so their replies are not stored for idempotency.
    bind_command(broker, s.GetMeeting, queries.get_meeting, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, s.ListMeetings, queries.list_meetings, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, s.ListMembers, queries.list_members, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, s.GetDecision, queries.get_decision, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, s.GetDecisionList, queries.get_decision_list, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, s.GetMinutes, queries.get_minutes, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, s.ExportLblod, queries.export_lblod, uow_factory=uow_factory, idempotent=False)
    bind_command(broker, s.VerifyPublications, queries.verify_publications, uow_factory=uow_factory, idempotent=False)

    bind_consumer(
        broker,
        consumer("meetings_budget_checks"),
        {
            BudgetCheckPassed: handlers.record_budget_check,
            BudgetCheckFailed: handlers.record_budget_check,
            VisumGranted: handlers.record_visum,
            VisumRefused: handlers.record_visum,
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("meetings_mandates"),
        {
            MandateStarted: handlers.record_mandate,
            MandateStatusChanged: handlers.record_mandate,
            MandateEnded: handlers.record_mandate,
        },
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("meetings_executions"),
        {DecisionExecuted: handlers.record_execution},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
    bind_consumer(
        broker,
        consumer("meetings_consultations"),
        {ConsultationOpened: handlers.record_consultation, ConsultationConcluded: handlers.record_consultation},
        uow_factory=uow_factory,
        dead_letters=dead_letters,
    )
