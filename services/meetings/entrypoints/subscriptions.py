"""The registry of meetings: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from dataclasses import dataclass

from services.meetings.adapters import translation as t
from services.meetings.service_layer.commands.agenda import AgendaCommands
from services.meetings.service_layer.commands.committees import CommitteeCommands
from services.meetings.service_layer.commands.items import ItemCommands
from services.meetings.service_layer.commands.minutes import MinutesCommands
from services.meetings.service_layer.commands.publication import PublicationCommands
from services.meetings.service_layer.commands.session import SessionCommands
from services.meetings.service_layer.commands.treatment import TreatmentCommands
from services.meetings.service_layer.reactions import MeetingsReactions
from services.meetings.service_layer.team_views import get_management_team_report
from services.meetings.service_layer.views import MeetingViews
from shared.contracts import sessions as s
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed, VisumGranted, VisumRefused
from shared.contracts.hr import ConsultationConcluded, ConsultationOpened
from shared.contracts.meetings import DecideAsMayor, GetManagementTeamReport, GiveLegalityAdvice, ProposeAgendaItem
from shared.contracts.organisation import DecisionExecuted, MandateEnded, MandateStarted, MandateStatusChanged
from shared.messaging.routes import Registry, command, reaction

__all__ = ["Handlers", "registry"]


@dataclass(frozen=True)
class Handlers:
    """The handler objects `bootstrap` builds with the policy and the clock."""

    items: ItemCommands
    agenda: AgendaCommands
    session: SessionCommands
    treatment: TreatmentCommands
    committees: CommitteeCommands
    minutes: MinutesCommands
    publication: PublicationCommands
    reactions: MeetingsReactions
    views: MeetingViews


def registry(handlers: Handlers) -> Registry:
    """Every command, query and consumer of meetings."""
    h = handlers
    r = h.reactions
    return Registry(
        commands={
            ProposeAgendaItem: command(t.propose_agenda_item, h.items.propose),
            DecideAsMayor: command(t.decide_as_mayor, h.items.decide_as_mayor),
            GiveLegalityAdvice: command(t.give_legality_advice, h.items.give_legality_advice),
            s.SetUpCommittee: command(t.set_up_committee, h.committees.set_up),
            s.ScheduleMeeting: command(t.schedule_meeting, h.agenda.schedule),
            s.ConveneMeeting: command(t.convene_meeting, h.agenda.convene),
            s.AddAgendaItem: command(t.add_agenda_item, h.agenda.add_item),
            s.OpenSession: command(t.open_session, h.session.open),
            s.RecordLapse: command(t.record_lapse, h.session.record_lapse),
            s.LeaveItem: command(t.leave_item, h.session.leave_item),
            s.TreatInClosedSession: command(t.treat_in_closed_session, h.session.treat_in_closed_session),
            s.AmendItem: command(t.amend_item, h.treatment.amend),
            s.VoteOnItem: command(t.vote_on_item, h.treatment.vote),
            s.AdviseOnItem: command(t.advise_on_item, h.treatment.advise),
            s.PostponeItem: command(t.postpone_item, h.session.postpone),
            s.CloseMeeting: command(t.close_meeting, h.session.close),
            s.ApproveMinutes: command(t.approve_minutes, h.minutes.approve),
            s.SignMinutes: command(t.sign_minutes, h.minutes.sign),
            s.RevokeSignature: command(t.revoke_signature, h.minutes.revoke),
            s.PublishDocuments: command(t.publish_documents, h.publication.publish),
            s.ScanPublicationTerms: command(t.scan_publication_terms, h.publication.scan_terms),
        },
        queries={
            s.GetMeeting: h.views.get_meeting,
            s.ListMeetings: h.views.list_meetings,
            s.ListMembers: h.views.list_members,
            s.GetDecision: h.views.get_decision,
            s.GetDecisionList: h.views.get_decision_list,
            s.GetMinutes: h.views.get_minutes,
            s.ExportLblod: h.views.export_lblod,
            s.VerifyPublications: h.views.verify_publications,
            s.GetTextInForce: h.views.get_text_in_force,
            s.ListPublishedDocuments: h.views.list_published_documents,
            s.GetItemHistory: h.views.get_item_history,
            s.GetItemReadiness: h.views.get_item_readiness,
            s.GetItemFiles: h.views.get_item_files,
            s.ListCommittees: h.views.list_committees,
            s.GetCommitteeShares: h.views.get_committee_shares,
            GetManagementTeamReport: get_management_team_report,
        },
        consumers={
            "meetings_budget_checks": {
                BudgetCheckPassed: reaction(t.record_budget_check, r.record_budget_check),
                BudgetCheckFailed: reaction(t.record_budget_check, r.record_budget_check),
                VisumGranted: reaction(t.record_visum, r.record_visum),
                VisumRefused: reaction(t.record_visum, r.record_visum),
            },
            "meetings_mandates": {
                MandateStarted: reaction(t.record_seat, r.record_seat),
                MandateStatusChanged: reaction(t.change_seat_status, r.change_seat_status),
                MandateEnded: reaction(t.end_seat, r.end_seat),
            },
            "meetings_executions": {DecisionExecuted: reaction(t.record_execution, r.record_execution)},
            "meetings_consultations": {
                ConsultationOpened: reaction(t.record_consultation, r.record_consultation),
                ConsultationConcluded: reaction(t.record_consultation, r.record_consultation),
            },
        },
    )
