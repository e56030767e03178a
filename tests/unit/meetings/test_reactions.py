"""What meetings records from other services' events, delivered through the translation."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from services.meetings.domain.model import BudgetCheck, Visum
from shared.contracts.finance import BudgetCheckPassed, VisumGranted, VisumRefused
from shared.contracts.hr import ConsultationConcluded, ConsultationOpened
from shared.contracts.meetings import AgendaItemChecked, ProposeAgendaItem
from shared.contracts.organisation import DecisionExecuted, MandateEnded, MandateStarted, MandateStatusChanged
from shared.contracts.sessions import GetItemReadiness, GetItemReadinessReply
from shared.vocabulary import BodyKind, FinancialImpact, LegalEntity, MandateRole, MandateStatus
from tests.unit.meetings.builders import NOW
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service

MEETINGS = Service()


async def _item_with_money(uow: FakeMeetingsUnitOfWork) -> uuid.UUID:
    reply = await MEETINGS.send(
        uow,
        ProposeAgendaItem(
            command_id=uuid.uuid4().hex,
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            title="Aankoop bestelwagen",
            legal_basis="Decreet lokaal bestuur art. 56",
            financial_impact=FinancialImpact(
                entity=LegalEntity.GEMEENTE,
                amount=Decimal("40000.00"),
                economic_account="2400000",
                policy_field="0200",
                financial_year=2026,
            ),
        ),
        by="p-secr",
    )
    return uuid.UUID(reply.ids["item_id"])


def _passed(item_id: uuid.UUID, *, visum_required: bool) -> BudgetCheckPassed:
    return BudgetCheckPassed(
        item_id=item_id,
        entity=LegalEntity.GEMEENTE,
        amount=Decimal("40000.00"),
        available=Decimal("90000.00"),
        credit_key="k",
        visum_required=visum_required,
    )


async def test_a_visum_is_awaited_then_recorded_and_an_overruling_stays() -> None:
    uow = FakeMeetingsUnitOfWork()
    item_id = await _item_with_money(uow)
    await MEETINGS.tell(uow, _passed(item_id, visum_required=True))
    item = uow.items.rows[item_id]
    assert (item.budget_check, item.visum) == (BudgetCheck.PASSED, Visum.PENDING)
    refused = VisumRefused(
        visum_id=uuid.uuid4(),
        item_id=item_id,
        entity=LegalEntity.GEMEENTE,
        amount=Decimal("40000.00"),
        reasons=("geen krediet",),
        refused_by="p-fd",
        refused_at=NOW,
    )
    await MEETINGS.tell(uow, refused)
    assert uow.items.rows[item_id].visum is Visum.REFUSED
    uow.items.rows[item_id] = uow.items.rows[item_id].overruled()
    granted = VisumGranted(
        visum_id=uuid.uuid4(),
        item_id=item_id,
        entity=LegalEntity.GEMEENTE,
        amount=Decimal("40000.00"),
        granted_by="p-fd",
        granted_at=NOW,
    )
    await MEETINGS.tell(uow, granted)
    assert uow.items.rows[item_id].visum is Visum.OVERRULED
    # A repeated budget check keeps the visum that arrived before it.
    await MEETINGS.tell(uow, _passed(item_id, visum_required=True))
    assert uow.items.rows[item_id].visum is Visum.OVERRULED


async def test_news_about_an_unknown_item_seat_or_decision_changes_nothing() -> None:
    uow = FakeMeetingsUnitOfWork()
    await MEETINGS.tell(uow, _passed(uuid.uuid4(), visum_required=False))
    await MEETINGS.tell(
        uow,
        MandateStatusChanged(
            mandate_id=uuid.uuid4(),
            person_id="p",
            body=BodyKind.GEMEENTERAAD,
            status=MandateStatus.PREVENTED,
            since=NOW.date(),
        ),
    )
    await MEETINGS.tell(
        uow, DecisionExecuted(decision_id=uuid.uuid4(), entity=LegalEntity.GEMEENTE, task_count=1, executed_at=NOW)
    )
    assert not uow.items.rows
    assert not uow.seats.rows
    assert not uow.decisions.rows
    assert not uow.emitted


async def test_mandates_make_up_the_seats_and_their_changes_follow() -> None:
    uow = FakeMeetingsUnitOfWork()
    mandate = uuid.uuid4()
    await MEETINGS.tell(
        uow,
        MandateStarted(
            mandate_id=mandate,
            person_id="gr1",
            person_name="Greet Raes",
            body=BodyKind.GEMEENTERAAD,
            entity=LegalEntity.GEMEENTE,
            role=MandateRole.CHAIR,
            status=MandateStatus.EFFECTIVE,
            voting=True,
            start=dt.date(2025, 1, 1),
        ),
    )
    seat = uow.seats.rows[mandate]
    assert (seat.person_name, seat.role, seat.voting, seat.end) == ("Greet Raes", MandateRole.CHAIR, True, None)
    await MEETINGS.tell(
        uow,
        MandateStatusChanged(
            mandate_id=mandate,
            person_id="gr1",
            body=BodyKind.GEMEENTERAAD,
            status=MandateStatus.PREVENTED,
            since=NOW.date(),
        ),
    )
    assert uow.seats.rows[mandate].status is MandateStatus.PREVENTED
    await MEETINGS.tell(
        uow, MandateEnded(mandate_id=mandate, person_id="gr1", body=BodyKind.GEMEENTERAAD, end=dt.date(2026, 6, 30))
    )
    assert uow.seats.rows[mandate].end == dt.date(2026, 6, 30)
    assert uow.seats.rows[mandate].status is MandateStatus.PREVENTED


async def test_a_consultation_is_concluded_by_its_protocol_and_never_reopened() -> None:
    uow = FakeMeetingsUnitOfWork()
    boc = uuid.uuid4()
    opened = ConsultationOpened(
        consultation_id=boc,
        subject="RPR",
        entity=LegalEntity.GEMEENTE,
        invitation_sent_on=NOW.date(),
        meeting_on=NOW.date(),
    )
    await MEETINGS.tell(uow, opened)
    assert await uow.consultations.concluded([boc]) == set()
    await MEETINGS.tell(
        uow,
        ConsultationConcluded(
            consultation_id=boc, entity=LegalEntity.GEMEENTE, protocol_reference="BOC-1", concluded_on=NOW.date()
        ),
    )
    await MEETINGS.tell(uow, opened)
    assert await uow.consultations.concluded([boc]) == {boc}


async def test_the_proposer_is_told_when_finance_gates_change_and_asks_whether_the_item_is_ready() -> None:
    uow = FakeMeetingsUnitOfWork()
    item_id = await _item_with_money(uow)

    async def readiness() -> GetItemReadinessReply:
        return await MEETINGS.ask(
            uow, GetItemReadiness(command_id=uuid.uuid4().hex, item_id=item_id), GetItemReadinessReply
        )

    first = await readiness()
    assert (first.ready, first.refusal) == (False, "budget_check_missing")
    await MEETINGS.tell(uow, _passed(item_id, visum_required=True))
    checked = [e for e in uow.events() if isinstance(e, AgendaItemChecked)]
    assert [(e.item_id, e.budget_check, e.visum) for e in checked] == [(item_id, "passed", "pending")]
    assert (await readiness()).refusal == "visum_missing"
    granted = VisumGranted(
        visum_id=uuid.uuid4(),
        item_id=item_id,
        entity=LegalEntity.GEMEENTE,
        amount=Decimal("40000.00"),
        granted_by="p-fd",
        granted_at=NOW,
    )
    await MEETINGS.tell(uow, granted)
    checked = [e for e in uow.events() if isinstance(e, AgendaItemChecked)]
    assert checked[-1].visum == "granted"
    last = await readiness()
    assert (last.ready, last.refusal, last.reason) == (True, None, None)
