"""Builders of valid contracts for tests: defaults for everything, overrides for what matters."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.meetings import DecisionAdopted, DecisionKind, VoteTally


def utc_today() -> dt.date:
    """Today as the services' clock reads it (UTC), read at each use.

    Never bind it once per module: a run that crosses midnight UTC would then test with
    yesterday's date, and "valid from tomorrow" would already be valid on the services' clock.
    """
    return dt.datetime.now(dt.UTC).date()


_OCMW_BODIES = {BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, BodyKind.VAST_BUREAU, BodyKind.BCSD}


def adopted_decision(**overrides: Any) -> DecisionAdopted:
    """A college decision of the gemeente; the entity follows the body unless given."""
    body = overrides.get("body", BodyKind.COLLEGE)
    adopted_at = overrides.pop("adopted_at", dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC))
    fields: dict[str, Any] = {
        "decision_id": uuid.uuid4(),
        "item_id": uuid.uuid4(),
        "body": body,
        "entity": LegalEntity.OCMW if body in _OCMW_BODIES else LegalEntity.GEMEENTE,
        "kind": DecisionKind.DECISION,
        "title": "Onderhoud speelpleinen",
        "motivation": "",
        "legal_basis": "Decreet lokaal bestuur art. 56",
        "confidentiality": Confidentiality.PUBLIC,
        "votes": VoteTally(in_favour=5, against=1, abstentions=0),
        "adopted_at": adopted_at,
        "effective_date": adopted_at.date(),
        "financial_impact": None,
        "follow_up_actions": (),
    }
    fields.update(overrides)
    return DecisionAdopted.model_validate(fields)
