"""`rw meeting` renders the typed replies as it rendered the untyped ones."""

from __future__ import annotations

import datetime as dt
import uuid

from rich.console import Console

from cli.meeting import decision_table
from shared.contracts.sessions import DecisionList, DecisionListLine
from shared.vocabulary import BodyKind, DecisionKind, LegalEntity, VoteTally


def test_the_decision_list_shows_closed_items_by_number_and_votes_as_counted() -> None:
    listing = DecisionList.model_validate(
        {
            "meeting_id": str(uuid.uuid4()),
            "body": "gemeenteraad",
            "entity": "gemeente",
            "held_on": "2026-03-12",
            "items": [
                {
                    "position": 1,
                    "title": "Reglement parkeren",
                    "kind": "regulation",
                    "outcome": "adopted",
                    "votes": {"in_favour": 2, "against": 1, "abstentions": 0},
                    "decision_id": str(uuid.uuid4()),
                },
                {"position": 2, "closed": True},
                {"position": 3, "title": "Straatnaam", "kind": "decision", "outcome": "postponed"},
            ],
        }
    )
    assert listing.body is BodyKind.GEMEENTERAAD
    assert listing.entity is LegalEntity.GEMEENTE
    assert listing.held_on == dt.date(2026, 3, 12)
    assert listing.items[0].kind is DecisionKind.REGULATION
    assert listing.items[0].votes == VoteTally(in_favour=2, against=1, abstentions=0)
    assert listing.items[1] == DecisionListLine(position=2, closed=True)
    console = Console(record=True, width=120)
    console.print(decision_table(listing))
    text = console.export_text()
    assert "Besluitenlijst gemeenteraad (gemeente) 2026-03-12" in text
    rows = [line for line in text.splitlines() if line.strip().startswith(("│ 1", "│ 2", "│ 3"))]
    assert "Reglement parkeren" in rows[0]
    assert "regulation" in rows[0]
    assert "2 / 1 / 0" in rows[0]
    assert "(besloten zitting)" in rows[1]
    assert "postponed" in rows[2]
    assert " / " not in rows[2]
