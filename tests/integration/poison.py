"""What the dead-letter and batch tests feed a test consumer: organisation's tables and hr's revocations."""

from __future__ import annotations

import datetime as dt
import uuid

from services.organisation.adapters.tables import metadata
from shared.contracts.hr import DelegationRevoked
from shared.db.tables import messaging_tables
from shared.messaging.envelope import Envelope
from shared.vocabulary import DelegationPower
from tests.integration.processes import ROOT

__all__ = ["MIGRATIONS", "TABLES", "revoked"]

MIGRATIONS = ROOT / "services" / "organisation" / "migrations"
TABLES = messaging_tables(metadata)


def revoked(reason: str) -> tuple[DelegationRevoked, Envelope]:
    """A revocation and its envelope; `reason` tells the test's handler how to treat it."""
    event = DelegationRevoked(
        delegation_id=uuid.uuid4(),
        to_person_id="p-test",
        power=next(iter(DelegationPower)),
        revoked_at=dt.datetime.now(dt.UTC),
        reason=reason,
    )
    envelope = Envelope(
        id=uuid.uuid4().hex,
        type=event.ce_type(),
        source="/raderwerk/hr",
        time=dt.datetime.now(dt.UTC),
        correlation_id=uuid.uuid4().hex,
    )
    return event, envelope
