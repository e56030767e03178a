"""The contract of meetings' repositories: what the SQL adapters do, the fakes do too.

Every test reaches a repository as `uow.<property>.<method>(…)`; `uow` is the in-memory unit of
work (`tests/unit/meetings/test_repositories.py`) or the SQL one in a rolled-back transaction
(`tests/integration/repositories/test_meetings.py`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from services.meetings.domain.committee import Committee, CommitteeMember
from services.meetings.domain.decision import DecisionOutcome, DecisionRecord
from services.meetings.domain.documents import DocumentKind, PublishedDocument, RegisterEntry, register
from services.meetings.domain.meeting import (
    Amendment,
    EntryOrigin,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Signature,
    Treatment,
    TreatmentOutcome,
)
from services.meetings.domain.members import Seat
from services.meetings.domain.model import AgendaItem, BudgetCheck, ItemLinks, ItemStatus, Role, Step, Visum
from services.meetings.domain.votes import ElectionRound
from shared.vocabulary import (
    AppointmentDetails,
    BodyKind,
    Candidate,
    Confidentiality,
    DecisionKind,
    DecisionRelation,
    DelegationDetails,
    DisciplineDetails,
    FinancialImpact,
    FollowUpAction,
    FollowUpKind,
    ItemFile,
    LegalEntity,
    MandateRole,
    MandateStatus,
    RelationKind,
    VoteChoice,
    VoteTally,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _item(**changes: Any) -> AgendaItem:
    """An item with every field set to something other than its default."""
    item = AgendaItem(
        item_id=uuid.uuid4(),
        body=BodyKind.GEMEENTERAAD,
        entity=LegalEntity.GEMEENTE,
        title="Aanstelling diensthoofd",
        kind=DecisionKind.APPOINTMENT,
        confidentiality=Confidentiality.CLOSED,
        legal_basis="Decreet lokaal bestuur art. 40",
        motivation="Eerste gerangschikt",
        financial_impact=FinancialImpact(
            entity=LegalEntity.GEMEENTE,
            amount=Decimal("1234.56"),
            economic_account="6200000",
            policy_field="0119",
            action="AC-1.2.3",
            investment_project="IP-7",
            financial_year=2026,
            third_party="Firma X",
        ),
        follow_up_actions=(
            FollowUpAction(
                action_id="a1",
                kind=FollowUpKind.NOTIFY,
                description="Betrokkene inlichten",
                unit_code="HR",
                due_date=dt.date(2026, 4, 1),
            ),
        ),
        proposed_by="p-secr",
        proposed_at=T0,
        status=ItemStatus.ADOPTED,
        budget_check=BudgetCheck.PASSED,
        decision_id=uuid.uuid4(),
        links=ItemLinks(
            appointment=AppointmentDetails(
                person_id="p-new",
                person_name="An Nieuw",
                entity=LegalEntity.GEMEENTE,
                position="diensthoofd",
                unit_code="HR",
                grade="A1a",
                statutory=True,
                start_date=dt.date(2026, 5, 1),
            ),
            delegation=DelegationDetails(
                delegate_person_id="p-ad",
                power="sign",
                scope={"entity": "gemeente"},
                valid_from=dt.date(2026, 5, 1),
                valid_until=dt.date(2027, 5, 1),
            ),
            budget_change_id=uuid.uuid4(),
            consultation_id=uuid.uuid4(),
            overrules_item_id=uuid.uuid4(),
            candidates=(Candidate(person_id="p-new", name="An Nieuw"), Candidate(person_id="p-two", name="Bo Twee")),
            discipline=DisciplineDetails(case_id=uuid.uuid4(), sanction="schorsing"),
            organogram_version=4,
        ),
        visum=Visum.OVERRULED,
        meeting_id=uuid.uuid4(),
        files=(ItemFile(title="Verslag selectie", reference="dms://2026/117"),),
        history=(
            Step(
                meeting_id=uuid.uuid4(),
                body=BodyKind.GEMEENTERAADSCOMMISSIE,
                on=dt.date(2026, 3, 1),
                role=Role.ADVICE,
                outcome="advised",
                confidentiality=Confidentiality.CLOSED,
                tally=VoteTally(in_favour=5, against=1, abstentions=1),
                advice="Gunstig",
                favourable=True,
            ),
            Step(
                meeting_id=None,
                body=BodyKind.GEMEENTERAAD,
                on=dt.date(2026, 3, 2),
                role=Role.DECISION,
                outcome="adopted",
                confidentiality=Confidentiality.CLOSED,
                decision_id=uuid.uuid4(),
            ),
        ),
    )
    return replace(item, **changes)


def _meeting(body: BodyKind = BodyKind.GEMEENTERAAD, *, days: int = 10, **changes: Any) -> Meeting:
    """A closed meeting with one treated item, an amendment and signed minutes."""
    tally = VoteTally(in_favour=5, against=2, abstentions=1)
    meeting = Meeting(
        meeting_id=uuid.uuid4(),
        body=body,
        entity=LegalEntity.OCMW if body is BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN else LegalEntity.GEMEENTE,
        scheduled_at=T0 + dt.timedelta(days=days),
        location="Raadzaal",
        status=MeetingStatus.CLOSED,
        joint_group_id=uuid.uuid4(),
        convened_at=T0,
        agenda_published=(T0, T0 + dt.timedelta(hours=3)),
        entries=(
            Treatment(
                item_id=uuid.uuid4(),
                position=1,
                title="Reglement",
                kind=DecisionKind.REGULATION,
                confidentiality=Confidentiality.PUBLIC,
                origin=EntryOrigin.MEMBER,
                added_at=T0,
                added_by="gr3",
                postponed_from=uuid.uuid4(),
                absent={"gr4": "eigenaar"},
                outcome=TreatmentOutcome.ADOPTED,
                tally=tally,
                secret=False,
                by_member={"gr1": VoteChoice.IN_FAVOUR, "gr2": VoteChoice.AGAINST},
                amendments=(Amendment(text="Gratis", proposed_by="gr2", adopted=True, tally=tally),),
                decision_id=uuid.uuid4(),
                note="na amendement",
                role=Role.DECISION,
                closed_reason="openbare orde",
                closing_tally=tally,
                candidates=("gr1", "gr2", "gr3"),
                rounds=(
                    ElectionRound(
                        votes={"gr1": 3, "gr2": 2, "gr3": 2}, blank=1, invalid=0, runoff=("gr1", "gr2", "gr3")
                    ),
                ),
                advice="Gunstig",
                favourable=True,
            ),
        ),
        sitting=("gr1", "gr2", "gr3"),
        present=("gr1", "gr2"),
        chair_id="gr1",
        opened_at=T0 + dt.timedelta(days=days),
        closed_at=T0 + dt.timedelta(days=days, hours=2),
        minutes=Minutes(
            status=MinutesStatus.SIGNED,
            drafted_at=T0,
            approved_in=uuid.uuid4(),
            approved_at=T0,
            comments=("spelling",),
            signatures=(Signature(person_id="gr2", role="chair", signed_at=T0, on_behalf_of="gr1"),),
        ),
        committee_id=uuid.uuid4(),
        urgent=True,
        urgency_reason="stormschade",
        second_convocation_of=uuid.uuid4(),
        retabled=(uuid.uuid4(),),
    )
    return meeting.model_copy(update=changes)


def _seat(body: BodyKind = BodyKind.GEMEENTERAAD, **changes: Any) -> Seat:
    seat = Seat(
        mandate_id=uuid.uuid4(),
        person_id=f"p-{uuid.uuid4().hex[:6]}",
        person_name="Mandataris",
        body=body,
        role=MandateRole.CHAIR,
        status=MandateStatus.ACTING,
        voting=False,
        start=dt.date(2025, 1, 1),
        end=dt.date(2030, 12, 31),
        group="Stadslijst",
    )
    return replace(seat, **changes)


def _decision(meeting_id: uuid.UUID | None, *, minutes: int = 0, **changes: Any) -> DecisionRecord:
    record = DecisionRecord(
        decision_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        meeting_id=meeting_id,
        body=BodyKind.GEMEENTERAAD,
        entity=LegalEntity.GEMEENTE,
        kind=DecisionKind.REGULATION,
        title="Reglement",
        motivation="Omdat",
        legal_basis="art. 40",
        confidentiality=Confidentiality.PUBLIC,
        outcome=DecisionOutcome.ADOPTED,
        tally=VoteTally(in_favour=3, against=1, abstentions=0),
        secret=False,
        by_member={"gr1": VoteChoice.IN_FAVOUR},
        decided_at=T0 + dt.timedelta(minutes=minutes),
        effective_date=dt.date(2026, 3, 7),
        financial_impact=_item().financial_impact,
        follow_up_actions=_item().follow_up_actions,
        amendments=("Gratis",),
        published_on=dt.date(2026, 3, 3),
        executed_at=T0,
        election=(ElectionRound(votes={"p-new": 4, "p-two": 2}, blank=1, invalid=1, elected="p-new"),),
        elected=Candidate(person_id="p-new", name="An Nieuw"),
        signed_by="gr1",
    )
    return record.model_copy(update=changes)


def _committee(name: str = "Commissie financiën") -> Committee:
    return Committee(
        committee_id=uuid.uuid4(),
        name=name,
        council=BodyKind.GEMEENTERAAD,
        seats=3,
        shares={"Stadslijst": 2, "Open": 1},
        majority=("Stadslijst",),
        members=(
            CommitteeMember(person_id="gr1", name="Een", group="Stadslijst"),
            CommitteeMember(person_id="gr2", name="Twee", group="Stadslijst"),
            CommitteeMember(person_id="gr3", name="Drie", group="Open"),
        ),
        chair_id="gr1",
        set_up_on=dt.date(2026, 1, 5),
    )


def _document(meeting_id: uuid.UUID, kind: DocumentKind = DocumentKind.DECISION_LIST) -> PublishedDocument:
    return PublishedDocument(
        document_id=uuid.uuid4(),
        kind=kind,
        meeting_id=meeting_id,
        decision_id=uuid.uuid4() if kind is DocumentKind.REGULATION else None,
        body=BodyKind.GEMEENTERAAD,
        title="Besluitenlijst",
        content={"items": [{"position": 1, "closed": True}], "held_on": "2026-03-12"},
        reportable=True,
        due_on=dt.date(2026, 3, 22),
    )


class AgendaItemsContract:
    """Items by id: every field survives the round trip; ids and decisions are unique."""

    async def test_an_item_is_stored_and_read_back_with_every_field(self, uow: Any) -> None:
        item = _item()
        await uow.items.add(item)
        assert await uow.items.get(item.item_id) == item
        assert await uow.items.get(item.item_id, for_update=True) == item
        assert await uow.items.get(uuid.uuid4()) is None

    async def test_an_item_without_links_or_money_round_trips(self, uow: Any) -> None:
        item = _item(
            financial_impact=None,
            follow_up_actions=(),
            links=ItemLinks(),
            decision_id=None,
            meeting_id=None,
            files=(),
            history=(),
        )
        await uow.items.add(item)
        assert await uow.items.get(item.item_id) == item

    async def test_an_update_replaces_the_item_and_an_unknown_one_changes_nothing(self, uow: Any) -> None:
        item = _item(status=ItemStatus.PROPOSED, decision_id=None, visum=Visum.PENDING)
        await uow.items.add(item)
        decided = replace(item, status=ItemStatus.REJECTED, decision_id=uuid.uuid4(), visum=Visum.REFUSED)
        await uow.items.update(decided)
        assert await uow.items.get(item.item_id, for_update=True) == decided
        stranger = _item()
        await uow.items.update(stranger)
        assert await uow.items.get(stranger.item_id) is None

    async def test_an_item_id_is_stored_once(self, uow: Any) -> None:
        item = _item()
        await uow.items.add(item)
        with pytest.raises(IntegrityError):
            await uow.items.add(replace(item, title="Iets anders"))

    async def test_one_decision_decides_one_item(self, uow: Any) -> None:
        first = _item()
        await uow.items.add(first)
        with pytest.raises(IntegrityError):
            await uow.items.add(_item(decision_id=first.decision_id))


class MeetingsContract:
    """Meetings as one document each; listed newest first, by body, up to a limit."""

    async def test_a_meeting_is_stored_and_read_back_whole(self, uow: Any) -> None:
        meeting = _meeting()
        await uow.meetings.add(meeting)
        assert await uow.meetings.get(meeting.meeting_id) == meeting
        assert await uow.meetings.get(meeting.meeting_id, for_update=True) == meeting
        assert await uow.meetings.get(uuid.uuid4()) is None

    async def test_an_update_replaces_the_meeting_and_an_unknown_one_changes_nothing(self, uow: Any) -> None:
        planned = _meeting(status=MeetingStatus.PLANNED, entries=(), minutes=None, joint_group_id=None)
        await uow.meetings.add(planned)
        convened = planned.model_copy(update={"status": MeetingStatus.CONVENED, "joint_group_id": uuid.uuid4()})
        await uow.meetings.update(convened)
        assert await uow.meetings.get(planned.meeting_id) == convened
        [listed] = await uow.meetings.list(BodyKind.GEMEENTERAAD, 10)
        assert listed.status is MeetingStatus.CONVENED
        stranger = _meeting()
        await uow.meetings.update(stranger)
        assert await uow.meetings.get(stranger.meeting_id) is None

    async def test_meetings_are_listed_newest_first_by_body_up_to_the_limit(self, uow: Any) -> None:
        early, late, later = (_meeting(days=d) for d in (5, 20, 40))
        rmw = _meeting(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, days=30)
        for m in (late, rmw, early, later):
            await uow.meetings.add(m)
        council = await uow.meetings.list(BodyKind.GEMEENTERAAD, 10)
        assert [m.meeting_id for m in council] == [later.meeting_id, late.meeting_id, early.meeting_id]
        every = await uow.meetings.list(None, 10)
        assert [m.meeting_id for m in every] == [later.meeting_id, rmw.meeting_id, late.meeting_id, early.meeting_id]
        assert [m.meeting_id for m in await uow.meetings.list(None, 2)] == [later.meeting_id, rmw.meeting_id]
        assert await uow.meetings.list(BodyKind.BCSD, 10) == []

    async def test_closed_meetings_not_yet_locked_come_oldest_first(self, uow: Any) -> None:
        closed = [_meeting().model_copy(update={"status": MeetingStatus.CLOSED}) for _ in range(3)]
        early, late, locked = (
            closed[0].model_copy(update={"scheduled_at": T0}),
            closed[1].model_copy(update={"scheduled_at": T0 + dt.timedelta(days=3)}),
            closed[2].model_copy(update={"locked_at": T0}),
        )
        open_one = _meeting().model_copy(update={"status": MeetingStatus.IN_SESSION})
        for meeting in (late, locked, open_one, early):
            await uow.meetings.add(meeting)
        assert [m.meeting_id for m in await uow.meetings.closed_unlocked()] == [early.meeting_id, late.meeting_id]

    async def test_a_meeting_id_is_stored_once(self, uow: Any) -> None:
        meeting = _meeting()
        await uow.meetings.add(meeting)
        with pytest.raises(IntegrityError):
            await uow.meetings.add(meeting)


class SeatsContract:
    """One seat per mandate: an upsert replaces it; a body's seats, whatever their dates."""

    async def test_a_seat_is_stored_and_replaced_by_its_mandate(self, uow: Any) -> None:
        seat = _seat()
        await uow.seats.upsert(seat)
        assert await uow.seats.get(seat.mandate_id) == seat
        changed = replace(
            seat, status=MandateStatus.PREVENTED, end=None, voting=True, role=MandateRole.MEMBER, group=None
        )
        await uow.seats.upsert(changed)
        assert await uow.seats.get(seat.mandate_id) == changed
        assert await uow.seats.get(uuid.uuid4()) is None

    async def test_the_seats_of_a_body_are_all_its_mandates(self, uow: Any) -> None:
        ended = _seat(end=dt.date(2025, 6, 30))
        sitting = _seat(status=MandateStatus.EFFECTIVE, voting=True, end=None)
        other = _seat(BodyKind.COLLEGE)
        for s in (ended, sitting, other):
            await uow.seats.upsert(s)
        council = await uow.seats.of_body(BodyKind.GEMEENTERAAD)
        assert sorted(council, key=lambda s: s.person_id) == sorted([ended, sitting], key=lambda s: s.person_id)
        assert list(await uow.seats.of_body(BodyKind.COLLEGE)) == [other]
        assert list(await uow.seats.of_body(BodyKind.BCSD)) == []


