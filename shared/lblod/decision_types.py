"""The table of decision and document types (`decision_types.yaml`): what LBLOD calls a decision, and
what the meldingsplicht asks of it.

Meetings reads it to classify a decision with the official besluittype concept and to publish the full
text of the types that need one; external reads it to decide which decisions are reported to the
supervisory authority, and when. Nothing else decides that.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from shared.vocabulary import BodyKind, DecisionKind, LegalEntity

__all__ = [
    "DecisionType",
    "DecisionTypeTable",
    "DocumentType",
    "Reported",
    "decision_type_table",
]

TABLE_FILE = Path(__file__).with_name("decision_types.yaml")


class Reported(StrEnum):
    NEVER = "never"
    AT_PUBLICATION = "at_publication"
    """The same day as the web publication of the document that carries it."""
    AT_DECISION = "at_decision"
    """At once, the moment the decision is recorded (a visum overruling)."""


@dataclass(frozen=True)
class DecisionType:
    """One besluittype of the code list, with its meldingsplicht."""

    key: str
    concept: str
    """The concept IRI in the BesluitType scheme."""
    label: str
    kinds: frozenset[DecisionKind]
    bodies: frozenset[BodyKind] | None
    reported: Reported
    full_text: bool

    def reported_for(self, body: BodyKind) -> bool:
        """Reportable when taken by `body` (a BCSD decision never is)."""
        return body is not BodyKind.BCSD and self.reported is not Reported.NEVER


@dataclass(frozen=True)
class DocumentType:
    """One BesluitDocumentType (agenda, besluitenlijst, notulen, uittreksel)."""

    key: str
    concept: str
    label: str
    reported_for: frozenset[BodyKind]


@dataclass(frozen=True)
class DecisionTypeTable:
    """The decision types in order (first match wins), the document types and the body classifications."""

    decision_types: tuple[DecisionType, ...]
    document_types: dict[str, DocumentType]
    body_concepts: dict[BodyKind, str]
    unit_concepts: dict[LegalEntity, str]
    agenda_item_types: dict[str, str]
    """`planned` and `added`: the AgendapuntType concepts."""

    def type_of(self, kind: DecisionKind, body: BodyKind) -> DecisionType:
        """The besluittype of a decision of `kind` taken by `body`; the catch-all row when none names it."""
        fallback: DecisionType | None = None
        for row in self.decision_types:
            if not row.kinds:
                fallback = fallback or row
                continue
            if kind in row.kinds and (row.bodies is None or body in row.bodies):
                return row
        if fallback is None:
            raise LookupError(f"no decision type for {kind.value} of the {body.value} and no catch-all row")
        return fallback

    def document(self, key: str) -> DocumentType:
        return self.document_types[key]

    def decision_list_reported(self, body: BodyKind) -> bool:
        """Whether the decision list of `body` is reported (and so every decision on it)."""
        return body is not BodyKind.BCSD and body in self.document_types["besluitenlijst"].reported_for

    def body_concept(self, body: BodyKind) -> str | None:
        """The BestuursorgaanClassificatieCode concept IRI of `body` (None for a body the code list lacks)."""
        return self.body_concepts.get(body)

    def unit_concept(self, entity: LegalEntity) -> str:
        return self.unit_concepts[entity]

    @classmethod
    def parse(cls, data: dict[str, Any]) -> DecisionTypeTable:
        schemes = data["schemes"]
        types = tuple(
            DecisionType(
                key=row["key"],
                concept=schemes["decision_type"] + row["concept"],
                label=row["label"],
                kinds=frozenset(DecisionKind(k) for k in row.get("kinds") or ()),
                bodies=frozenset(BodyKind(b) for b in row["bodies"]) if row.get("bodies") else None,
                reported=Reported(row["reported"]),
                full_text=bool(row["full_text"]),
            )
            for row in data["decision_types"]
        )
        documents = {
            row["key"]: DocumentType(
                key=row["key"],
                concept=schemes["document_type"] + row["concept"],
                label=row["label"],
                reported_for=frozenset(BodyKind(b) for b in row.get("reported_for") or ()),
            )
            for row in data["document_types"]
        }
        for required in ("agenda", "besluitenlijst", "notulen", "uittreksel"):
            if required not in documents:
                raise ValueError(f"the table of document types lacks {required}")
        if BodyKind.BCSD in documents["besluitenlijst"].reported_for:
            raise ValueError("BCSD decisions are social-welfare content and are never reported")
        bodies = {BodyKind(k): schemes["body"] + v for k, v in data["bodies"].items()}
        units = {LegalEntity(k): schemes["unit"] + v for k, v in data["units"].items()}
        return cls(types, documents, bodies, units, dict(data["agenda_item_types"]))

    @classmethod
    def load(cls, path: Path = TABLE_FILE) -> DecisionTypeTable:
        return cls.parse(yaml.safe_load(path.read_text(encoding="utf-8")))


@functools.cache
def decision_type_table() -> DecisionTypeTable:
    """The table shipped with the code (read once)."""
    return DecisionTypeTable.load()
