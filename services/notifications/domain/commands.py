"""What notifications is asked to do, in its own terms (the translation maps contracts to these)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from shared.vocabulary import Confidentiality, LegalEntity

__all__ = ["NotifyTaskOwner"]


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