class ConsultationsContract:
    """Union consultations: concluded once a protocol is known, and never un-concluded."""

    async def test_an_opened_consultation_is_not_concluded_until_its_protocol(self, uow: Any) -> None:
        boc, other = uuid.uuid4(), uuid.uuid4()
        await uow.consultations.record(boc, concluded=False, protocol=None)
        await uow.consultations.record(other, concluded=False, protocol=None)
        assert await uow.consultations.concluded([boc, other]) == set()
        await uow.consultations.record(boc, concluded=True, protocol="BOC-2026-3")
        assert await uow.consultations.concluded([boc, other, uuid.uuid4()]) == {boc}
        assert await uow.consultations.concluded([other]) == set()
        assert await uow.consultations.concluded([]) == set()

    async def test_a_late_opening_does_not_undo_a_conclusion(self, uow: Any) -> None:
        boc = uuid.uuid4()
        await uow.consultations.record(boc, concluded=True, protocol="BOC-2026-4")
        await uow.consultations.record(boc, concluded=False, protocol=None)
        assert await uow.consultations.concluded([boc]) == {boc}


class DecisionsContract:
    """Decision records by id, and a meeting's decisions in the order they were taken."""

    async def test_a_decision_is_stored_and_read_back_with_every_field(self, uow: Any) -> None:
        record = _decision(uuid.uuid4())
        await uow.decisions.add(record)
        assert await uow.decisions.get(record.decision_id) == record
        assert await uow.decisions.get(record.decision_id, for_update=True) == record
        assert await uow.decisions.get(uuid.uuid4()) is None

    async def test_an_update_replaces_the_record(self, uow: Any) -> None:
        record = _decision(None, published_on=None, executed_at=None, financial_impact=None)
        await uow.decisions.add(record)
        executed = record.model_copy(update={"executed_at": T0, "published_on": dt.date(2026, 3, 4)})
        await uow.decisions.update(executed)
        assert await uow.decisions.get(record.decision_id) == executed

    async def test_a_meetings_decisions_come_in_the_order_they_were_taken(self, uow: Any) -> None:
        meeting, other = uuid.uuid4(), uuid.uuid4()
        second = _decision(meeting, minutes=20, outcome=DecisionOutcome.REJECTED, secret=True, by_member={})
        first = _decision(meeting, minutes=5)
        for record in (second, _decision(other, minutes=1), first, _decision(None, minutes=2)):
            await uow.decisions.add(record)
        assert list(await uow.decisions.of_meeting(meeting)) == [first, second]
        assert list(await uow.decisions.of_meeting(uuid.uuid4())) == []

    async def test_the_decisions_changing_others_are_found_by_the_decisions_they_name(self, uow: Any) -> None:
        regulation, unrelated = _decision(None), _decision(None)
        amends = _decision(
            None,
            minutes=10,
            relations=(DecisionRelation(relation=RelationKind.AMENDS, decision_id=regulation.decision_id),),
            text="Artikel 1. Gewijzigd.",
        )
        repeals = _decision(
            None,
            minutes=20,
            relations=(
                DecisionRelation(relation=RelationKind.REPEALS, decision_id=amends.decision_id),
                DecisionRelation(relation=RelationKind.REPEALS, decision_id=unrelated.decision_id),
            ),
        )
        for record in (repeals, regulation, unrelated, amends):
            await uow.decisions.add(record)
        assert list(await uow.decisions.changing([regulation.decision_id])) == [amends]
        assert list(await uow.decisions.changing([regulation.decision_id, amends.decision_id])) == [amends, repeals]
        assert list(await uow.decisions.changing([unrelated.decision_id])) == [repeals]
        assert list(await uow.decisions.changing([repeals.decision_id])) == []
        assert list(await uow.decisions.changing([])) == []

    async def test_a_decision_id_is_stored_once(self, uow: Any) -> None:
        record = _decision(None)
        await uow.decisions.add(record)
        with pytest.raises(IntegrityError):
            await uow.decisions.add(record)


