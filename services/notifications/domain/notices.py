"""A notice: an event another service published, as notifications passes it on.

The translation reads the contract and its envelope into a `Notice` (what it is, whom it concerns,
how confidential it is, its fields); everything after that (filters, redaction, feeds, mails and
webhooks) reads only the notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.vocabulary import BodyKind, Confidentiality, LegalEntity

__all__ = ["DISTRICT_BODIES", "Notice"]

#: The bodies of a district: their decisions concern that district.
DISTRICT_BODIES = frozenset({BodyKind.DISTRICTSRAAD, BodyKind.DISTRICTSCOLLEGE})


@dataclass(frozen=True)
class Notice:
    """One event to pass on."""

    event_id: str
    event_type: str
    """The CloudEvents type, e.g. `be.raderwerk.meetings.decision.adopted.v1`."""
    subject: str
    """Where it was published, e.g. `meetings.decision.adopted` (the redaction table's key)."""
    about: str
    """What it is about, e.g. `decision:<uuid>`: inbox entries and thin notifications point at it."""
    title: str
    occurred_at: dt.datetime
    confidentiality: Confidentiality
    entity: LegalEntity | None = None
    body: BodyKind | None = None
    policy_field: str | None = None
    districts: tuple[str, ...] = ()
    """The districts it concerns: its own council's or college's, or a municipal decision tagged with it."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """Every field of the event as JSON values; the redaction table decides who sees which."""

    @property
    def sensitivity(self) -> Confidentiality:
        """How protected the content is: a BCSD decision is social whatever its envelope says."""
        if self.body is BodyKind.BCSD:
            return Confidentiality.SOCIAL
        return self.confidentiality
