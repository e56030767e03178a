"""The contract of organisation's repositories: the fakes and the SQL adapters both keep it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from services.organisation.domain.control import (
    AFSPRAKENNOTA_PARTIES,
    Agreement,
    AuditFinding,
    AuditReport,
    ControlMeasure,
    ControlSystem,
    Incident,
    Objective,
    Review,
    Risk,
)
from services.organisation.domain.mandates import Mandate
from services.organisation.domain.model import Delegate, FollowUpTask, Person, TaskStatus, Unit
from services.organisation.service_layer.ports import TaskComment
from shared.vocabulary import BodyKind, Confidentiality, FollowUpKind, LegalEntity, MandateRole, MandateStatus

T0 = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
D0 = T0.date()


def _day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


# -- organogram and persons -------------------------------------------------------------------------

TREE = (
    Unit("DIR", "Directie", None, "p-ad", management_team=True),
    Unit("FIN", "Financiën", "DIR", "p-fin", management_team=True),
    Unit("SECR", "Secretariaat", "DIR", None),
)
OTHER_TREE = (Unit("MT", "Managementteam", None, "p-ad", management_team=True), Unit("WZ", "Welzijn", "MT", None))


class OrganogramsContract:
    """Versions numbered one after another; the applied version valid on a date; drafts side by side."""

    async def test_before_any_version_the_organogram_is_empty(self, uow: Any) -> None:
        empty = await uow.organogram.at(D0)
        assert (dict(empty.units), empty.version, empty.valid_from, empty.root) == ({}, 0, None, "MT")

    async def test_an_applied_version_holds_its_units_from_its_date(self, uow: Any) -> None:
        decision = uuid.uuid4()
        first = await uow.organogram.apply(_day(0), TREE, None)
        second = await uow.organogram.apply(_day(30), OTHER_TREE, decision)
        assert second == first + 1
        assert (await uow.organogram.at(_day(-1))).units == {}
        on_first = await uow.organogram.at(_day(29))
        assert (on_first.version, on_first.valid_from, on_first.root) == (first, _day(0), "DIR")
        assert dict(on_first.units) == {u.code: u for u in TREE}
        on_second = await uow.organogram.at(_day(30))
        assert (on_second.version, on_second.valid_from, on_second.root) == (second, _day(30), "MT")
        assert dict(on_second.units) == {u.code: u for u in OTHER_TREE}
        assert await uow.organogram.applied_by(decision) == second
        assert await uow.organogram.applied_by(uuid.uuid4()) is None

    async def test_of_two_versions_from_the_same_day_the_later_one_holds(self, uow: Any) -> None:
        await uow.organogram.apply(_day(0), TREE, None)
        later = await uow.organogram.apply(_day(0), OTHER_TREE, None)
        assert (await uow.organogram.at(_day(0))).version == later

    async def test_drafts_wait_side_by_side_and_the_one_named_applies_once(self, uow: Any) -> None:
        assert await uow.organogram.drafts() == []
        assert await uow.organogram.apply_draft(1, _day(0), None) is False
        first = await uow.organogram.save_draft(TREE)
        second = await uow.organogram.save_draft(OTHER_TREE)
        assert second == first + 1
        assert await uow.organogram.drafts() == [first, second]
        assert (await uow.organogram.at(_day(100))).units == {}  # a draft applies to no date
        draft = await uow.organogram.version(first)
        assert draft is not None
        assert (draft.draft, draft.valid_from, dict(draft.units)) == (True, None, {u.code: u for u in TREE})
        decision = uuid.uuid4()
        assert await uow.organogram.apply_draft(second, _day(10), decision) is True
        applied = await uow.organogram.at(_day(10))
        assert (applied.version, applied.valid_from, applied.draft, dict(applied.units)) == (
            second,
            _day(10),
            False,
            {u.code: u for u in OTHER_TREE},
        )
        assert await uow.organogram.applied_by(decision) == second
        assert await uow.organogram.drafts() == [first], "the other draft still waits"
        assert await uow.organogram.apply_draft(second, _day(20), None) is False, "applied once"
        assert await uow.organogram.version(second + 1) is None

    async def test_a_version_applied_while_a_draft_waits_takes_the_next_number(self, uow: Any) -> None:
        draft = await uow.organogram.save_draft(TREE)
        applied = await uow.organogram.apply(_day(0), OTHER_TREE, None)
        assert applied == draft + 1
        assert await uow.organogram.apply_draft(draft, _day(5), None) is True
        assert (await uow.organogram.at(_day(5))).version == draft  # the later date wins


class PersonsContract:
    """People by id; an upsert changes name and activity; the organogram knows every person."""

    async def test_a_person_round_trips_and_is_updated_in_place(self, uow: Any) -> None:
        assert await uow.persons.get("p-x") is None
        await uow.persons.upsert(Person("p-x", "Xavier"))
        assert await uow.persons.get("p-x") == Person("p-x", "Xavier", active=True)
        await uow.persons.upsert(Person("p-x", "Xavier Peeters", active=False))
        assert await uow.persons.get("p-x") == Person("p-x", "Xavier Peeters", active=False)

    async def test_the_end_of_service_changes_only_a_known_person(self, uow: Any) -> None:
        await uow.persons.upsert(Person("p-y", "Yana"))
        await uow.persons.set_inactive_from("p-y", _day(3))
        assert await uow.persons.get("p-y") == Person("p-y", "Yana", inactive_from=_day(3))
        await uow.persons.set_inactive_from("p-y", None)
        assert await uow.persons.get("p-y") == Person("p-y", "Yana")
        await uow.persons.set_inactive_from("p-nobody", _day(3))
        assert await uow.persons.get("p-nobody") is None
        await uow.persons.upsert(Person("p-z", "Zeno", inactive_from=_day(1)))
        assert await uow.persons.get("p-z") == Person("p-z", "Zeno", inactive_from=_day(1))
        await uow.persons.upsert(Person("p-z", "Zeno"))
        assert await uow.persons.get("p-z") == Person("p-z", "Zeno"), "appointed again: in service"

    async def test_the_organogram_carries_every_person_with_their_activity(self, uow: Any) -> None:
        await uow.persons.upsert(Person("p-ad", "An"))
        await uow.persons.upsert(Person("p-gone", "Gert", active=False))
        await uow.persons.upsert(Person("p-leaving", "Lien", inactive_from=_day(5)))
        expected = {
            "p-ad": Person("p-ad", "An"),
            "p-gone": Person("p-gone", "Gert", active=False),
            "p-leaving": Person("p-leaving", "Lien", inactive_from=_day(5)),
        }
        assert dict((await uow.organogram.at(_day(0))).persons) == expected  # no version yet
        await uow.organogram.apply(_day(0), TREE, None)
        assert dict((await uow.organogram.at(_day(0))).persons) == expected


# -- tasks --------------------------------------------------------------------------------------


def _task(
    decision_id: uuid.UUID,
    action_id: str,
    *,
    due: dt.date = D0,
    title: str = "Opvolgen",
    owner: str = "p-fin",
    unit: str = "FIN",
    status: TaskStatus = TaskStatus.OPEN,
) -> FollowUpTask:
    return FollowUpTask(
        task_id=uuid.uuid4(),
        decision_id=decision_id,
        action_id=action_id,
        kind=FollowUpKind.EXECUTE,
        title=title,
        entity=LegalEntity.GEMEENTE,
        unit_code=unit,
        owner_person_id=owner,
        owner_name=owner.upper(),
        due_date=due,
        status=status,
        created_at=T0,
    )


def _every_field(decision_id: uuid.UUID) -> FollowUpTask:
    """A task with every optional field set, to prove each one round-trips."""
    return FollowUpTask(
        task_id=uuid.uuid4(),
        decision_id=decision_id,
        action_id="sign",
        kind=FollowUpKind.SIGN,
        title="Akte ondertekenen",
        entity=LegalEntity.OCMW,
        unit_code="SECR",
        owner_person_id="p-deputy",
        owner_name="Dirk",
        due_date=_day(10),
        status=TaskStatus.OVERDUE,
        created_at=T0,
        escalation_level=2,
        last_escalated_on=_day(12),
        claimed_by="p-deputy",
        completed_by="p-ad",
        completed_at=T0 + dt.timedelta(days=3, hours=2),
        cancel_reason="niet meer nodig",
        delegation_id=uuid.uuid4(),
        confidentiality=Confidentiality.SOCIAL,
        district="noord",
    )


class TasksContract:
    """One task per (decision, action); saved as a whole; listed and scanned in a stable order."""

    async def test_a_task_round_trips_every_field(self, uow: Any) -> None:
        task = _every_field(uuid.uuid4())
        assert await uow.tasks.add_if_new(task)
        assert await uow.tasks.get(task.task_id) == task
        assert await uow.tasks.get(uuid.uuid4()) is None

    async def test_a_second_task_for_the_same_action_is_not_stored(self, uow: Any) -> None:
        decision = uuid.uuid4()
        first, again = _task(decision, "a"), _task(decision, "a", title="Dubbel")
        assert await uow.tasks.add_if_new(first)
        assert not await uow.tasks.add_if_new(again)
        assert await uow.tasks.get(again.task_id) is None
        assert await uow.tasks.of_decision(decision) == [first]
        assert await uow.tasks.add_if_new(_task(uuid.uuid4(), "a"))  # the same action of another decision

    async def test_save_replaces_every_field_of_a_known_task_only(self, uow: Any) -> None:
        task = _task(uuid.uuid4(), "a")
        await uow.tasks.add_if_new(task)
        full = _every_field(task.decision_id)
        changed = dataclasses.replace(full, task_id=task.task_id, action_id="a")
        await uow.tasks.save(changed)
        assert await uow.tasks.get(task.task_id) == changed
        stranger = _task(uuid.uuid4(), "b")
        await uow.tasks.save(stranger)
        assert await uow.tasks.get(stranger.task_id) is None

    async def test_the_tasks_of_a_decision_come_in_task_id_order(self, uow: Any) -> None:
        decision = uuid.uuid4()
        mine = [_task(decision, x) for x in "abcd"]
        for task in mine:
            await uow.tasks.add_if_new(task)
        await uow.tasks.add_if_new(_task(uuid.uuid4(), "a"))
        assert await uow.tasks.of_decision(decision) == sorted(mine, key=lambda t: t.task_id)
        assert await uow.tasks.of_decision(uuid.uuid4()) == []

    async def test_unfinished_tasks_due_before_a_day_by_due_date(self, uow: Any) -> None:
        decision = uuid.uuid4()
        late = _task(decision, "late", due=_day(1), status=TaskStatus.OVERDUE)
        busy = _task(decision, "busy", due=_day(2), status=TaskStatus.IN_PROGRESS)
        waiting = _task(decision, "open", due=_day(0))
        others = [
            _task(decision, "done", due=_day(0), status=TaskStatus.DONE),
            _task(decision, "cancelled", due=_day(0), status=TaskStatus.CANCELLED),
            _task(decision, "today", due=_day(3)),
        ]
        for task in (late, busy, waiting, *others):
            await uow.tasks.add_if_new(task)
        assert await uow.tasks.unfinished_due_before(_day(3)) == [waiting, late, busy]
        assert await uow.tasks.unfinished_due_before(_day(3), limit=2) == [waiting, late]
        assert await uow.tasks.unfinished_due_before(_day(0)) == []

    async def test_comments_are_kept_per_task_in_time_order(self, uow: Any) -> None:
        task, other = _task(uuid.uuid4(), "a"), _task(uuid.uuid4(), "a")
        await uow.tasks.add_if_new(task)
        await uow.tasks.add_if_new(other)
        later = TaskComment(uuid.uuid4(), task.task_id, "p-fin", "offerte ontvangen", T0 + dt.timedelta(hours=2))
        earlier = TaskComment(uuid.uuid4(), task.task_id, "p-ad", "offerte gevraagd", T0)
        for comment in (later, earlier, TaskComment(uuid.uuid4(), other.task_id, "p-fin", "elders", T0)):
            await uow.tasks.add_comment(comment)
        assert await uow.tasks.comments(task.task_id) == [earlier, later]
        assert await uow.tasks.comments(uuid.uuid4()) == []

    async def test_a_decision_is_marked_executed_once(self, uow: Any) -> None:
        decision = uuid.uuid4()
        assert await uow.tasks.mark_executed(decision, T0)
        assert not await uow.tasks.mark_executed(decision, T0 + dt.timedelta(days=1))
        assert await uow.tasks.mark_executed(uuid.uuid4(), T0)

    async def test_tasks_are_listed_by_filter_in_due_date_and_title_order(self, uow: Any) -> None:
        decision, other = uuid.uuid4(), uuid.uuid4()
        b_late = _task(decision, "1", due=_day(5), title="B opvolgen")
        a_late = _task(decision, "2", due=_day(5), title="A opvolgen", owner="p-ad", unit="DIR")
        early = _task(decision, "3", due=_day(1), title="Z opvolgen", status=TaskStatus.OVERDUE)
        elsewhere = _task(other, "1", due=_day(0), title="Elders", owner="p-ad", unit="DIR")
        for task in (b_late, a_late, early, elsewhere):
            await uow.tasks.add_if_new(task)
        assert await uow.tasks.list() == [elsewhere, early, a_late, b_late]
        assert await uow.tasks.list(decision_id=decision) == [early, a_late, b_late]
        assert await uow.tasks.list(owner_person_id="p-ad") == [elsewhere, a_late]
        assert await uow.tasks.list(unit_code="FIN") == [early, b_late]
        assert await uow.tasks.list(status=TaskStatus.OVERDUE) == [early]
        assert await uow.tasks.list(decision_id=decision, owner_person_id="p-ad", unit_code="DIR") == [a_late]
        assert await uow.tasks.list(status=TaskStatus.DONE) == []


# -- mandates -----------------------------------------------------------------------------------


def _mandate(
    person: str,
    body: BodyKind = BodyKind.GEMEENTERAAD,
    *,
    name: str | None = None,
    role: MandateRole = MandateRole.MEMBER,
    start: dt.date = D0,
    end: dt.date | None = None,
) -> Mandate:
    return Mandate(
        mandate_id=uuid.uuid4(),
        person_id=person,
        person_name=name or person.upper(),
        body=body,
        entity=LegalEntity.OCMW if body is BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN else LegalEntity.GEMEENTE,
        role=role,
        status=MandateStatus.EFFECTIVE,
        voting=True,
        start=start,
        end=end,
        status_since=start,
    )


class MandatesContract:
    """Mandates by id, saved as a whole, listed by body, role and name."""

    async def test_a_mandate_round_trips_every_field_once(self, uow: Any) -> None:
        mandate = Mandate(
            mandate_id=uuid.uuid4(),
            person_id="m-1",
            person_name="Hilde",
            body=BodyKind.VAST_BUREAU,
            entity=LegalEntity.OCMW,
            role=MandateRole.CHAIR,
            status=MandateStatus.ACTING,
            voting=False,
            start=_day(0),
            end=_day(100),
            linked_mandate_id=uuid.uuid4(),
            end_reason="ontslag",
            status_since=_day(5),
            group="Stadslijst",
        )
        assert await uow.mandates.add_if_new(mandate)
        assert not await uow.mandates.add_if_new(dataclasses.replace(mandate, person_name="Andere"))
        assert await uow.mandates.get(mandate.mandate_id) == mandate
        assert await uow.mandates.get(uuid.uuid4()) is None

    async def test_save_changes_a_known_mandate_only(self, uow: Any) -> None:
        mandate = _mandate("m-1")
        await uow.mandates.add_if_new(mandate)
        ended = dataclasses.replace(
            mandate, end=_day(50), end_reason="einde", status=MandateStatus.PREVENTED, status_since=_day(10)
        )
        await uow.mandates.save(ended)
        assert await uow.mandates.get(mandate.mandate_id) == ended
        stranger = _mandate("m-2")
        await uow.mandates.save(stranger)
        assert await uow.mandates.get(stranger.mandate_id) is None

    async def test_mandates_are_listed_by_body_role_and_name(self, uow: Any) -> None:
        bert = _mandate("m-b", name="Bert")
        anna = _mandate("m-a", name="Anna")
        chair = _mandate("m-c", name="Zoe", role=MandateRole.CHAIR)
        rmw = _mandate("m-a", BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, name="Anna")
        college = _mandate("m-b", BodyKind.COLLEGE, name="Bert", role=MandateRole.ALDERMAN)
        for m in (rmw, bert, chair, anna, college):
            await uow.mandates.add_if_new(m)
        assert await uow.mandates.list() == [college, chair, anna, bert, rmw]
        assert await uow.mandates.list(body=BodyKind.GEMEENTERAAD) == [chair, anna, bert]
        assert await uow.mandates.list(person_id="m-a") == [anna, rmw]
        assert await uow.mandates.list(body=BodyKind.COLLEGE, person_id="m-a") == []

    async def test_a_mandate_runs_from_its_start_up_to_and_including_its_end(self, uow: Any) -> None:
        ended = _mandate("m-1", start=_day(0), end=_day(10))
        running = _mandate("m-2", start=_day(5))
        for m in (ended, running):
            await uow.mandates.add_if_new(m)
        assert await uow.mandates.list(on=_day(-1)) == []
        assert await uow.mandates.list(on=_day(0)) == [ended]
        assert await uow.mandates.list(on=_day(10)) == [ended, running]
        assert await uow.mandates.list(on=_day(11)) == [running]
        assert await uow.mandates.list(person_id="m-1", on=_day(11)) == []


# -- delegates and scans ------------------------------------------------------------------------


def _delegate(grantor: str, to: str = "p-deputy", *, power: str = "decide") -> Delegate:
    return Delegate(uuid.uuid4(), grantor, to, power, LegalEntity.GEMEENTE, _day(0), _day(365))


class DelegatesContract:
    """hr's delegations by grantor; a revocation outlives a redelivered grant."""

    async def test_delegations_round_trip_and_are_found_by_grantor(self, uow: Any) -> None:
        mine, also_mine, other = _delegate("p-fin"), _delegate("p-fin", "p-x", power="sign"), _delegate("p-ad")
        for d in (mine, also_mine, other):
            await uow.delegates.upsert(d)
        found = await uow.delegates.of_persons(["p-fin"])
        assert sorted(found, key=lambda d: d.to_person_id) == [mine, also_mine]
        assert len(await uow.delegates.of_persons(["p-fin", "p-ad"])) == 3
        assert await uow.delegates.of_persons(["p-nobody"]) == []
        assert await uow.delegates.of_persons([]) == []

    async def test_an_upsert_changes_the_delegation(self, uow: Any) -> None:
        d = _delegate("p-fin")
        await uow.delegates.upsert(d)
        changed = dataclasses.replace(d, to_person_id="p-y", power="sign", entity=LegalEntity.OCMW, valid_until=None)
        await uow.delegates.upsert(changed)
        assert await uow.delegates.of_persons(["p-fin"]) == [changed]

    async def test_a_revocation_is_kept_when_the_grant_arrives_again(self, uow: Any) -> None:
        d = _delegate("p-fin")
        await uow.delegates.upsert(d)
        await uow.delegates.revoke(d.delegation_id, _day(20))
        revoked = dataclasses.replace(d, revoked_on=_day(20))
        assert await uow.delegates.of_persons(["p-fin"]) == [revoked]
        await uow.delegates.upsert(d)
        assert await uow.delegates.of_persons(["p-fin"]) == [revoked]
        await uow.delegates.revoke(uuid.uuid4(), _day(20))
        assert await uow.delegates.of_persons(["p-fin"]) == [revoked]