class PublicationsContract:
    """The register: append-only, numbered in order, its last seal known; one entry per document."""

    async def test_an_empty_register_has_no_seal(self, uow: Any) -> None:
        await uow.publications.lock()
        assert await uow.publications.last_hash() is None
        assert list(await uow.publications.all()) == []

    async def test_entries_are_numbered_in_order_and_read_back_whole(self, uow: Any) -> None:
        meeting, other = uuid.uuid4(), uuid.uuid4()
        await uow.publications.lock()
        previous = None
        entries: list[RegisterEntry] = []
        for meeting_id, kind in (
            (meeting, DocumentKind.DECISION_LIST),
            (other, DocumentKind.MINUTES),
            (meeting, DocumentKind.REGULATION),
        ):
            entry = register(_document(meeting_id, kind), previous=previous, published_at=T0)
            await uow.publications.add(entry)
            assert await uow.publications.last_hash() == entry.register_hash
            previous = entry.register_hash
            entries.append(entry)
        stored = list(await uow.publications.all())
        seqs = [e.seq for e in stored]
        assert all(isinstance(s, int) for s in seqs)
        assert seqs == sorted(seqs)
        assert len(set(seqs)) == 3
        assert [e.model_copy(update={"seq": None}) for e in stored] == entries
        mine = list(await uow.publications.of_meeting(meeting))
        assert [e.document for e in mine] == [entries[0].document, entries[2].document]
        assert [e.seq for e in mine] == [seqs[0], seqs[2]]
        assert list(await uow.publications.of_meeting(uuid.uuid4())) == []

    async def test_a_document_is_entered_once(self, uow: Any) -> None:
        entry = register(_document(uuid.uuid4()), previous=None, published_at=T0)
        await uow.publications.add(entry)
        with pytest.raises(IntegrityError):
            await uow.publications.add(entry)


class CommitteesContract:
    """Council committees by id, whole; all of them by name."""

    async def test_a_committee_is_stored_and_read_back_whole(self, uow: Any) -> None:
        committee = _committee()
        await uow.committees.add(committee)
        assert await uow.committees.get(committee.committee_id) == committee
        assert await uow.committees.get(uuid.uuid4()) is None

    async def test_the_committees_come_by_name(self, uow: Any) -> None:
        welfare, finance = _committee("Commissie welzijn"), _committee("Commissie financiën")
        for c in (welfare, finance):
            await uow.committees.add(c)
        assert [c.committee_id for c in await uow.committees.all()] == [finance.committee_id, welfare.committee_id]

    async def test_a_committee_id_is_stored_once(self, uow: Any) -> None:
        committee = _committee()
        await uow.committees.add(committee)
        with pytest.raises(IntegrityError):
            await uow.committees.add(committee)
