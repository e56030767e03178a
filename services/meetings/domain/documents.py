"""Documents made from a meeting: minutes, decision lists, regulations, and what may be published.

Closed-session and social-welfare (BCSD) content never enters a published document: a
published decision list names a closed item only by its number, and BCSD meetings publish
nothing at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from services.meetings.domain.decision import (
    REPORTING_BODIES,
    DecisionOutcome,
    DecisionRecord,
    effective_date,
    needs_full_text,
)
from services.meetings.domain.lblod_html import agenda_html, decision_list_html, extract_html, minutes_html
from services.meetings.domain.meeting import Meeting, MinutesStatus, Treatment
from services.meetings.domain.policy import COUNCILS, MeetingPolicy
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality, DecisionKind

__all__ = [
    "DocumentKind",
    "PublishedDocument",
    "RegisterEntry",
    "agenda_document",
    "chain_hash",
    "content_hash",
    "decision_list",
    "district_of",
    "draft_minutes",
    "ensure_publishable",
    "minutes_due_on",
    "publishable_documents",
    "register",
    "verify_register",
]


class DocumentKind(StrEnum):
    AGENDA = "agenda"
    DECISION_LIST = "decision_list"
    REGULATION = "regulation"
    FULL_TEXT = "full_text"
    """The full text of a decision type that is published and reported whole (RPR, delegation regulation,
    plan change), as the table of decision types says; a regulation's is `regulation`."""
    MINUTES = "minutes"
    EXTRACT = "extract"
    """An uittreksel: one public decision from published minutes."""


class PublishedDocument(BaseModel):
    """A document as put online; its content hash goes into the publication register."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document_id: uuid.UUID
    kind: DocumentKind
    meeting_id: uuid.UUID
    decision_id: uuid.UUID | None = None
    body: BodyKind
    title: str
    content: dict[str, Any]
    reportable: bool
    """Must reach the supervisory authority the same day (meldingsplicht)."""
    due_on: dt.date
    """The last day of the 10-day publication term."""


class RegisterEntry(BaseModel):
    """A line of the publication register: the document, its hash, and the seal over the chain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int | None = None
    document: PublishedDocument
    content_hash: str
    register_hash: str
    published_at: dt.datetime

    @property
    def on_time(self) -> bool:
        return self.published_at.date() <= self.document.due_on


GENESIS = "0" * 64


def register(document: PublishedDocument, *, previous: str | None, published_at: dt.datetime) -> RegisterEntry:
    """Enter a document in the register after the entry whose seal is `previous`."""
    doc_hash = content_hash(document.model_dump(mode="json"))
    seal = chain_hash(previous or GENESIS, document.document_id, doc_hash, published_at)
    return RegisterEntry(document=document, content_hash=doc_hash, register_hash=seal, published_at=published_at)


def verify_register(entries: Iterable[RegisterEntry]) -> tuple[int, RegisterEntry | None]:
    """Recompute every hash in order; return how many entries hold and the first that does not."""
    previous = GENESIS
    checked = 0
    for entry in entries:
        doc_hash = content_hash(entry.document.model_dump(mode="json"))
        seal = chain_hash(previous, entry.document.document_id, doc_hash, entry.published_at)
        if doc_hash != entry.content_hash or seal != entry.register_hash:
            return checked, entry
        previous = seal
        checked += 1
    return checked, None


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a document."""
    return hashlib.sha256(canonical(content)).hexdigest()


def chain_hash(previous: str, document_id: uuid.UUID, doc_hash: str, published_at: dt.datetime) -> str:
    """Each register entry seals the one before it, so a silent change or removal breaks the chain."""
    material = f"{previous}|{document_id}|{doc_hash}|{published_at.isoformat()}".encode()
    return hashlib.sha256(material).hexdigest()


def _line(entry: Treatment, decision: DecisionRecord | None) -> dict[str, Any]:
    if entry.confidentiality is not Confidentiality.PUBLIC:
        # The number and the fact of a closed treatment are public; the content is not.
        return {"position": entry.position, "closed": True}
    line: dict[str, Any] = {
        "position": entry.position,
        "title": entry.title,
        "kind": entry.kind.value,
        "outcome": entry.outcome.value,
    }
    if entry.tally is not None:
        line["votes"] = entry.tally.model_dump(mode="json")
    if decision is not None:
        line["decision_id"] = str(decision.decision_id)
    if entry.postponed_from is not None:
        line["postponed_from"] = str(entry.postponed_from)
    return line


def decision_list(meeting: Meeting, decisions: Mapping[uuid.UUID, DecisionRecord]) -> dict[str, Any]:
    """The besluitenlijst: every item in order with its outcome; closed items by number only."""
    return {
        "meeting_id": str(meeting.meeting_id),
        "body": meeting.body.value,
        "entity": meeting.entity.value,
        "held_on": meeting.scheduled_at.date().isoformat(),
        "items": [_line(e, decisions.get(e.decision_id) if e.decision_id else None) for e in meeting.entries],
    }


def draft_minutes(meeting: Meeting, names: Mapping[str, str]) -> dict[str, Any]:
    """The full notulen, for the members and the archive: attendance, every item, every vote.

    Per-member votes are listed for open votes; secret ballots carry only their tally.
    """

    def name(person: str) -> str:
        return names.get(person, person)

    return {
        "meeting_id": str(meeting.meeting_id),
        "body": meeting.body.value,
        "entity": meeting.entity.value,
        "held_on": meeting.scheduled_at.date().isoformat(),
        "location": meeting.location,
        "chair": name(meeting.chair_id or ""),
        "present": [name(p) for p in meeting.present],
        "absent": [name(p) for p in meeting.sitting if p not in meeting.present],
        "items": [
            {
                "position": e.position,
                "title": e.title,
                "confidentiality": e.confidentiality.value,
                "origin": e.origin.value,
                "left_the_room": {name(p): why for p, why in e.absent.items()},
                "amendments": [a.model_dump(mode="json") for a in e.amendments],
                "outcome": e.outcome.value,
                "votes": e.tally.model_dump(mode="json") if e.tally else None,
                "secret_ballot": e.secret,
                "by_member": {name(p): c.value for p, c in sorted(e.by_member.items())},
                "note": e.note,
                "closed_reason": e.closed_reason,
                "advice": e.advice,
                "legality_advice": e.legality_advice.model_dump(mode="json") if e.legality_advice else None,
            }
            for e in meeting.entries
        ],
    }


def _public_minutes(minutes: Mapping[str, Any]) -> dict[str, Any]:
    items = [
        i if i["confidentiality"] == Confidentiality.PUBLIC.value else {"position": i["position"], "closed": True}
        for i in minutes["items"]
    ]
    return {**minutes, "items": items}


def ensure_publishable(meeting: Meeting) -> None:
    """BCSD decisions hold personal data: nothing of a BCSD meeting is ever published or exported; nor
    of a management team's meeting, which is internal to the administration."""
    if meeting.body is BodyKind.BCSD:
        raise RuleViolation("bcsd_never_published", "BCSD decisions hold personal data and are never published")
    if meeting.body is BodyKind.MANAGEMENTTEAM:
        raise RuleViolation(
            "management_team_never_published",
            "the management team is part of the administration, not a governing body: it publishes nothing",
        )