class ScansContract:
    """One run per scanned day; the last day scanned."""

    async def test_the_last_scanned_day(self, uow: Any) -> None:
        assert await uow.scans.last() is None
        await uow.scans.record(_day(5), T0, 1, 1)
        await uow.scans.record(_day(2), T0, 0, 0)
        assert await uow.scans.last() == _day(5)
        await uow.scans.record(_day(5), T0 + dt.timedelta(hours=1), 0, 0)  # a second run the same day
        assert await uow.scans.last() == _day(5)


# -- internal control ---------------------------------------------------------------------------


def _risk(title: str = "Fraude bij kasverrichtingen") -> Risk:
    measure = ControlMeasure(
        measure_id=uuid.uuid4(),
        description="Vier-ogenprincipe bij kasafsluiting",
        owner_person_id="p-fin",
        review_every_days=180,
        next_review=_day(30),
        review_task_id=uuid.uuid4(),
        reviews=(Review(on=_day(1), by="p-fin", effective=False, note="Niet toegepast in juli"),),
    )
    return Risk(
        key=uuid.uuid4(),
        entity=LegalEntity.OCMW,
        process="Kasbeheer",
        unit_code="FIN",
        title=title,
        likelihood=3,
        impact=5,
        owner_person_id="p-fin",
        registered_on=D0,
        measures=(measure,),
        incidents=(
            Incident(incident_id=uuid.uuid4(), occurred_on=_day(2), description="Kasverschil", reported_by="p-fin"),
        ),
        action_task_ids=(uuid.uuid4(),),
    )


