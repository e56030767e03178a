"""`rw meeting` renders the typed replies as it rendered the untyped ones."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from rich.console import Console

from cli.meeting import decision_table
from shared.contracts.sessions import (
    DecisionList,
    DecisionListLine,
    ListPublishedDocumentsReply,
    PublishedDocumentLine,
)
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


def test_export_html_writes_each_published_page_and_the_register_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cli.meeting as meeting_cli

    meeting_id, document_id = uuid.uuid4(), uuid.uuid4()
    line = PublishedDocumentLine(
        seq=7,
        document_id=document_id,
        kind="decision_list",
        decision_id=None,
        title="Besluitenlijst",
        content_hash="ab" * 32,
        register_hash="cd" * 32,
        published_at=dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC),
        html="<!DOCTYPE html><html lang='nl'></html>",
    )
    empty = line.model_copy(update={"seq": 8, "document_id": uuid.uuid4(), "kind": "minutes", "html": ""})
    reply = ListPublishedDocumentsReply(command_id="c-1", documents=(line, empty))
    monkeypatch.setattr(meeting_cli, "_run", lambda _call: reply)
    written = meeting_cli.write_html(meeting_id, tmp_path / "out")
    assert written == [tmp_path / "out" / f"000007-decision_list-{document_id}.html"]
    assert written[0].read_text() == line.html
    register = json.loads((tmp_path / "out" / "register.json").read_text())
    assert [(r["seq"], r["content_hash"]) for r in register] == [(7, "ab" * 32), (8, "ab" * 32)]
    assert all("html" not in r for r in register)
