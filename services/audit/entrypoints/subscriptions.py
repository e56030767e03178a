"""The registry of audit: its query subjects (the ledger writer reads CAPTURE in `adapters`)."""

from __future__ import annotations

from services.audit.service_layer import views
from shared.contracts.audit import GetTrail, VerifyLedger

__all__ = ["registry"]
from shared.messaging.routes import Registry


def registry() -> Registry:
    """Audit's queries; they change nothing, so a repeat is simply answered again."""
    return Registry(
        queries={
            GetTrail: views.get_trail,
            VerifyLedger: views.verify_ledger,
        },
    )
