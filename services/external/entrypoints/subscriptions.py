"""The registry of external: every subject it consumes, bound to its handler."""

from __future__ import annotations

from services.external.adapters import translation
from services.external.service_layer.commands.supervision import SupervisionCommands
from services.external.service_layer.reactions import ExternalReactions
from shared.contracts.external import RecordSupervisionAnswer
from shared.contracts.finance import VisumOverruled
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.sessions import DocumentPublished
from shared.messaging.routes import Registry, command, reaction

__all__ = ["registry"]


def registry(reactions: ExternalReactions, supervision: SupervisionCommands) -> Registry:
    """Every command and consumer of external."""
    return Registry(
        commands={
            RecordSupervisionAnswer: command(translation.record_supervision_answer, supervision.record_answer),
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
        },
    )
