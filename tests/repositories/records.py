"""The contract of records' registers: one shape, run for every register against fakes and SQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.records.domain.complaints import Complaint
from services.records.domain.signatures import Seat
from shared.vocabulary import BodyKind, LegalEntity, MandateRole, MandateStatus


def _complaint(received: dt.date, due_days: int = 45, answered: bool = False) -> Complaint:
    return Complaint(
        complaint_id=uuid.uuid4(),
        entity=LegalEntity.GEMEENTE,
        complainant="K",
        subject="S",
        service_concerned="RUIMTE",
        received_on=received,
        channel="mail",
        due_on=received + dt.timedelta(days=due_days),
        acknowledge_by=received + dt.timedelta(days=10),
        answered_on=received + dt.timedelta(days=3) if answered else None,
    )


class RegisterContract:
    """Entries by key, once; a put replaces; listings by year newest first; the late ones for the scan."""

    async def test_an_entry_is_added_once_and_read_back(self, uow: Any) -> None:
        c = _complaint(dt.date(2026, 3, 1))
        assert await uow.complaints.add(c)
        assert not await uow.complaints.add(c.model_copy(update={"subject": "other"}))
        assert await uow.complaints.get(c.complaint_id) == c
        assert await uow.complaints.get(uuid.uuid4()) is None

    async def test_put_replaces_and_listing_is_by_year_newest_first(self, uow: Any) -> None:
        old, new, other_year = (
            _complaint(dt.date(2026, 1, 5)),
            _complaint(dt.date(2026, 6, 5)),
            _complaint(dt.date(2025, 6, 5)),
        )
        for c in (old, new, other_year):
            await uow.complaints.add(c)
        answered = old.model_copy(update={"answered_on": dt.date(2026, 1, 20)})
        await uow.complaints.put(answered)
        assert await uow.complaints.listing(2026) == [new, answered]
        assert len(await uow.complaints.listing()) == 3

    async def test_past_due_finds_pending_entries_whose_term_ended(self, uow: Any) -> None:
        late, due_today, answered = (
            _complaint(dt.date(2026, 1, 1), due_days=10),
            _complaint(dt.date(2026, 1, 5), due_days=10),
            _complaint(dt.date(2026, 1, 1), due_days=5, answered=True),
        )
        for c in (late, due_today, answered):
            await uow.complaints.add(c)
        assert await uow.complaints.past_due(dt.date(2026, 1, 15)) == [late]


class SeatsContract:
    """Every register keeps its own entries: a seat is found in seats only."""

    async def test_the_registers_are_separate(self, uow: Any) -> None:
        seat = Seat(
            mandate_id=uuid.uuid4(),
            person_id="p-mayor",
            body=BodyKind.COLLEGE,
            role=MandateRole.MAYOR,
            status=MandateStatus.EFFECTIVE,
            start=dt.date(2025, 1, 1),
        )
        await uow.seats.put(seat)
        assert await uow.seats.listing() == [seat]
        assert await uow.seats.past_due(dt.date(2030, 1, 1)) == []
        assert await uow.delegations.get(seat.mandate_id) is None
        for register in (uow.letters, uow.access_requests, uow.archive, uow.statements, uow.delegations):
            assert await register.listing() == []
