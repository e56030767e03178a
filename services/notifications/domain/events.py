"""What happened in notifications (the translation maps these to outgoing contracts)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from shared.kernel import DomainEvent
from shared.vocabulary import Confidentiality, LegalEntity

__all__ = ["InboxEntryCreated"]


@dataclass(frozen=True)
class InboxEntryCreated(DomainEvent):
    """A message was put in a person's inbox."""

    entry_id: uuid.UUID
    person_id: str
    title: str
    about: str
    entity: LegalEntity
    confidentiality: Confidentiality
