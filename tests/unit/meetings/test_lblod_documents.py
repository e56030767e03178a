"""The agenda, besluitenlijst, notulen and uittreksel as HTML+RDFa, validated against the vendored SHACL
shapes of the besluit-publicatie profile (`services/meetings/lblod/shapes/`).

Each page is parsed to RDF by an RDFa parser (pyRdfa3) and validated by pySHACL; a deliberately broken
page fails the same check, so the check can fail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from pyRdfa import pyRdfa
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef

from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.lblod_html import agenda_html, decision_list_html, extract_html, minutes_html
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.model import ItemLinks
from services.meetings.domain.votes import Choice, count_open_vote, count_secret_vote
from shared.lblod.decision_types import decision_type_table
from shared.vocabulary import BodyKind, Confidentiality, DecisionKind, VoteTally
from tests.unit.meetings.builders import AD, COUNCIL, NOW, POLICY, in_session, item, planned

SHAPES = Path(__file__).resolve().parents[3] / "services" / "meetings" / "lblod" / "shapes"
BESLUIT = "http://data.vlaanderen.be/ns/besluit#"
SECRET = "Benoeming van Jan Geheimhouder"


def _rdf(page: str, tmp_path: Path) -> Graph:
    """The page's RDFa as an RDF graph (read from a file, as a harvester reads the published page)."""
    path = tmp_path / f"{uuid.uuid4().hex}.html"
    path.write_text(page, encoding="utf-8")
    graph = pyRdfa().graph_from_source(str(path))
    assert isinstance(graph, Graph)
    return graph


def _conforms(page: str, shapes: str, tmp_path: Path) -> tuple[bool, str]:
    data = _rdf(page, tmp_path)
    shape_graph = Graph().parse(SHAPES / shapes, format="turtle")
    conforms, _, text = validate(data, shacl_graph=shape_graph)
    return bool(conforms), str(text)


def _meeting() -> tuple[Meeting, dict[uuid.UUID, DecisionRecord]]:
    regulation = item(
        kind=DecisionKind.REGULATION,
        title="Retributiereglement parkeren",
        links=ItemLinks(text="Artikel 1. Parkeren kost 1 euro per uur.\nArtikel 2. Dit reglement treedt in werking."),
    )
    plain = item(title="Kennisname jaarverslag bibliotheek")
    closed = item(kind=DecisionKind.APPOINTMENT, confidentiality=Confidentiality.CLOSED, title=SECRET)
    meeting = in_session(regulation, plain, closed)
    records: dict[uuid.UUID, DecisionRecord] = {}
    present = meeting.present_for(regulation.item_id)
    votes = dict.fromkeys(present, Choice.IN_FAVOUR) | {present[-1]: Choice.AGAINST}
    for agenda_item, result in (
        (regulation, count_open_vote(votes, present=present, sitting=len(COUNCIL))),
        (plain, count_open_vote(dict.fromkeys(present, Choice.IN_FAVOUR), present=present, sitting=len(COUNCIL))),
        (closed, count_secret_vote(VoteTally(in_favour=5, against=2, abstentions=0), present=present, sitting=9)),
    ):
        decision_id = uuid.uuid4()
        meeting = meeting.record_vote(agenda_item.item_id, result, decision_id)
        record = DecisionRecord.of(
            agenda_item,
            result,
            decision_id=decision_id,
            meeting_id=meeting.meeting_id,
            decided_at=NOW,
            effective_days=POLICY.regulation_effective_days,
        )
        records[decision_id] = record.model_copy(update={"published_on": NOW.date() + dt.timedelta(days=2)})
    return meeting.close(meeting.scheduled_at + dt.timedelta(hours=2)), records


def _public(records: dict[uuid.UUID, DecisionRecord]) -> dict[uuid.UUID, DecisionRecord]:
    return {k: v for k, v in records.items() if v.publishable}


def _pages() -> dict[str, tuple[str, str]]:
    meeting, records = _meeting()
    regulation = next(r for r in records.values() if r.kind is DecisionKind.REGULATION)
    convened = planned().convene(
        [item(title="Reglement op de markten"), item(title=SECRET, kind=DecisionKind.APPOINTMENT)],
        by="p-chair",
        now=NOW,
        policy=POLICY,
        concluded=set(),
    )
    names = {p: f"Raadslid {p}" for p in COUNCIL} | {AD: "Algemeen Directeur"}
    return {
        "agenda": (agenda_html(convened, version=1), "basic-agenda.ttl"),
        "besluitenlijst": (decision_list_html(meeting, _public(records)), "decision-list.ttl"),
        "notulen": (minutes_html(meeting, _public(records), names, secretary=AD), "meeting.ttl"),
        "uittreksel": (extract_html(meeting, regulation), "besluit-shape.ttl"),
    }


PAGES = _pages()


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_each_document_type_conforms_to_the_profile_shapes(kind: str, tmp_path: Path) -> None:
    page, shapes = PAGES[kind]
    conforms, report = _conforms(page, shapes, tmp_path)
    assert conforms, report


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_a_broken_document_fails_the_same_check(kind: str, tmp_path: Path) -> None:
    page, shapes = PAGES[kind]
    # Break what every shape requires of its main resource: the title of an item, the decision's title.
    broken = page.replace('property="dct:title" datatype="xsd:string"', 'data-x="dct:title"')
    broken = broken.replace('property="eli:title"', 'data-x="eli:title"')
    assert broken != page
    conforms, report = _conforms(broken, shapes, tmp_path)
    assert not conforms
    assert "MinCount" in report


def test_the_pages_carry_the_official_concepts_not_internal_names(tmp_path: Path) -> None:
    table = decision_type_table()
    graph = _rdf(PAGES["notulen"][0], tmp_path)
    regulation = table.type_of(DecisionKind.REGULATION, BodyKind.GEMEENTERAAD)
    assert (None, RDF.type, URIRef(regulation.concept)) in graph
    assert (None, URIRef(BESLUIT + "classificatie"), URIRef(table.body_concept(BodyKind.GEMEENTERAAD) or "")) in graph
    assert (None, None, URIRef(table.document("notulen").concept)) in graph
    literals = " ".join(str(o) for o in graph.objects() if isinstance(o, Literal))
    assert "regulation" not in literals
    assert "raad_maatschappelijk_welzijn" not in literals
    classified = {str(o) for o in graph.objects(None, URIRef(BESLUIT + "classificatie"))}
    assert classified <= set(table.body_concepts.values()) | set(table.unit_concepts.values())


def test_closed_content_is_in_no_page() -> None:
    for kind, (page, _) in PAGES.items():
        assert SECRET not in page
        if kind != "uittreksel":
            assert "Besloten punt" in page, "a closed item shows by its number only"
