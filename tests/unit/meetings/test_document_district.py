"""A published document reaches the feed of the district it concerns, and only that one."""

from __future__ import annotations

import datetime as dt
import uuid

from services.meetings.domain.documents import DocumentKind, PublishedDocument, district_of
from shared.vocabulary import BodyKind

ITEM_NOORD, ITEM_NOORD_2, ITEM_ZUID, ITEM_TOWN = (uuid.uuid4() for _ in range(4))


def _document(kind: DocumentKind, decision_id: uuid.UUID | None = None) -> PublishedDocument:
    return PublishedDocument(
        document_id=uuid.uuid4(),
        kind=kind,
        meeting_id=uuid.uuid4(),
        decision_id=decision_id,
        body=BodyKind.DISTRICTSRAAD,
        title="Besluitenlijst",
        content={},
        reportable=True,
        due_on=dt.date(2026, 12, 11),
    )


def test_a_meeting_of_one_districts_items_publishes_for_that_district() -> None:
    items = {ITEM_NOORD: "noord", ITEM_NOORD_2: "noord"}
    assert district_of(_document(DocumentKind.DECISION_LIST), items, {}) == "noord"


def test_a_meeting_whose_items_name_no_district_or_several_publishes_for_none() -> None:
    assert district_of(_document(DocumentKind.AGENDA), {ITEM_TOWN: None}, {}) is None
    several = {ITEM_NOORD: "noord", ITEM_ZUID: "zuid", ITEM_TOWN: None}
    assert district_of(_document(DocumentKind.MINUTES), several, {}) is None


def test_a_document_of_one_decision_concerns_its_items_district() -> None:
    decision = uuid.uuid4()
    items = {ITEM_NOORD: "noord", ITEM_ZUID: "zuid"}
    assert district_of(_document(DocumentKind.EXTRACT, decision), items, {decision: ITEM_ZUID}) == "zuid"
