"""The registry of external: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from dataclasses import dataclass

from services.external.adapters import translation
from services.external.service_layer.commands.registry import RegistryCommands
from services.external.service_layer.commands.supervision import SupervisionCommands
from services.external.service_layer.reactions import ExternalReactions
from services.external.service_layer.views import ExternalViews
from shared.contracts import external as c
from shared.contracts.finance import VisumOverruled
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import DocumentPublished
from shared.messaging.routes import Registry, command, reaction

__all__ = ["ExternalHandlers", "registry"]


@dataclass(frozen=True)
class ExternalHandlers:
    """The handler objects `bootstrap.py` built with the policies and the clock."""

    reactions: ExternalReactions
    entities: RegistryCommands
    views: ExternalViews
    supervision: SupervisionCommands


def registry(handlers: ExternalHandlers) -> Registry:
    """Every command, query and consumer of external."""
    reactions, entities, views, supervision = (
        handlers.reactions,
        handlers.entities,
        handlers.views,
        handlers.supervision,
    )
    return Registry(
        commands={
            c.RegisterExternalEntity: command(translation.register_entity, entities.register),
            c.RecordManagementAgreement: command(translation.record_management_agreement, entities.record_agreement),
            c.FileChurchDocument: command(translation.file_church_document, entities.file_church_document),
            c.CloseExternalDeadline: command(translation.close_deadline, entities.close_deadline),
            c.ScanExternalDeadlines: command(translation.scan_deadlines, entities.scan_deadlines),
            c.RecordSupervisionAnswer: command(translation.record_supervision_answer, supervision.record_answer),
        },
        queries={
            c.ListExternalEntities: views.list_entities,
            c.ListExternalDeadlines: views.list_deadlines,
        },
        consumers={
            "external_decisions": {
                DecisionAdopted: reaction(translation.queue_supervision_report, reactions.queue_supervision_report)
            },
            "external_publications": {
                DocumentPublished: reaction(translation.submit_with_publication, reactions.submit_with_publication)
            },
            "external_overrulings": {
                VisumOverruled: reaction(translation.report_overruling, reactions.report_overruling)
            },
            "external_designations": {
                DecisionAdopted: reaction(translation.designate_representative, reactions.designate_representative)
            },
        },
    )