class ControlRegisterContract:
    """Every kind of record round-trips whole by key; a save replaces; listing is per kind."""

    async def test_records_round_trip_and_are_listed_per_kind(self, uow: Any) -> None:
        risk = _risk()
        report = AuditReport(
            key=uuid.uuid4(),
            entity=LegalEntity.GEMEENTE,
            title="Organisatie-audit 2026",
            received_on=D0,
            available_to_council_on=None,
            findings=(AuditFinding(finding_id=uuid.uuid4(), text="Geen risicoanalyse aankopen", risk_id=risk.key),),
        )
        system = ControlSystem.set_up(framework=(uuid.uuid4(), uuid.uuid4()), consulted=None, by="p-ad", on=D0)
        agreement = Agreement.conclude(
            legislature="2025 - heden",
            on=D0,
            parties=tuple(sorted(AFSPRAKENNOTA_PARTIES)),
            cooperation="Maandelijks overleg",
            conduct="Respectvolle omgang",
            delegated_powers="Verslag per kwartaal",
        ).model_copy(
            update={"objectives": (Objective(objective_id="o1", text="Digitaal loket", task_id=uuid.uuid4()),)}
        )
        assert await uow.control.get(risk.key) is None
        for record in (risk, report, system, agreement):
            await uow.control.save(record)
        for record in (risk, report, system, agreement):
            assert await uow.control.get(record.key, for_update=True) == record
        assert await uow.control.of_kind("risk") == [risk]
        assert await uow.control.of_kind("audit_report") == [report]
        assert await uow.control.of_kind("agreement") == [agreement]
        assert await uow.control.of_kind("system") == [system]

    async def test_a_save_replaces_the_record_with_its_key(self, uow: Any) -> None:
        first, second = _risk("Eerste"), _risk("Tweede")
        await uow.control.save(first)
        await uow.control.save(second)
        changed = first.model_copy(update={"likelihood": 1, "incidents": ()})
        await uow.control.save(changed)
        assert await uow.control.get(first.key) == changed
        assert sorted(r.title for r in await uow.control.of_kind("risk")) == ["Eerste", "Tweede"]
