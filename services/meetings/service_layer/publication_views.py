"""Queries on what meetings published: a regulation's text in force on a day, the LBLOD documents.

Part of `MeetingViews` (split off to keep each module short); they never change anything.
"""

from __future__ import annotations

import uuid

from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.relations import text_in_force
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.sessions import (
    GetTextInForce,
    GetTextInForceReply,
    ListPublishedDocuments,
    ListPublishedDocumentsReply,
    PublishedDocumentLine,
)
from shared.kernel import RuleViolation
from shared.vocabulary import DecisionKind

__all__ = ["PublicationViews"]


class PublicationViews:
    """The text in force of regulations, and the published documents."""

    async def get_text_in_force(self, uow: MeetingsUnitOfWork, q: GetTextInForce) -> GetTextInForceReply:
        """The regulation's text in force on `q.on`, following every decision that changes it."""
        regulation = await uow.decisions.get(q.decision_id)
        if regulation is None:
            raise RuleViolation("unknown_decision", f"no decision {q.decision_id}")
        if regulation.kind is not DecisionKind.REGULATION:
            raise RuleViolation("not_a_regulation", f"decision {q.decision_id} is no regulation")
        if not regulation.publishable:
            raise RuleViolation("decision_not_public", "a closed decision has no public text")
        found: dict[uuid.UUID, DecisionRecord] = {}
        frontier = [regulation.decision_id]
        while frontier:
            later = [d for d in await uow.decisions.changing(frontier) if d.decision_id not in found]
            found.update((d.decision_id, d) for d in later)
            frontier = [d.decision_id for d in later]
        answer = text_in_force(regulation, found.values(), q.on)
        return GetTextInForceReply(command_id=q.command_id, **answer.model_dump())

    async def list_published_documents(
        self, uow: MeetingsUnitOfWork, q: ListPublishedDocuments
    ) -> ListPublishedDocumentsReply:
        """A meeting's register entries with their pages; only what was published, so nothing closed."""
        if await uow.meetings.get(q.meeting_id) is None:
            raise RuleViolation("unknown_meeting", f"no meeting {q.meeting_id}")
        lines = []
        for entry in await uow.publications.of_meeting(q.meeting_id):
            assert entry.seq is not None, "entries read from the register are numbered"
            html = entry.document.content.get("html")
            lines.append(
                PublishedDocumentLine(
                    seq=entry.seq,
                    document_id=entry.document.document_id,
                    kind=entry.document.kind.value,
                    decision_id=entry.document.decision_id,
                    title=entry.document.title,
                    content_hash=entry.content_hash,
                    register_hash=entry.register_hash,
                    published_at=entry.published_at,
                    html=html if isinstance(html, str) else "",
                )
            )
        return ListPublishedDocumentsReply(command_id=q.command_id, documents=tuple(lines))
