"""The public documents of a meeting, readable without signing in."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from services.gateway.entrypoints.console.base import PUBLIC, Base, Refused, _id
from shared.contracts.sessions import ListPublishedDocuments, ListPublishedDocumentsReply


class Public(Base):
    """A meeting's published documents and one document's HTML."""

    async def published(self, request: Request, meeting_id: str) -> Response:
        try:
            found = await self.ask(
                ListPublishedDocuments(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
                ListPublishedDocumentsReply,
                PUBLIC,
            )
        except (ValueError, Refused):
            return await self.page(
                request, "fout.html", None, status=404, code="not_found", message="onbekende zitting"
            )
        return await self.page(request, "publicaties.html", None, meeting_id=meeting_id, documents=found.documents)

    async def document(self, request: Request, meeting_id: str, document_id: str) -> Response:
        try:
            found = await self.ask(
                ListPublishedDocuments(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
                ListPublishedDocumentsReply,
                PUBLIC,
            )
        except (ValueError, Refused):
            found = None
        document = next((d for d in found.documents if str(d.document_id) == document_id), None) if found else None
        if document is None or not document.html:
            return await self.page(
                request, "fout.html", None, status=404, code="not_found", message="onbekend document"
            )
        return HTMLResponse(document.html, headers={"Cache-Control": "public, max-age=300"})
