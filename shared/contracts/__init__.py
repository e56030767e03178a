"""Versioned message contracts, one module per producing service."""

from shared.contracts import (
    audit,
    common,
    control,
    external,
    finance,
    hr,
    meetings,
    notifications,
    operations,
    organisation,
    records,
    sessions,
)
from shared.contracts.base import Command, Confidentiality, Contract, Entity, Event, LegalEntity, Money, event_types

__all__ = [
    "Command",
    "Confidentiality",
    "Contract",
    "Entity",
    "Event",
    "LegalEntity",
    "Money",
    "audit",
    "common",
    "control",
    "event_types",
    "external",
    "finance",
    "hr",
    "meetings",
    "notifications",
    "operations",
    "organisation",
    "records",
    "sessions",
]
