"""The documents of a meeting as HTML+RDFa, after the Flemish besluit-publicatie application profile.

The agenda, the besluitenlijst, the notulen and the uittreksel (an extract of one decision) are
human-readable pages whose markup is also the linked data the Flemish government harvests: every
session, agenda item, treatment, vote and decision is a typed resource, classified with the official
concepts of the code lists (body, administrative unit, decision type, document type), never with
Raderwerk's internal names. Closed items appear by number only; BCSD meetings have no documents.

Pure functions: the same meeting gives the same bytes, so the register's hash identifies the page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from collections.abc import Iterable, Mapping

from services.meetings.domain.decision import DecisionOutcome, DecisionRecord
from services.meetings.domain.meeting import EntryOrigin, Meeting, Treatment, TreatmentOutcome
from shared.lblod.decision_types import DecisionTypeTable, decision_type_table
from shared.vocabulary import BodyKind, RelationKind

__all__ = [
    "BASE",
    "LANGUAGE",
    "PREFIXES",
    "agenda_html",
    "decision_list_html",
    "extract_html",
    "iri",
    "minutes_html",
]

BASE = "https://data.raderwerk.be/id"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/NLD"
PREFIXES = {
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "mandaat": "http://data.vlaanderen.be/ns/mandaat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ext": "http://mu.semte.ch/vocabularies/ext/",
    "lblodlg": "http://data.lblod.info/vocabularies/leidinggevenden/",
}

_OUTCOME = {
    TreatmentOutcome.ADOPTED: "goedgekeurd",
    TreatmentOutcome.REJECTED: "afgekeurd",
    TreatmentOutcome.POSTPONED: "verdaagd",
    TreatmentOutcome.PENDING: "niet behandeld",
}
_RELATION = {
    RelationKind.AMENDS: "eli:amends",
    RelationKind.REPLACES: "eli:changes",
    RelationKind.REPEALS: "eli:repeals",
}
_RELATION_WORD = {RelationKind.AMENDS: "wijzigt", RelationKind.REPLACES: "vervangt", RelationKind.REPEALS: "heft op"}
_BODY_NAMES = {
    BodyKind.GEMEENTERAAD: "Gemeenteraad",
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: "Raad voor Maatschappelijk Welzijn",
    BodyKind.COLLEGE: "College van Burgemeester en Schepenen",
    BodyKind.VAST_BUREAU: "Vast Bureau",
    BodyKind.DISTRICTSRAAD: "Districtsraad",
    BodyKind.DISTRICTSCOLLEGE: "Districtscollege",
    BodyKind.BURGEMEESTER: "Burgemeester",
    BodyKind.GEMEENTERAADSCOMMISSIE: "Gemeenteraadscommissie",
    BodyKind.BCSD: "Bijzonder Comité voor de Sociale Dienst",
    BodyKind.MANAGEMENTTEAM: "Managementteam",
}


def iri(kind: str, ident: uuid.UUID | str) -> str:
    return f"{BASE}/{kind}/{ident}"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _string(prop: str, value: str, tag: str = "span") -> str:
    return f'<{tag} property="{prop}" datatype="xsd:string">{_e(value)}</{tag}>'


def _typed(prop: str, value: str, datatype: str, shown: str | None = None) -> str:
    return f'<span property="{prop}" datatype="{datatype}" content="{_e(value)}">{_e(shown or value)}</span>'


def _time(prop: str, value: dt.datetime) -> str:
    return _typed(prop, value.isoformat(), "xsd:dateTime", f"{value:%d-%m-%Y %H:%M}")


def _date(prop: str, value: dt.date) -> str:
    return _typed(prop, value.isoformat(), "xsd:date", f"{value:%d-%m-%Y}")


def _link(prop: str, target: str, label: str, typeof: str | None = None) -> str:
    typed = f' typeof="{typeof}"' if typeof else ""
    return f'<span property="{prop}" resource="{_e(target)}"{typed}>{_e(label)}</span>'


def _page(title: str, document_iri: str, document_type: str, type_label: str, body: str) -> str:
    prefix = " ".join(f"{k}: {v}" for k, v in PREFIXES.items())
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="nl"><head><meta charset="utf-8"><title>{_e(title)}</title></head>\n'
        f'<body prefix="{prefix}">\n'
        f'<div resource="{_e(document_iri)}" typeof="foaf:Document">'
        f"{_string('dct:title', title, 'h1')}"
        f"<p>Documenttype: {_link('dct:type', document_type, type_label, 'skos:Concept')}</p></div>\n"
        f"{body}\n</body></html>\n"
    )


def _mandataris(meeting: Meeting, person: str) -> str:
    return iri("mandatarissen", f"{meeting.body.value}-{person}")


def _person(prop: str, meeting: Meeting, person: str, names: Mapping[str, str]) -> str:
    return _link(prop, _mandataris(meeting, person), names.get(person, person), "mandaat:Mandataris")


def _zitting_head(meeting: Meeting, table: DecisionTypeTable, *, held: bool) -> str:
    """The session: when, by which body of which unit (with the official classifications)."""
    organ = iri("bestuursorganen", f"{meeting.entity.value}-{meeting.body.value}")
    unit = iri("bestuurseenheden", meeting.entity.value)
    body_concept = table.body_concept(meeting.body)
    classified = _link("besluit:classificatie", body_concept, _BODY_NAMES[meeting.body]) if body_concept else ""
    parts = [
        "<p>Zitting van "
        f'<span property="besluit:isGehoudenDoor" resource="{_e(organ)}" typeof="besluit:Bestuursorgaan">'
        f"{classified} van "
        f'<span property="besluit:bestuurt" resource="{_e(unit)}" typeof="besluit:Bestuurseenheid">'
        f"{_link('besluit:classificatie', table.unit_concept(meeting.entity), meeting.entity.value.upper())}"
        "</span></span></p>",
        f"<p>Gepland op {_time('besluit:geplandeStart', meeting.scheduled_at)}, "
        f'<span property="prov:atLocation" datatype="xsd:string">{_e(meeting.location)}</span></p>',
    ]
    if held and meeting.opened_at is not None:
        parts.append(f"<p>Geopend om {_time('prov:startedAtTime', meeting.opened_at)}</p>")
    if held and meeting.closed_at is not None:
        parts.append(f"<p>Gesloten om {_time('prov:endedAtTime', meeting.closed_at)}</p>")
    return "\n".join(parts)


def _agendapunt(entry: Treatment, table: DecisionTypeTable, *, tag: str = "li", prop: str = "besluit:behandelt") -> str:
    planned = entry.origin is EntryOrigin.AGENDA
    kind = table.agenda_item_types["planned" if planned else "added"]
    return (
        f'<{tag} property="{prop}" resource="{_e(iri("agendapunten", entry.item_id))}" typeof="besluit:Agendapunt">'
        f"{_typed('schema:position', str(entry.position), 'xsd:integer')}. "
        f"{_string('dct:title', entry.title)} "
        f"{_typed('besluit:geplandOpenbaar', 'true', 'xsd:boolean', 'openbaar')} "
        f"({_link('besluit:Agendapunt.type', kind, 'gepland' if planned else 'toegevoegd', 'skos:Concept')})"
        + (
            f" {_link('dct:references', iri('agendapunten', entry.item_id), 'uitgesteld van een vorige zitting')}"
            if entry.postponed_from
            else ""
        )
        + f"</{tag}>"
    )


def _closed(entry: Treatment, tag: str = "li") -> str:
    return f"<{tag}>{entry.position}. Besloten punt</{tag}>"


def _articles(decision: DecisionRecord) -> list[tuple[str, str]]:
    """The articles of the operative part: `Artikel n.` paragraphs of the text, or one article."""
    parts = [p.strip() for p in re.split(r"(?=^Artikel\s+\S+?\.)", decision.text, flags=re.M) if p.strip()]
    numbered = [(m.group(1), p) for p in parts if (m := re.match(r"Artikel\s+(\S+?)\.", p))]
    if numbered:
        return numbered
    outcome = "goedgekeurd" if decision.outcome is DecisionOutcome.ADOPTED else "afgekeurd"
    return [("1", decision.text.strip() or f"{decision.title}: {outcome}.")]


def _besluit(
    decision: DecisionRecord, table: DecisionTypeTable, *, prop: str | None, articles: bool, treatment: str | None
) -> str:
    row = table.type_of(decision.kind, decision.body)
    linked = f'property="{prop}" ' if prop else ""
    out = [
        f'<div {linked}resource="{_e(iri("besluiten", decision.decision_id))}"'
        f' typeof="besluit:Besluit {_e(row.concept)}">',
        f"<h3>{_string('eli:title', decision.title)}</h3>",
        f"<p>Besluittype: {_link('dct:type', row.concept, row.label, 'skos:Concept')} "
        f"{_link('eli:language', LANGUAGE, 'Nederlands', 'skos:Concept')}</p>",
        f"<p>Rechtsgrond: {_string('eli:description', decision.legal_basis)}</p>",
        "<p>Motivering: "
        f'<span property="besluit:motivering" lang="nl">{_e(decision.motivation or decision.title)}</span></p>',
        f'<div property="prov:value" datatype="xsd:string">{_e(decision.text.strip() or decision.title)}</div>',
    ]
    if treatment:
        out.append(f'<span property="prov:wasGeneratedBy" resource="{_e(treatment)}"></span>')
    out.extend(
        f"<p>Dit besluit {_RELATION_WORD[r.relation]} "
        f"{_link(_RELATION[r.relation], iri('besluiten', r.decision_id), str(r.decision_id))}</p>"
        for r in decision.relations
    )
    if decision.published_on is not None:
        out.append(f"<p>Gepubliceerd op {_date('eli:date_publication', decision.published_on)}</p>")
    if decision.effective_date is not None and decision.outcome is DecisionOutcome.ADOPTED:
        out.append(f"<p>In werking op {_date('eli:first_date_entry_in_force', decision.effective_date)}</p>")
    if articles:
        for number, text in _articles(decision):
            out.append(
                f'<div property="eli:has_part" resource="{_e(iri("artikels", f"{decision.decision_id}-{number}"))}"'
                f' typeof="besluit:Artikel">{_string("eli:number", number)}'
                f'<div property="prov:value" datatype="xsd:string">{_e(text)}</div></div>'
            )
    out.append("</div>")
    return "\n".join(out)


def _stemming(meeting: Meeting, entry: Treatment, names: Mapping[str, str]) -> str:
    vote = iri("stemmingen", f"{meeting.meeting_id}-{entry.position}")
    assert entry.tally is not None
    present = [p for p in meeting.present if p not in entry.absent]
    out = [
        f'<div property="besluit:heeftStemming" resource="{_e(vote)}" typeof="besluit:Stemming">',
        f"<p>Stemming over {_string('besluit:onderwerp', entry.title)}: "
        f"{_string('besluit:gevolg', _OUTCOME[entry.outcome])}, "
        f"{_typed('besluit:geheim', str(entry.secret).lower(), 'xsd:boolean', 'geheim' if entry.secret else 'open')}"
        "</p>",
        f"<p>{_typed('besluit:aantalVoorstanders', str(entry.tally.in_favour), 'xsd:integer')} voor, "
        f"{_typed('besluit:aantalTegenstanders', str(entry.tally.against), 'xsd:integer')} tegen, "
        f"{_typed('besluit:aantalOnthouders', str(entry.tally.abstentions), 'xsd:integer')} onthoudingen</p>",
        "<p>Aanwezig: " + ", ".join(_person("besluit:heeftAanwezige", meeting, p, names) for p in present) + "</p>",
        "<p>Stemmers: " + ", ".join(_person("besluit:heeftStemmer", meeting, p, names) for p in present) + "</p>",
    ]
    if not entry.secret:
        for choice, prop, word in (
            ("in_favour", "besluit:heeftVoorstander", "Voor"),
            ("against", "besluit:heeftTegenstander", "Tegen"),
            ("abstain", "besluit:heeftOnthouder", "Onthouding"),
        ):
            who = [p for p, c in sorted(entry.by_member.items()) if c == choice]
            if who:
                out.append(f"<p>{word}: " + ", ".join(_person(prop, meeting, p, names) for p in who) + "</p>")
    out.append("</div>")
    return "\n".join(out)


def _behandeling(
    meeting: Meeting,
    entry: Treatment,
    decision: DecisionRecord,
    table: DecisionTypeTable,
    names: Mapping[str, str],
    *,
    full: bool,
    previous: str | None,
) -> str:
    treatment = iri("behandelingen-van-agendapunten", f"{meeting.meeting_id}-{entry.position}")
    out = [
        f'<div resource="{_e(treatment)}" typeof="besluit:BehandelingVanAgendapunt">',
        f"<h2>{entry.position}. {_e(entry.title)}</h2>",
        f'<span property="dct:subject" resource="{_e(iri("agendapunten", entry.item_id))}"></span>',
        f"<p>{_typed('besluit:openbaar', 'true', 'xsd:boolean', 'Openbare behandeling')} – "
        f"{_string('besluit:gevolg', _OUTCOME[entry.outcome])}</p>",
    ]
    if previous:
        out.append(f'<span property="besluit:gebeurtNa" resource="{_e(previous)}"></span>')
    if full and entry.tally is not None:
        out.append(_stemming(meeting, entry, names))
    out.append(_besluit(decision, table, prop="prov:generated", articles=full, treatment=None))
    out.append("</div>")
    return "\n".join(out)


def agenda_html(meeting: Meeting, *, version: int, table: DecisionTypeTable | None = None) -> str:
    """The (amended) agenda: every public item with its type; a closed item by number only."""
    table = table or decision_type_table()
    zitting = iri("zittingen", meeting.meeting_id)
    items = "\n".join(_agendapunt(e, table) if e.public else _closed(e) for e in meeting.entries)
    body = (
        f'<div resource="{_e(zitting)}" typeof="besluit:Zitting">\n{_zitting_head(meeting, table, held=False)}\n'
        f"<ol>\n{items}\n</ol>\n</div>"
    )
    title = f"Agenda {_BODY_NAMES[meeting.body]} {meeting.scheduled_at:%d-%m-%Y}" + (
        f" (versie {version})" if version > 1 else ""
    )
    doc = table.document("agenda")
    return _page(title, iri("documenten", f"agenda-{meeting.meeting_id}-{version}"), doc.concept, doc.label, body)


def _decided(meeting: Meeting, decisions: Mapping[uuid.UUID, DecisionRecord]) -> list[tuple[Treatment, DecisionRecord]]:
    return [
        (e, decisions[e.decision_id])
        for e in meeting.entries
        if e.public and e.decision_id is not None and e.decision_id in decisions
    ]


def _session_body(
    meeting: Meeting,
    decisions: Mapping[uuid.UUID, DecisionRecord],
    table: DecisionTypeTable,
    names: Mapping[str, str],
    *,
    full: bool,
    secretary: str | None,
) -> str:
    zitting = iri("zittingen", meeting.meeting_id)
    public = [e for e in meeting.entries if e.public]
    out = [f'<div resource="{_e(zitting)}" typeof="besluit:Zitting">', _zitting_head(meeting, table, held=True)]
    if full:
        present = ", ".join(_person("besluit:heeftAanwezigeBijStart", meeting, p, names) for p in meeting.present)
        out.append(f"<p>Aanwezig: {present}</p>")
        absent = [p for p in meeting.sitting if p not in meeting.present]
        if absent:
            out.append(
                "<p>Afwezig: "
                + ", ".join(_person("ext:heeftAfwezigeBijStart", meeting, p, names) for p in absent)
                + "</p>"
            )
        if meeting.chair_id:
            out.append(f"<p>Voorzitter: {_person('besluit:heeftVoorzitter', meeting, meeting.chair_id, names)}</p>")
        if secretary:
            out.append(
                "<p>Secretaris: "
                + _link(
                    "besluit:heeftSecretaris",
                    iri("functionarissen", f"{meeting.entity.value}-{secretary}"),
                    names.get(secretary, secretary),
                    "lblodlg:Functionaris",
                )
                + "</p>"
            )
    out.append("<ol>")
    out.extend(_agendapunt(e, table) if e.public else _closed(e) for e in meeting.entries)
    out.append("</ol>")
    previous: str | None = None
    for entry, decision in _decided(meeting, decisions):
        out.append(_behandeling(meeting, entry, decision, table, names, full=full, previous=previous))
        previous = iri("behandelingen-van-agendapunten", f"{meeting.meeting_id}-{entry.position}")
    if not public:
        out.append("<p>Deze zitting had geen openbare punten.</p>")
    out.append("</div>")
    return "\n".join(out)


def decision_list_html(
    meeting: Meeting, decisions: Mapping[uuid.UUID, DecisionRecord], *, table: DecisionTypeTable | None = None
) -> str:
    """The besluitenlijst: each public treatment with the decision it generated; closed items by number."""
    table = table or decision_type_table()
    body = _session_body(meeting, decisions, table, {}, full=False, secretary=None)
    doc = table.document("besluitenlijst")
    title = f"Besluitenlijst {_BODY_NAMES[meeting.body]} {meeting.scheduled_at:%d-%m-%Y}"
    return _page(title, iri("documenten", f"besluitenlijst-{meeting.meeting_id}"), doc.concept, doc.label, body)


def minutes_html(
    meeting: Meeting,
    decisions: Mapping[uuid.UUID, DecisionRecord],
    names: Mapping[str, str],
    *,
    secretary: str,
    table: DecisionTypeTable | None = None,
) -> str:
    """The public notulen: attendance, chair and secretary, every public treatment with its vote and the
    decision's articles; closed items by number only."""
    table = table or decision_type_table()
    body = _session_body(meeting, decisions, table, names, full=True, secretary=secretary)
    doc = table.document("notulen")
    title = f"Notulen {_BODY_NAMES[meeting.body]} {meeting.scheduled_at:%d-%m-%Y}"
    return _page(title, iri("documenten", f"notulen-{meeting.meeting_id}"), doc.concept, doc.label, body)


def extract_html(meeting: Meeting, decision: DecisionRecord, *, table: DecisionTypeTable | None = None) -> str:
    """The uittreksel: one public decision with its operative part, motivation and relations."""
    table = table or decision_type_table()
    doc = table.document("uittreksel")
    body = (
        f"<p>Uittreksel uit de notulen van de zitting van {_e(_BODY_NAMES[meeting.body])} "
        f"van {meeting.scheduled_at:%d-%m-%Y}</p>\n"
        + _besluit(decision, table, prop=None, articles=True, treatment=None)
    )
    title = f"Uittreksel {decision.title}"
    return _page(title, iri("documenten", f"uittreksel-{decision.decision_id}"), doc.concept, doc.label, body)


def public_decisions(decisions: Iterable[DecisionRecord]) -> dict[uuid.UUID, DecisionRecord]:
    """The decisions a document may show: public ones only."""
    return {d.decision_id: d for d in decisions if d.publishable}