def publishable_documents(
    meeting: Meeting,
    decisions: Iterable[DecisionRecord],
    *,
    names: Mapping[str, str],
    already: Iterable[tuple[DocumentKind, uuid.UUID | None]],
    today: dt.date,
    policy: MeetingPolicy,
) -> list[PublishedDocument]:
    """What this meeting may publish now and has not yet: decision list, regulations, signed minutes."""
    ensure_publishable(meeting)
    if meeting.closed_at is None:
        raise RuleViolation("meeting_not_closed", "a meeting's documents are published after it is closed")
    done = set(already)
    by_id = {d.decision_id: d for d in decisions}
    due_on = meeting.closed_at.date() + dt.timedelta(days=policy.publication_days)
    reportable = meeting.body in REPORTING_BODIES
    docs: list[PublishedDocument] = []
    if (DocumentKind.DECISION_LIST, None) not in done:
        docs.append(
            PublishedDocument(
                document_id=uuid.uuid4(),
                kind=DocumentKind.DECISION_LIST,
                meeting_id=meeting.meeting_id,
                body=meeting.body,
                title=f"Besluitenlijst {meeting.body.value} {meeting.scheduled_at:%Y-%m-%d}",
                content={
                    **decision_list(meeting, by_id),
                    "html": decision_list_html(meeting, _published(by_id, today)),
                },
                reportable=reportable,
                due_on=due_on,
            )
        )
    for decision in by_id.values():
        adopted = decision.outcome is DecisionOutcome.ADOPTED and decision.publishable
        kind = DocumentKind.REGULATION if decision.kind is DecisionKind.REGULATION else DocumentKind.FULL_TEXT
        if adopted and needs_full_text(decision.kind, decision.body) and (kind, decision.decision_id) not in done:
            in_force = effective_date(
                decision.kind, decision.decided_at.date(), published_on=today, days=policy.regulation_effective_days
            )
            shown = decision.model_copy(update={"published_on": today, "effective_date": in_force})
            docs.append(
                PublishedDocument(
                    document_id=uuid.uuid4(),
                    kind=kind,
                    meeting_id=meeting.meeting_id,
                    decision_id=decision.decision_id,
                    body=meeting.body,
                    title=decision.title,
                    content={
                        "decision_id": str(decision.decision_id),
                        "title": decision.title,
                        "legal_basis": decision.legal_basis,
                        "motivation": decision.motivation,
                        "amendments": list(decision.amendments),
                        "adopted_on": decision.decided_at.date().isoformat(),
                        "published_on": today.isoformat(),
                        "effective_date": in_force.isoformat(),
                        "decision_type": decision.decision_type.concept,
                        "text": decision.text,
                        "relations": [r.model_dump(mode="json") for r in decision.relations],
                        "html": extract_html(meeting, shown),
                    },
                    reportable=True,
                    due_on=due_on,
                )
            )
    minutes = meeting.minutes
    signed = minutes is not None and minutes.status is MinutesStatus.SIGNED
    # Council minutes are public documents; those of the college and vast bureau are not.
    if signed and meeting.body in COUNCILS and (DocumentKind.MINUTES, None) not in done:
        assert minutes is not None
        docs.append(
            PublishedDocument(
                document_id=uuid.uuid4(),
                kind=DocumentKind.MINUTES,
                meeting_id=meeting.meeting_id,
                body=meeting.body,
                title=f"Notulen {meeting.body.value} {meeting.scheduled_at:%Y-%m-%d}",
                content={
                    **_public_minutes(draft_minutes(meeting, names)),
                    "approved_at": minutes.approved_at.isoformat() if minutes.approved_at else None,
                    "comments": list(minutes.comments),
                    "signed_by": [s.role for s in minutes.signatures],
                    "signatures": [
                        {"role": s.role, "person": names.get(s.person_id, s.person_id), "acting": s.acting}
                        for s in minutes.signatures
                    ],
                    "html": minutes_html(meeting, _published(by_id, today), names, secretary=policy.algemeen_directeur),
                },
                reportable=False,
                due_on=minutes_due_on(meeting, policy),
            )
        )
        # Each public decision of published minutes gets its extract (uittreksel).
        docs.extend(
            PublishedDocument(
                document_id=uuid.uuid4(),
                kind=DocumentKind.EXTRACT,
                meeting_id=meeting.meeting_id,
                decision_id=decision.decision_id,
                body=meeting.body,
                title=f"Uittreksel {decision.title}",
                content={"decision_id": str(decision.decision_id), "html": extract_html(meeting, decision)},
                reportable=False,
                due_on=minutes_due_on(meeting, policy),
            )
            for decision in _published(by_id, today).values()
            if decision.outcome is DecisionOutcome.ADOPTED and (DocumentKind.EXTRACT, decision.decision_id) not in done
        )
    return docs


