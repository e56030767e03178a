"""What notifications is asked to do, in its own terms (the translation maps contracts to these)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from shared.vocabulary import BodyKind, Confidentiality, LegalEntity, MandateStatus

__all__ = ["ChangeSeatStatus", "EndSeat", "InformCouncil", "KeepSeat", "NotifyTaskOwner"]


@dataclass(frozen=True)
class NotifyTaskOwner:
    """A follow-up task was created: its owner must hear of it."""

    task_id: uuid.UUID
    title: str
    owner_person_id: str
    due_date: dt.date
    entity: LegalEntity
    confidentiality: Confidentiality
    """As the task was announced: an inbox entry is never more public than its task."""


@dataclass(frozen=True)
class KeepSeat:
    """A council (or RMW) seat began: its holder is among those told what the council must hear."""

    mandate_id: uuid.UUID
    person_id: str
    body: BodyKind
    status: MandateStatus
    voting: bool
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class ChangeSeatStatus:
    """A council seat's holder is prevented, acting or effective again."""

    mandate_id: uuid.UUID
    status: MandateStatus


@dataclass(frozen=True)
class EndSeat:
    """A council seat ends."""

    mandate_id: uuid.UUID
    end: dt.date


@dataclass(frozen=True)
class InformCouncil:
    """The college or vast bureau overruled a refused visum: every sitting council member must hear of it."""

    overruling_id: uuid.UUID
    decision_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    amount: Decimal
    overruled_at: dt.datetime
    confidentiality: Confidentiality
