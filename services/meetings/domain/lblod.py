"""Published decisions as JSON-LD in the Flemish LBLOD besluit vocabulary, for harvesting.

Only public treatments are exported: a closed or BCSD item leaves no node in the graph.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.meeting import EntryOrigin, Meeting, Treatment, TreatmentOutcome
from shared.lblod.decision_types import decision_type_table

__all__ = ["BASE", "CONTEXT", "meeting_graph"]

BASE = "https://data.raderwerk.be/id"

CONTEXT: dict[str, Any] = {
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "mandaat": "http://data.vlaanderen.be/ns/mandaat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "http://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_GEVOLG = {
    TreatmentOutcome.ADOPTED: "goedgekeurd",
    TreatmentOutcome.REJECTED: "afgekeurd",
    TreatmentOutcome.POSTPONED: "verdaagd",
    TreatmentOutcome.PENDING: "niet behandeld",
}


def _iri(kind: str, ident: uuid.UUID | str) -> str:
    return f"{BASE}/{kind}/{ident}"


def _date(value: Any) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime" if hasattr(value, "hour") else "xsd:date"}


def _dated(prop: str, value: Any) -> dict[str, Any]:
    return {prop: _date(value)} if value is not None else {}


def _treatment_nodes(meeting: Meeting, entry: Treatment, decision: DecisionRecord | None) -> list[dict[str, Any]]:
    item_iri = _iri("agendapunten", entry.item_id)
    treatment_iri = _iri("behandelingen-van-agendapunten", f"{meeting.meeting_id}-{entry.position}")
    nodes: list[dict[str, Any]] = [
        {
            "@id": item_iri,
            "@type": "besluit:Agendapunt",
            "dct:title": entry.title,
            "besluit:geplandOpenbaar": True,
            "schema:position": entry.position,
            "besluit:Agendapunt.type": {
                "@id": decision_type_table().agenda_item_types[
                    "planned" if entry.origin is EntryOrigin.AGENDA else "added"
                ]
            },
            **({"dct:references": {"@id": _iri("zittingen", entry.postponed_from)}} if entry.postponed_from else {}),
        }
    ]
    treatment: dict[str, Any] = {
        "@id": treatment_iri,
        "@type": "besluit:BehandelingVanAgendapunt",
        "dct:subject": {"@id": item_iri},
        "besluit:openbaar": True,
        "besluit:gevolg": _GEVOLG[entry.outcome],
        "schema:position": entry.position,
        "besluit:heeftAanwezige": [{"@id": _iri("personen", p)} for p in meeting.present if p not in entry.absent],
    }
    if meeting.chair_id:
        treatment["besluit:heeftVoorzitter"] = {"@id": _iri("personen", meeting.chair_id)}
    if entry.tally is not None:
        vote_iri = _iri("stemmingen", f"{meeting.meeting_id}-{entry.position}")
        treatment["besluit:heeftStemming"] = {"@id": vote_iri}
        vote: dict[str, Any] = {
            "@id": vote_iri,
            "@type": "besluit:Stemming",
            "besluit:onderwerp": entry.title,
            "besluit:geheim": entry.secret,
            "besluit:aantalVoorstanders": entry.tally.in_favour,
            "besluit:aantalTegenstanders": entry.tally.against,
            "besluit:aantalOnthouders": entry.tally.abstentions,
            "besluit:gevolg": _GEVOLG[entry.outcome],
        }
        if not entry.secret:
            for choice, prop in (
                ("in_favour", "besluit:heeftVoorstander"),
                ("against", "besluit:heeftTegenstander"),
                ("abstain", "besluit:heeftOnthouder"),
            ):
                vote[prop] = [{"@id": _iri("personen", p)} for p, c in sorted(entry.by_member.items()) if c == choice]
        nodes.append(vote)
    if decision is not None:
        decision_iri = _iri("besluiten", decision.decision_id)
        treatment["prov:generated"] = {"@id": decision_iri}
        nodes.append(
            {
                "@id": decision_iri,
                "@type": ["besluit:Besluit", decision.decision_type.concept],
                "dct:type": {"@id": decision.decision_type.concept},
                "eli:title": decision.title,
                "besluit:motivering": decision.motivation,
                "eli:description": decision.legal_basis,
                "eli:language": {"@id": "http://publications.europa.eu/resource/authority/language/NLD"},
                "prov:wasGeneratedBy": {"@id": treatment_iri},
                **_dated("eli:date_publication", decision.published_on),
                **_dated("eli:first_date_entry_in_force", decision.effective_date),
            }
        )
    nodes.append(treatment)
    return nodes


def _organ(meeting: Meeting) -> dict[str, Any]:
    """The body that held the session, classified with the official code lists (not our internal names)."""
    table = decision_type_table()
    organ: dict[str, Any] = {
        "@id": _iri("bestuursorganen", f"{meeting.entity.value}-{meeting.body.value}"),
        "@type": "besluit:Bestuursorgaan",
        "besluit:bestuurt": {
            "@id": _iri("bestuurseenheden", meeting.entity.value),
            "@type": "besluit:Bestuurseenheid",
            "besluit:classificatie": {"@id": table.unit_concept(meeting.entity)},
        },
    }
    concept = table.body_concept(meeting.body)
    if concept is not None:
        organ["besluit:classificatie"] = {"@id": concept}
    return organ


def meeting_graph(meeting: Meeting, decisions: Mapping[uuid.UUID, DecisionRecord]) -> dict[str, Any]:
    """A `besluit:Zitting` with its public agenda items, treatments, votes and decisions."""
    public = [e for e in meeting.entries if e.public]
    zitting: dict[str, Any] = {
        "@id": _iri("zittingen", meeting.meeting_id),
        "@type": "besluit:Zitting",
        "besluit:geplandeStart": _date(meeting.scheduled_at),
        "prov:atLocation": meeting.location,
        "besluit:isGehoudenDoor": _organ(meeting),
        "besluit:behandelt": [{"@id": _iri("agendapunten", e.item_id)} for e in public],
    }
    if meeting.opened_at:
        zitting["prov:startedAtTime"] = _date(meeting.opened_at)
    if meeting.closed_at:
        zitting["prov:endedAtTime"] = _date(meeting.closed_at)
    graph: list[dict[str, Any]] = [zitting]
    for entry in public:
        decision = decisions.get(entry.decision_id) if entry.decision_id else None
        graph.extend(_treatment_nodes(meeting, entry, decision))
    return {"@context": CONTEXT, "@graph": graph}