def minutes_due_on(meeting: Meeting, policy: MeetingPolicy) -> dt.date:
    """Minutes are published within the term after their approval (or the meeting's close before it)."""
    minutes = meeting.minutes
    base = (minutes.approved_at if minutes and minutes.approved_at else None) or meeting.closed_at
    assert base is not None
    return base.date() + dt.timedelta(days=policy.publication_days)


def _published(decisions: Mapping[uuid.UUID, DecisionRecord], today: dt.date) -> dict[uuid.UUID, DecisionRecord]:
    """The public decisions as the documents published today show them (with today's publication date)."""
    return {
        d.decision_id: d if d.published_on else d.model_copy(update={"published_on": today})
        for d in decisions.values()
        if d.publishable
    }


def _agenda_line(entry: Treatment) -> dict[str, Any]:
    """A public line of the agenda; an unfavourable legality advice shows on it, with its reasoning."""
    line: dict[str, Any] = {"position": entry.position, "title": entry.title, "origin": entry.origin.value}
    advice = entry.legality_advice
    if advice is not None and advice.unfavourable:
        line["legality_advice"] = {"verdict": advice.verdict.value, "reasoning": advice.reasoning}
    return line


def agenda_document(meeting: Meeting, *, policy: MeetingPolicy) -> PublishedDocument | None:
    """The published (amended) agenda of a council meeting, for the register; None for a body whose agenda is
    not public (college, vast bureau, committee) and never for the BCSD."""
    if meeting.body not in COUNCILS:
        return None
    version = len(meeting.agenda_published)
    return PublishedDocument(
        document_id=uuid.uuid4(),
        kind=DocumentKind.AGENDA,
        meeting_id=meeting.meeting_id,
        body=meeting.body,
        title=f"Agenda {meeting.body.value} {meeting.scheduled_at:%Y-%m-%d} versie {version}",
        content={
            "meeting_id": str(meeting.meeting_id),
            "version": version,
            "scheduled_at": meeting.scheduled_at.isoformat(),
            "items": [
                _agenda_line(e) if e.public else {"position": e.position, "closed": True} for e in meeting.entries
            ],
            "html": agenda_html(meeting, version=version),
        },
        reportable=False,
        due_on=policy.agenda_deadline(meeting.scheduled_at, urgent=meeting.urgent).date(),
    )


def district_of(
    document: PublishedDocument,
    item_districts: Mapping[uuid.UUID, str | None],
    decision_items: Mapping[uuid.UUID, uuid.UUID],
) -> str | None:
    """The district a document concerns, so that it reaches that district's feed.

    A document of one decision (an extract, a full text) concerns its item's district. A document of a
    whole meeting (agenda, decision list, minutes) concerns the district every item that names one
    names; none when no item names one or items name different districts (a municipal meeting whose
    items are tagged for several districts is not any one district's document).
    """
    if document.decision_id is not None and document.decision_id in decision_items:
        return item_districts.get(decision_items[document.decision_id])
    named = {d for d in item_districts.values() if d is not None}
    return named.pop() if len(named) == 1 else None
