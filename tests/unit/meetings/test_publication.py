"""Decision lists, regulations, minutes and the register: what is published and what never is."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from services.meetings.domain.decision import DecisionRecord, effective_date
from services.meetings.domain.documents import (
    DocumentKind,
    publishable_documents,
    register,
    verify_register,
)
from services.meetings.domain.lblod import meeting_graph
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.votes import Choice, count_open_vote, count_secret_vote
from shared.kernel import RuleViolation
from shared.lblod.decision_types import decision_type_table
from shared.vocabulary import BodyKind, Confidentiality, DecisionKind, VoteTally
from tests.unit.meetings.builders import COUNCIL, NOW, POLICY, in_session, item

SECRET = "Tuchtdossier van Jan Janssens"


def _decided() -> tuple[Meeting, list[DecisionRecord]]:
    public = item(kind=DecisionKind.REGULATION, title="Retributiereglement parkeren")
    closed = item(kind=DecisionKind.APPOINTMENT, confidentiality=Confidentiality.CLOSED, title=SECRET)
    meeting = in_session(public, closed)
    records = []
    present = meeting.present_for(public.item_id)
    open_result = count_open_vote(dict.fromkeys(present, Choice.IN_FAVOUR), present=present, sitting=len(COUNCIL))
    secret_result = count_secret_vote(VoteTally(in_favour=5, against=2, abstentions=0), present=present, sitting=9)
    for agenda_item, result in ((public, open_result), (closed, secret_result)):
        decision_id = uuid.uuid4()
        meeting = meeting.record_vote(agenda_item.item_id, result, decision_id)
        records.append(
            DecisionRecord.of(
                agenda_item,
                result,
                decision_id=decision_id,
                meeting_id=meeting.meeting_id,
                decided_at=NOW,
                effective_days=POLICY.regulation_effective_days,
            )
        )
    return meeting.close(NOW), records


def test_closed_content_appears_in_no_published_document() -> None:
    meeting, records = _decided()
    docs = publishable_documents(meeting, records, names={}, already=(), today=NOW.date(), policy=POLICY)
    assert {d.kind for d in docs} == {DocumentKind.DECISION_LIST, DocumentKind.REGULATION}
    for doc in docs:
        assert SECRET not in json.dumps(doc.model_dump(mode="json"))
    decision_list = next(d for d in docs if d.kind is DocumentKind.DECISION_LIST)
    assert decision_list.content["items"][1] == {"position": 2, "closed": True}
    assert decision_list.reportable, "council decision lists go to the supervisory authority"


def test_bcsd_meetings_publish_nothing() -> None:
    meeting = in_session(item(BodyKind.BCSD, confidentiality=Confidentiality.SOCIAL), body=BodyKind.BCSD)
    with pytest.raises(RuleViolation) as exc:
        publishable_documents(meeting, [], names={}, already=(), today=NOW.date(), policy=POLICY)
    assert exc.value.code == "bcsd_never_published"


def test_nothing_is_published_twice_and_minutes_only_once_signed() -> None:
    meeting, records = _decided()
    first = publishable_documents(meeting, records, names={}, already=(), today=NOW.date(), policy=POLICY)
    done = [(d.kind, d.decision_id) for d in first]
    assert publishable_documents(meeting, records, names={}, already=done, today=NOW.date(), policy=POLICY) == []


def test_regulations_enter_into_force_on_the_fifth_day_after_publication() -> None:
    meeting, records = _decided()
    published_on = NOW.date() + dt.timedelta(days=3)
    docs = publishable_documents(meeting, records, names={}, already=(), today=published_on, policy=POLICY)
    regulation = next(d for d in docs if d.kind is DocumentKind.REGULATION)
    assert regulation.content["effective_date"] == (published_on + dt.timedelta(days=5)).isoformat()
    assert effective_date(DecisionKind.DECISION, NOW.date(), published_on=published_on, days=5) == NOW.date()


def test_the_register_detects_a_silent_change() -> None:
    meeting, records = _decided()
    docs = publishable_documents(meeting, records, names={}, already=(), today=NOW.date(), policy=POLICY)
    entries = []
    previous = None
    for doc in docs:
        entry = register(doc, previous=previous, published_at=NOW)
        previous = entry.register_hash
        entries.append(entry)
    assert verify_register(entries) == (len(entries), None)
    tampered_doc = entries[0].document.model_copy(update={"title": "Iets anders"})
    tampered = [entries[0].model_copy(update={"document": tampered_doc}), *entries[1:]]
    assert verify_register(tampered)[1] == tampered[0]
    assert verify_register(entries[1:])[0] == 0, "removing an entry breaks the chain"


def test_the_publication_term_is_ten_days() -> None:
    meeting, records = _decided()
    doc = publishable_documents(meeting, records, names={}, already=(), today=NOW.date(), policy=POLICY)[0]
    assert doc.due_on == NOW.date() + dt.timedelta(days=10)
    assert register(doc, previous=None, published_at=NOW).on_time
    late = NOW + dt.timedelta(days=11)
    assert not register(doc, previous=None, published_at=late).on_time


def test_lblod_export_has_public_treatments_only() -> None:
    meeting, records = _decided()
    graph = meeting_graph(meeting, {r.decision_id: r for r in records})
    text = json.dumps(graph)
    assert SECRET not in text
    types = [t for n in graph["@graph"] for t in (n["@type"] if isinstance(n["@type"], list) else [n["@type"]])]
    assert types.count("besluit:Zitting") == 1
    for expected in ("besluit:Agendapunt", "besluit:BehandelingVanAgendapunt", "besluit:Stemming", "besluit:Besluit"):
        assert types.count(expected) == 1, expected
    table = decision_type_table()
    # The same official concepts as the HTML+RDFa documents: the decision type, the body's classification.
    assert table.type_of(DecisionKind.REGULATION, BodyKind.GEMEENTERAAD).concept in types
    [zitting] = [n for n in graph["@graph"] if n["@type"] == "besluit:Zitting"]
    organ = zitting["besluit:isGehoudenDoor"]
    assert organ["besluit:classificatie"] == {"@id": table.body_concept(BodyKind.GEMEENTERAAD)}
    assert "regulation" not in text
    vote = next(n for n in graph["@graph"] if n["@type"] == "besluit:Stemming")
    assert vote["besluit:aantalVoorstanders"] == 7
    assert len(vote["besluit:heeftVoorstander"]) == 7
