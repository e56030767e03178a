"""Builders of meetings-domain objects for unit tests."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from services.meetings.domain.meeting import Meeting
from services.meetings.domain.model import AgendaItem, ItemLinks, entity_of_body
from services.meetings.domain.policy import MeetingPolicy
from shared.vocabulary import (
    AppointmentDetails,
    BodyKind,
    Confidentiality,
    DecisionKind,
    DisciplineDetails,
    FinancialImpact,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
AD = "p-ad"
"""The algemeen directeur of the test municipality."""
#: The secretariat that records attendance and votes in these tests.
SECRETARIAT = "p-secr"
POLICY = MeetingPolicy(algemeen_directeur=AD, secretariat=frozenset({SECRETARIAT}))
COUNCIL = [f"gr{i}" for i in range(1, 10)]  # nine sitting members


def item(
    body: BodyKind = BodyKind.GEMEENTERAAD,
    *,
    kind: DecisionKind = DecisionKind.DECISION,
    confidentiality: Confidentiality | None = None,
    title: str = "Reglement op de parkeerplaatsen",
    amount: str | None = None,
    links: ItemLinks | None = None,
) -> AgendaItem:
    entity = entity_of_body(body)
    impact = None
    if amount is not None:
        impact = FinancialImpact(
            entity=entity,
            amount=Decimal(amount),
            economic_account="6140000",
            policy_field="0200",
            financial_year=2026,
        )
    if kind in {DecisionKind.APPOINTMENT, DecisionKind.DISMISSAL, DecisionKind.DISCIPLINE} and links is None:
        discipline = (
            DisciplineDetails(case_id=uuid.UUID(int=7), sanction="blaam") if kind is DecisionKind.DISCIPLINE else None
        )
        links = ItemLinks(
            discipline=discipline,
            appointment=AppointmentDetails(
                person_id="p-new",
                person_name="An Nieuw",
                entity=entity,
                position="deskundige",
                grade="B1",
                statutory=False,
                start_date=dt.date(2026, 4, 1),
            ),
        )
    return AgendaItem.propose(
        body=body,
        entity=entity,
        title=title,
        kind=kind,
        confidentiality=confidentiality,
        legal_basis="Decreet lokaal bestuur art. 40",
        motivation="Motivering van het besluit.",
        financial_impact=impact,
        follow_up_actions=(),
        proposed_by="p-secr",
        now=NOW,
        links=links,
    )


def planned(body: BodyKind = BodyKind.GEMEENTERAAD, *, days_ahead: float = 10, **kw: Any) -> Meeting:
    return Meeting.schedule(
        body=body, scheduled_at=NOW + dt.timedelta(days=days_ahead), location="Raadzaal", now=NOW, **kw
    )


def in_session(*items: AgendaItem, body: BodyKind = BodyKind.GEMEENTERAAD, present: list[str] | None = None) -> Meeting:
    """A meeting convened with `items` and opened at its time (a session opens on time, not before)."""
    meeting = planned(body).convene(list(items), by="p-chair", now=NOW, policy=POLICY, concluded=set())
    return meeting.open_session(
        present=present or COUNCIL[:7], sitting=COUNCIL, chair_id="gr1", now=meeting.scheduled_at
    )
