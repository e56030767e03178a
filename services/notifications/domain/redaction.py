"""Redaction, in one place: what each audience may see of each event (DESIGN §5, docs/districts.md).

Two questions, both answered here and nowhere else:

1. Does the event reach the audience at all? Only public content reaches a district. A mailbox,
   a webhook or an inbox gets closed-session (`closed`) or social-welfare (`social`, every BCSD
   decision) content only when its subscription is entitled to exactly that level.
2. Which fields does it see? `FIELDS` lists them per event and audience. Personal content (who is
   appointed, elected or disciplined, who owns a task, the delegate, the third party of a financial
   impact) is in no public list: only an entitled audience sees the whole event. An event that is
   not in the table reaches no public audience at all: a new event type is private until someone
   adds its line.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import Any

from services.notifications.domain.notices import Notice
from shared.vocabulary import Confidentiality

__all__ = ["FIELDS", "Audience", "audience_of", "reaches", "redact"]


class Audience(StrEnum):
    """Who reads a message."""

    DISTRICT = "district"
    """A district administration: public content only, never personal data."""
    PUBLIC = "public"
    """A mailbox, webhook or person entitled to public content only."""
    ENTITLED = "entitled"
    """A mailbox, webhook or person entitled to closed or social content: the whole event."""


_DECISION = (
    "decision_id",
    "item_id",
    "body",
    "entity",
    "kind",
    "title",
    "motivation",
    "legal_basis",
    "adopted_at",
    "effective_date",
    "votes",
    "meeting_id",
    "reportable",
    "district",
)
_DOCUMENT = (
    "document_id",
    "kind",
    "meeting_id",
    "decision_id",
    "body",
    "entity",
    "title",
    "content",
    "content_hash",
    "published_at",
    "district",
)
_TASK = ("task_id", "decision_id", "kind", "title", "entity", "unit_code", "due_date", "district")

#: Per subject, the fields a public audience and a district see. The entitled audience sees all.
FIELDS: Mapping[str, Mapping[Audience, tuple[str, ...]]] = {
    "meetings.decision.adopted": {Audience.DISTRICT: _DECISION, Audience.PUBLIC: _DECISION},
    "meetings.document.published": {Audience.DISTRICT: _DOCUMENT, Audience.PUBLIC: _DOCUMENT},
    "organisation.task.created": {Audience.DISTRICT: _TASK, Audience.PUBLIC: _TASK},
    "notifications.test.sent": {Audience.DISTRICT: ("text",), Audience.PUBLIC: ("text",)},
}


def audience_of(clearance: Collection[Confidentiality]) -> Audience:
    """A subscription's audience: entitled when it may see more than public content."""
    return Audience.ENTITLED if set(clearance) - {Confidentiality.PUBLIC} else Audience.PUBLIC


def reaches(notice: Notice, audience: Audience, clearance: Collection[Confidentiality] = ()) -> bool:
    """Whether the notice may reach the audience at all."""
    level = notice.sensitivity
    if audience is Audience.DISTRICT:
        return level is Confidentiality.PUBLIC
    return level is Confidentiality.PUBLIC or level in clearance


def redact(notice: Notice, audience: Audience, clearance: Collection[Confidentiality] = ()) -> dict[str, Any] | None:
    """The fields of the notice the audience may see, or None when it may not see the notice."""
    if not reaches(notice, audience, clearance):
        return None
    if audience is Audience.ENTITLED:
        return dict(notice.data)
    allowed = FIELDS.get(notice.subject, {}).get(audience)
    if allowed is None:
        return None
    return {name: notice.data[name] for name in allowed if name in notice.data}
