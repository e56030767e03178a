"""Complaints under the council's reglement (DLB art. 302-303): handled at the administrative level,
by someone independent of the service concerned, answered within the reglement's term; a late one
escalates; the algemeen directeur reports on them to the council every year.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from services.records.domain.documents import Document
from shared.kernel import RuleViolation
from shared.vocabulary import LegalEntity

__all__ = ["Complaint", "ComplaintFigures", "complaints_report"]

OUTCOMES = ("founded", "partly_founded", "unfounded", "inadmissible")


class Complaint(Document):
    complaint_id: uuid.UUID
    entity: LegalEntity
    complainant: str
    subject: str
    service_concerned: str
    received_on: dt.date
    channel: str
    due_on: dt.date
    acknowledge_by: dt.date
    acknowledged_on: dt.date | None = None
    handler_person_id: str | None = None
    handler_unit: str | None = None
    outcome: str | None = None
    answer: str | None = None
    answered_on: dt.date | None = None
    escalated_on: dt.date | None = None

    def key(self) -> uuid.UUID:
        return self.complaint_id

    def opened(self) -> dt.date:
        return self.received_on

    def deadline(self) -> dt.date | None:
        return self.due_on

    def pending(self) -> bool:
        return self.answered_on is None

    @property
    def status(self) -> str:
        if self.answered_on is not None:
            return "answered"
        if self.handler_person_id is not None:
            return "in_handling"
        return "acknowledged" if self.acknowledged_on is not None else "registered"

    def acknowledged(self, on: dt.date) -> Complaint:
        if self.acknowledged_on is not None:
            raise RuleViolation("complaint_already_acknowledged", "the complaint was acknowledged already")
        return self.model_copy(update={"acknowledged_on": on})

    def assigned(self, person_id: str, unit: str) -> Complaint:
        """A handler outside the service concerned (the reglement's independence)."""
        if self.answered_on is not None:
            raise RuleViolation("complaint_already_answered", "the complaint was answered already")
        if unit.casefold() == self.service_concerned.casefold():
            raise RuleViolation(
                "handler_not_independent",
                f"a complaint about {self.service_concerned} is handled by someone outside that service",
            )
        return self.model_copy(update={"handler_person_id": person_id, "handler_unit": unit})

    def answered_by(self, person_id: str, outcome: str, answer: str, on: dt.date) -> Complaint:
        if self.answered_on is not None:
            raise RuleViolation("complaint_already_answered", "the complaint was answered already")
        if self.handler_person_id is None:
            raise RuleViolation("complaint_not_assigned", "the complaint has no handler yet")
        if person_id != self.handler_person_id:
            raise RuleViolation("not_the_handler", f"{person_id} does not handle this complaint")
        return self.model_copy(update={"outcome": outcome, "answer": answer, "answered_on": on})

    def late(self, as_of: dt.date) -> bool:
        """Unanswered after its term, or answered after it."""
        return (self.answered_on or as_of) > self.due_on

    def escalated(self, on: dt.date) -> Complaint:
        return self.model_copy(update={"escalated_on": on})


@dataclass
class ComplaintFigures:
    """The figures of the yearly report for one scope (an entity, or the total)."""

    scope: str
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    still_open: int = 0
    escalated: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    days_to_answer: list[int] = field(default_factory=list)

    def count(self, c: Complaint) -> None:
        self.received += 1
        self.escalated += c.escalated_on is not None
        if c.answered_on is None:
            self.still_open += 1
            return
        self.answered += 1
        if c.answered_on <= c.due_on:
            self.answered_on_time += 1
        else:
            self.answered_late += 1
        if c.outcome is not None:
            self.outcomes[c.outcome] += 1
        self.days_to_answer.append((c.answered_on - c.received_on).days)

    @property
    def average_days(self) -> float | None:
        return round(sum(self.days_to_answer) / len(self.days_to_answer), 1) if self.days_to_answer else None


def complaints_report(complaints: list[Complaint], year: int) -> tuple[list[ComplaintFigures], dict[str, int]]:
    """Per entity and in total, the complaints received in `year` (as they stand now); per service concerned."""
    scopes = {e.value: ComplaintFigures(e.value) for e in LegalEntity}
    total = ComplaintFigures("total")
    by_service: dict[str, int] = {}
    for c in complaints:
        if c.received_on.year != year:
            continue
        scopes[c.entity.value].count(c)
        total.count(c)
        by_service[c.service_concerned] = by_service.get(c.service_concerned, 0) + 1
    return [*scopes.values(), total], dict(sorted(by_service.items()))
