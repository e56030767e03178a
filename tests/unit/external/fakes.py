"""In-memory fakes of external's ports."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from services.external.domain.model import ReportStatus, SupervisionReport
from shared.contracts.base import Confidentiality, Entity, Event
from shared.kernel import DomainEvent
from shared.messaging.envelope import Envelope, new_message_id


class FakeSupervisionReports:
    """`SupervisionReports` in a dict, unique by decision like the table."""

    def __init__(self) -> None:
        self.by_decision: dict[uuid.UUID, SupervisionReport] = {}

    async def add(self, report: SupervisionReport) -> bool:
        if report.decision_id in self.by_decision:
            return False
        self.by_decision[report.decision_id] = report
        return True

    async def awaiting(
        self, *, meeting_id: uuid.UUID | None = None, decision_id: uuid.UUID | None = None
    ) -> list[SupervisionReport]:
        return [
            r
            for r in self.by_decision.values()
            if r.status is ReportStatus.AWAITING_PUBLICATION
            and (meeting_id is None or r.meeting_id == meeting_id)
            and (decision_id is None or r.decision_id == decision_id)
        ]

    async def update(self, report: SupervisionReport) -> None:
        self.by_decision[report.decision_id] = report


@dataclass
class Emitted:
    event: Event
    subject_id: str | None
    entity: Entity
    confidentiality: Confidentiality


@dataclass
class FakeExternalUnitOfWork:
    reports: FakeSupervisionReports = field(default_factory=FakeSupervisionReports)
    emitted: list[Emitted] = field(default_factory=list)

    def emit(
        self,
        event: Event | DomainEvent,
        *,
        subject_id: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        correlation_id: str | None = None,
    ) -> Envelope:
        assert isinstance(event, Event), "external emits contracts until it has a translation"
        self.emitted.append(Emitted(event, subject_id, entity, confidentiality))
        message_id = new_message_id()
        return Envelope(
            id=message_id,
            type=event.ce_type(),
            source="/raderwerk/external",
            time=dt.datetime.now(dt.UTC),
            correlation_id=correlation_id or message_id,
            subject=subject_id,
            entity=entity,
            confidentiality=confidentiality,
        )
