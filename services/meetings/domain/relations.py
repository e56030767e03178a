"""How decisions relate: one replaces, amends or repeals an earlier one; and the text of a regulation
in force on a given day.

An amendment states the regulation's text as amended, so the text in force on a day is the text of
the latest published version in force that day (the regulation itself or a decision amending or
replacing it, directly or through another amendment); a repeal in force ends it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from services.meetings.domain.decision import DecisionOutcome, DecisionRecord
from services.meetings.domain.model import AgendaItem
from shared.kernel import RuleViolation
from shared.vocabulary import DecisionKind, DecisionRelation, RelationKind

__all__ = ["InForce", "TextInForce", "check_relation", "text_in_force"]


def check_relation(item: AgendaItem, relation: DecisionRelation, earlier: DecisionRecord | None) -> None:
    """A decision relates only to an adopted decision of its own entity; a regulation is changed only by
    a regulation (or repealed by any decision of a body that may)."""
    if earlier is None:
        raise RuleViolation("unknown_decision", f"no decision {relation.decision_id}")
    if earlier.outcome is not DecisionOutcome.ADOPTED:
        raise RuleViolation("relation_to_rejected", f"decision {earlier.decision_id} was not adopted")
    if earlier.entity is not item.entity:
        raise RuleViolation(
            "relation_to_other_entity",
            f"a {item.entity.value} decision cannot change a decision of the {earlier.entity.value}",
        )
    if (
        earlier.kind is DecisionKind.REGULATION
        and relation.relation is not RelationKind.REPEALS
        and item.kind is not DecisionKind.REGULATION
    ):
        raise RuleViolation(
            "regulation_changed_by_regulation", "a regulation is amended or replaced only by a regulation"
        )


class InForce(StrEnum):
    NOT_YET = "not_yet_in_force"
    IN_FORCE = "in_force"
    REPEALED = "repealed"


class TextInForce(BaseModel):
    """The text of a regulation in force on a day, and the decision it comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    regulation_id: uuid.UUID
    on: dt.date
    state: InForce
    decision_id: uuid.UUID | None
    """The decision whose text (or repeal) applies that day; None before the regulation is in force."""
    text: str
    since: dt.date | None
    """The day that version entered into force."""


def _in_force_on(record: DecisionRecord, on: dt.date) -> bool:
    return (
        record.outcome is DecisionOutcome.ADOPTED
        and record.published_on is not None
        and record.effective_date is not None
        and record.effective_date <= on
    )


def versions_of(regulation: DecisionRecord, decisions: Iterable[DecisionRecord]) -> list[DecisionRecord]:
    """The regulation and every decision that changes it, directly or through one that changes it."""
    pool = list(decisions)
    found = {regulation.decision_id: regulation}
    grew = True
    while grew:
        grew = False
        for record in pool:
            if record.decision_id in found:
                continue
            if any(r.decision_id in found for r in record.relations):
                found[record.decision_id] = record
                grew = True
    return list(found.values())


def text_in_force(regulation: DecisionRecord, decisions: Iterable[DecisionRecord], on: dt.date) -> TextInForce:
    """The regulation's text in force on `on`: the latest published version in force that day."""
    decisions = list(decisions)
    versions = [v for v in versions_of(regulation, decisions) if _in_force_on(v, on)]
    if not versions:
        return TextInForce(
            regulation_id=regulation.decision_id, on=on, state=InForce.NOT_YET, decision_id=None, text="", since=None
        )
    latest = max(versions, key=lambda v: (v.effective_date, v.decided_at))
    assert latest.effective_date is not None
    ids = {v.decision_id for v in versions_of(regulation, decisions)}
    repealed = any(r.relation is RelationKind.REPEALS and r.decision_id in ids for r in latest.relations)
    return TextInForce(
        regulation_id=regulation.decision_id,
        on=on,
        state=InForce.REPEALED if repealed else InForce.IN_FORCE,
        decision_id=latest.decision_id,
        text="" if repealed else latest.text,
        since=latest.effective_date,
    )
