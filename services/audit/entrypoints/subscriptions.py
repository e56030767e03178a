"""The registry of audit: its query subjects (the ledger writer reads CAPTURE in `adapters`)."""

from __future__ import annotations

from services.audit.adapters import translation
from services.audit.service_layer import views
from services.audit.service_layer.commands.checkpoints import CheckpointCommands
from shared.contracts.audit import ExportLedger, GetTrail, RecordCheckpoint, SearchLedger, VerifyLedger
from shared.messaging.routes import Registry, command

__all__ = ["registry"]


def registry(checkpoints: CheckpointCommands, ledger_views: views.LedgerViews) -> Registry:
    """Audit's queries (they change nothing, so a repeat is simply answered again) and its checkpoint command."""
    return Registry(
        commands={
            RecordCheckpoint: command(translation.record_checkpoint, checkpoints.record),
        },
        queries={
            GetTrail: views.get_trail,
            SearchLedger: views.search_ledger,
            VerifyLedger: ledger_views.verify_ledger,
            ExportLedger: ledger_views.export_ledger,
        },
    )
