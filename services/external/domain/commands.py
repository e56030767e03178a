"""What external is asked to do, in its own terms (the translation maps contracts to these)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from shared.vocabulary import BodyKind, Confidentiality, DecisionKind, LegalEntity

__all__ = ["QueueSupervisionReport", "RecordSupervisionAnswer", "ReportOverruling", "SubmitWithPublication"]


@dataclass(frozen=True)
class QueueSupervisionReport:
    """A body adopted a decision: queue it for the supervisory authority if it is reportable."""

    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    title: str
    confidentiality: Confidentiality
    """As the decision was taken: a closed-session decision is reported, but stays closed downstream."""
    kind: DecisionKind = DecisionKind.DECISION
    """What the decision decides: with the body, it finds the decision type in the table of types."""
    meeting_id: uuid.UUID | None = None
    """The meeting whose decision list will publish it (None for a decision taken outside one)."""


@dataclass(frozen=True)
class SubmitWithPublication:
    """A reportable document was published: the reports waiting for it go out the same day."""

    document_id: uuid.UUID
    document_kind: str
    """`decision_list` (every waiting report of its meeting) or `regulation` (its own decision)."""
    document_hash: str
    """The hash in the publication register, so the supervisor can check what it received."""
    meeting_id: uuid.UUID
    decision_id: uuid.UUID | None
    published_at: dt.datetime


@dataclass(frozen=True)
class ReportOverruling:
    """The college or vast bureau overruled the financial director's refused visum: report it."""

    overruling_id: uuid.UUID
    decision_id: uuid.UUID
    """The overruling decision of the college or vast bureau."""
    item_id: uuid.UUID
    """The agenda item, or the budget holder's intended commitment, whose visum was refused."""
    body: BodyKind
    entity: LegalEntity
    amount: Decimal
    refusal_reasons: tuple[str, ...]
    overruled_at: dt.datetime
    confidentiality: Confidentiality


@dataclass(frozen=True)
class RecordSupervisionAnswer:
    """The supervisory authority acknowledged a sent report, received a complaint, or annulled the decision."""

    report_id: uuid.UUID
    status: str
    """`acknowledged`, `complaint_received` or `annulled`."""
    reference: str
