"""The registry of organisation: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from dataclasses import dataclass

from services.organisation.adapters import translation
from services.organisation.service_layer.commands.control import ControlCommands
from services.organisation.service_layer.commands.mandates import MandateCommands
from services.organisation.service_layer.commands.organogram import OrganogramCommands
from services.organisation.service_layer.commands.tasks import TaskCommands
from services.organisation.service_layer.reactions import OrganisationReactions
from services.organisation.service_layer.views import OrganisationViews
from shared.contracts import control as ic
from shared.contracts import organisation as c
from shared.contracts.external import ExternalDeadlineLapsed, ExternalDeadlineOpened
from shared.contracts.finance import CreditExhausted
from shared.contracts.hr import DelegationGranted, DelegationRevoked, StaffAppointed, StaffDismissed
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.records import LetterRegistered
from shared.contracts.sessions import PublicationTermNearing
from shared.messaging.routes import Registry, command, reaction

__all__ = ["OrganisationHandlers", "registry"]


@dataclass(frozen=True)
class OrganisationHandlers:
    """The handler objects `bootstrap.py` built with the task policy and the clock."""

    tasks: TaskCommands
    mandates: MandateCommands
    organogram: OrganogramCommands
    reactions: OrganisationReactions
    views: OrganisationViews
    control: ControlCommands


def registry(handlers: OrganisationHandlers) -> Registry:
    """Every command, query and consumer of organisation."""
    tasks, mandates, organogram = handlers.tasks, handlers.mandates, handlers.organogram
    reactions, views, ctl = handlers.reactions, handlers.views, handlers.control
    return Registry(
        commands={
            c.ClaimTask: command(translation.claim_task, tasks.claim),
            c.CompleteTask: command(translation.complete_task, tasks.complete),
            c.ReassignTask: command(translation.reassign_task, tasks.reassign),
            c.CommentTask: command(translation.comment_task, tasks.comment),
            c.CancelTask: command(translation.cancel_task, tasks.cancel),
            c.ScanOverdue: command(translation.scan_overdue, tasks.scan_overdue),
            c.StartMandate: command(translation.start_mandate, mandates.start),
            c.EndMandate: command(translation.end_mandate, mandates.end),
            c.ChangeMandateStatus: command(translation.change_mandate_status, mandates.change_status),
            c.DraftOrganogram: command(translation.draft_organogram, organogram.draft),
            c.ApplyOrganogram: command(translation.apply_organogram, organogram.apply),
            ic.SetUpInternalControl: command(translation.set_up_internal_control, ctl.set_up),
            ic.RegisterRisk: command(translation.register_risk, ctl.register_risk),
            ic.AddControlMeasure: command(translation.add_control_measure, ctl.add_measure),
            ic.RecordControlReview: command(translation.record_control_review, ctl.review),
            ic.RecordIncident: command(translation.record_incident, ctl.record_incident),
            ic.PlanImprovementAction: command(translation.plan_improvement_action, ctl.plan_action),
            ic.RecordAuditReport: command(translation.record_audit_report, ctl.record_audit_report),
            ic.AnswerAuditFinding: command(translation.answer_audit_finding, ctl.answer_finding),
            ic.ConcludeAfsprakennota: command(translation.conclude_afsprakennota, ctl.conclude_agreement),
        },
        queries={
            c.ListTasks: views.list_tasks,
            c.ListMandates: views.list_mandates,
            c.GetOrganogram: views.get_organogram,
            ic.GetRiskRegister: views.get_risk_register,
            ic.GetInternalControlReport: views.get_internal_control_report,
        },
        consumers={
            "organisation_decisions": {
                DecisionAdopted: reaction(translation.follow_up_decision, reactions.follow_up_decision),
                PublicationTermNearing: reaction(translation.follow_up_publication, reactions.follow_up_publication),
            },
            "organisation_credit": {
                CreditExhausted: reaction(translation.follow_up_exhausted_credit, reactions.follow_up_exhausted_credit)
            },
            "organisation_letters": {
                LetterRegistered: reaction(translation.follow_up_letter, reactions.follow_up_letter)
            },
            "organisation_external": {
                ExternalDeadlineOpened: reaction(
                    translation.follow_up_external_deadline, reactions.follow_up_external_deadline
                ),
                ExternalDeadlineLapsed: reaction(
                    translation.follow_up_external_deadline, reactions.follow_up_external_deadline
                ),
            },
            "organisation_delegations": {
                DelegationGranted: reaction(translation.record_delegation_granted, reactions.record_delegation_granted),
                DelegationRevoked: reaction(translation.record_delegation_revoked, reactions.record_delegation_revoked),
                StaffAppointed: reaction(translation.record_staff_appointed, reactions.record_staff_appointed),
                StaffDismissed: reaction(translation.record_staff_dismissed, reactions.record_staff_dismissed),
            },
        },
    )
