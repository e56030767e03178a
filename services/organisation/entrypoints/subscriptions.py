"""The registry of organisation: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from dataclasses import dataclass

from services.organisation.adapters import translation
from services.organisation.service_layer.commands.mandates import MandateCommands
from services.organisation.service_layer.commands.organogram import OrganogramCommands
from services.organisation.service_layer.commands.tasks import TaskCommands
from services.organisation.service_layer.reactions import OrganisationReactions
from services.organisation.service_layer.views import OrganisationViews
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


def registry(handlers: OrganisationHandlers) -> Registry:
    """Every command, query and consumer of organisation."""
    tasks, mandates, organogram = handlers.tasks, handlers.mandates, handlers.organogram
    reactions, views = handlers.reactions, handlers.views
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
        },
        queries={
            c.ListTasks: views.list_tasks,
            c.ListMandates: views.list_mandates,
            c.GetOrganogram: views.get_organogram,
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
