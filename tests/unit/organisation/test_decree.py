"""organisation as the decree has it: a prevented seat carries to its linked seat, drafts of the organogram
side by side with the council naming the one it adopts, and people in service while an employment runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest

from shared.contracts.base import LegalEntity
from shared.contracts.common import BodyKind, FollowUpAction, FollowUpKind
from shared.contracts.hr import StaffAppointed, StaffDismissed
from shared.contracts.meetings import DecisionAdopted, DecisionKind
from shared.contracts.organisation import (
    ApplyOrganogram,
    ChangeMandateStatus,
    DraftOrganogram,
    GetOrganogram,
    MandateRole,
    MandateStarted,
    MandateStatus,
    MandateStatusChanged,
    OrganogramApplied,
    OrganogramUnit,
    ReassignTask,
    ScanOverdue,
    StartMandate,
    TaskEscalated,
)
from shared.contracts.sessions import ListMembers
from shared.kernel import RuleViolation
from shared.messaging.envelope import Envelope
from tests.factories import adopted_decision
from tests.unit.meetings.fakes import FakeMeetingsUnitOfWork
from tests.unit.meetings.service import Service as Meetings
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork
from tests.unit.organisation.routes import NOW, Routes

ENVELOPE = Envelope(id="m", type="t", source="/test", time=NOW, correlation_id="c")
TODAY = NOW.date()
routes = Routes()


async def _rejected(coro: object, code: str) -> None:
    with pytest.raises(RuleViolation) as info:
        await coro  # type: ignore[misc]
    assert info.value.code == code


# -- the prevented seat ------------------------------------------------------------------------------


async def _college(uow: FakeOrganisationUnitOfWork, people: list[str]) -> dict[str, uuid.UUID]:
    """The college (and with it the vast bureau) seated; the college mandate of each person."""
    seats: dict[str, uuid.UUID] = {}
    for i, person in enumerate(people):
        reply = await routes.start_mandate(
            uow,
            StartMandate(
                command_id=uuid.uuid4().hex,
                person_id=person,
                person_name=f"Schepen {person}",
                body=BodyKind.COLLEGE,
                role=MandateRole.MAYOR if i == 0 else MandateRole.ALDERMAN,
                start=dt.date(2025, 1, 2),
            ),
        )
        seats[person] = uuid.UUID(reply.ids["college"])
    return seats


async def test_a_prevented_schepen_is_prevented_in_the_vast_bureau_too_and_both_bases_match() -> None:
    organisation = FakeOrganisationUnitOfWork()
    people = [f"s-{i}" for i in range(9)]
    seats = await _college(organisation, people)
    since = TODAY - dt.timedelta(days=7)
    prevented = ChangeMandateStatus(
        command_id="p" * 8, mandate_id=seats["s-3"], status=MandateStatus.PREVENTED, since=since
    )
    reply = await routes.change_mandate_status(organisation, prevented)
    assert reply.data["changed"] == [str(seats["s-3"]), str(organisation.mandates.rows[seats["s-3"]].linked_mandate_id)]
    changed = [e for e in organisation.events() if isinstance(e, MandateStatusChanged)]
    assert {(e.body, e.person_id, e.status) for e in changed} == {
        (BodyKind.COLLEGE, "s-3", MandateStatus.PREVENTED),
        (BodyKind.VAST_BUREAU, "s-3", MandateStatus.PREVENTED),
    }
    # meetings builds its seats from what organisation announced: both bodies sit 8 members.
    meetings, seated = Meetings(), FakeMeetingsUnitOfWork()
    for event in organisation.events():
        if isinstance(event, MandateStarted | MandateStatusChanged):
            await meetings.tell(seated, event)
    for body in (BodyKind.COLLEGE, BodyKind.VAST_BUREAU):
        sitting = await meetings.ask(seated, ListMembers(command_id="l" * 8, body=body, on=TODAY), ListMembers.Reply)
        assert sorted(m.person_id for m in sitting.members) == [p for p in people if p != "s-3"], body
    back = prevented.model_copy(update={"status": MandateStatus.EFFECTIVE, "since": TODAY})
    await routes.change_mandate_status(organisation, back)
    latest = [e for e in organisation.events() if isinstance(e, MandateStatusChanged)][-2:]
    assert {(e.body, e.status) for e in latest} == {
        (BodyKind.COLLEGE, MandateStatus.EFFECTIVE),
        (BodyKind.VAST_BUREAU, MandateStatus.EFFECTIVE),
    }


async def test_the_link_works_both_ways_and_a_seat_already_prevented_is_left_alone() -> None:
    uow = FakeOrganisationUnitOfWork()
    seats = await _college(uow, ["s-0", "s-1", "s-2"])
    vast_bureau = uow.mandates.rows[seats["s-1"]].linked_mandate_id
    assert vast_bureau is not None
    prevent = ChangeMandateStatus(
        command_id="a" * 8, mandate_id=vast_bureau, status=MandateStatus.PREVENTED, since=TODAY
    )
    reply = await routes.change_mandate_status(uow, prevent)
    assert reply.data["changed"] in ([str(vast_bureau), str(seats["s-1"])], [str(seats["s-1"]), str(vast_bureau)])
    # A college seat prevented before the rule carried it (its vast bureau seat still effective):
    college = seats["s-2"]
    uow.mandates.rows[college] = dataclasses.replace(uow.mandates.rows[college], status=MandateStatus.PREVENTED)
    linked = uow.mandates.rows[college].linked_mandate_id
    assert linked is not None
    reply = await routes.change_mandate_status(uow, prevent.model_copy(update={"mandate_id": linked}))
    assert reply.data["changed"] == [str(linked)]


# -- two drafts of the organogram ---------------------------------------------------------------------

PLAN_A = (
    OrganogramUnit(code="MT", name="Managementteam", head_person_id="p-ad", management_team=True),
    OrganogramUnit(code="FIN", name="Financiën", parent="MT", head_person_id="p-fin"),
)
PLAN_B = (
    OrganogramUnit(code="MT", name="Managementteam", head_person_id="p-ad", management_team=True),
    OrganogramUnit(code="BEDRIJF", name="Bedrijfsvoering", parent="MT", head_person_id="p-fin"),
    OrganogramUnit(code="RUIMTE", name="Omgeving", parent="BEDRIJF", head_person_id="p-ruimte"),
)


async def test_two_drafts_wait_side_by_side_and_the_council_adopts_the_one_it_names() -> None:
    uow = FakeOrganisationUnitOfWork()
    a = await routes.draft_organogram(uow, DraftOrganogram(command_id="a" * 8, units=PLAN_A))
    b = await routes.draft_organogram(uow, DraftOrganogram(command_id="b" * 8, units=PLAN_B))
    version_a, version_b = int(a.ids["version"]), int(b.ids["version"])
    assert b.data["drafts"] == [version_a, version_b]
    shown = await routes.views.get_organogram(uow, GetOrganogram(command_id="g" * 8, version=version_b))
    assert (shown.draft, shown.drafts, [u.code for u in shown.units]) == (
        True,
        (version_a, version_b),
        ["MT", "BEDRIJF", "RUIMTE"],
    )
    unnamed = adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.ORGANOGRAM)
    await _rejected(routes.decision_adopted(uow, unnamed, ENVELOPE), "organogram_version_required")
    unknown = adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.ORGANOGRAM, organogram_version=99)
    await _rejected(routes.decision_adopted(uow, unknown, ENVELOPE), "unknown_organogram_version")
    effective = TODAY + dt.timedelta(days=30)
    adopting_b = adopted_decision(
        body=BodyKind.GEMEENTERAAD,
        kind=DecisionKind.ORGANOGRAM,
        organogram_version=version_b,
        effective_date=effective,
    )
    await routes.decision_adopted(uow, adopting_b, ENVELOPE)
    [applied] = [e for e in uow.events() if isinstance(e, OrganogramApplied)]
    assert (applied.version, applied.valid_from, applied.decision_id, applied.unit_count) == (
        version_b,
        effective,
        adopting_b.decision_id,
        3,
    )
    after = await routes.views.get_organogram(uow, GetOrganogram(command_id="g" * 8, on=effective))
    assert (after.version, after.draft, after.drafts) == (version_b, False, (version_a,))
    # Plan A still waits; as the only draft, it may now be applied without naming it.
    later = TODAY + dt.timedelta(days=90)
    reply = await routes.apply_organogram(uow, ApplyOrganogram(command_id="x" * 8, valid_from=later))
    assert reply.ids == {"version": str(version_a)}
    await _rejected(
        routes.views.get_organogram(uow, GetOrganogram(command_id="g" * 8, version=42)), "unknown_organogram_version"
    )


async def test_apply_organogram_names_the_draft_when_several_wait() -> None:
    uow = FakeOrganisationUnitOfWork()
    await routes.draft_organogram(uow, DraftOrganogram(command_id="a" * 8, units=PLAN_A))
    b = await routes.draft_organogram(uow, DraftOrganogram(command_id="b" * 8, units=PLAN_B))
    apply = ApplyOrganogram(command_id="x" * 8, valid_from=TODAY)
    await _rejected(routes.apply_organogram(uow, apply), "organogram_version_required")
    reply = await routes.apply_organogram(uow, apply.model_copy(update={"version": int(b.ids["version"])}))
    assert reply.ids == b.ids
    await _rejected(
        routes.apply_organogram(uow, apply.model_copy(update={"version": int(b.ids["version"])})),
        "organogram_not_draft",
    )


# -- in service while an employment runs -----------------------------------------------------------


def _dismissed(person: str, end: dt.date, **fields: object) -> StaffDismissed:
    return StaffDismissed.model_validate(
        {
            "employment_id": str(uuid.uuid4()),
            "person_id": person,
            "entity": LegalEntity.GEMEENTE,
            "end_date": end,
            "decision_id": str(uuid.uuid4()),
            **fields,
        }
    )


def _execute_for(unit: str, when: dt.datetime) -> DecisionAdopted:
    return adopted_decision(
        adopted_at=when,
        follow_up_actions=(
            FollowUpAction(action_id="a", kind=FollowUpKind.EXECUTE, description="Doen", unit_code=unit),
        ),
    )


async def _owner(uow: FakeOrganisationUnitOfWork, unit: str, when: dt.datetime, r: Routes = routes) -> str:
    decision = _execute_for(unit, when)
    await r.decision_adopted(uow, decision, ENVELOPE)
    return uow.tasks.rows[(decision.decision_id, "a")].owner_person_id


async def test_a_dismissal_with_another_employment_running_keeps_the_person_in_service() -> None:
    uow = FakeOrganisationUnitOfWork()
    await routes.staff_dismissed(
        uow, _dismissed("p-fin", TODAY - dt.timedelta(days=10), remains_employed=True), ENVELOPE
    )
    assert uow.organogram.persons["p-fin"].inactive_from is None
    assert await _owner(uow, "FIN", NOW) == "p-fin"


async def test_an_end_announced_for_a_later_day_takes_effect_when_that_day_comes() -> None:
    uow = FakeOrganisationUnitOfWork()
    last_day = TODAY + dt.timedelta(days=14)
    await routes.staff_dismissed(uow, _dismissed("p-fin", last_day, in_service_until=last_day), ENVELOPE)
    assert uow.organogram.persons["p-fin"].inactive_from == last_day + dt.timedelta(days=1)
    assert await _owner(uow, "FIN", NOW) == "p-fin", "still in service today"
    moved_on = Routes(clock=type(routes.clock)(NOW + dt.timedelta(days=15)))
    assert await _owner(uow, "FIN", NOW + dt.timedelta(days=15), moved_on) == "p-ad", "from the day after, not"
    # A decision of before the end that arrives after it gives the person nothing any more.
    assert await _owner(uow, "FIN", NOW, moved_on) == "p-ad"
    reassign = ReassignTask(command_id="r" * 8, task_id=uuid.uuid4(), to_person_id="p-fin")
    decision = _execute_for("RUIMTE", NOW)
    await moved_on.decision_adopted(uow, decision, ENVELOPE)
    task = uow.tasks.rows[(decision.decision_id, "a")]
    await _rejected(
        moved_on.reassign_task(uow, reassign.model_copy(update={"task_id": task.task_id})), "person_inactive"
    )
    await routes.reassign_task(uow, reassign.model_copy(update={"task_id": task.task_id}))


async def test_an_end_learned_late_applies_at_once_and_a_new_appointment_brings_the_person_back() -> None:
    uow = FakeOrganisationUnitOfWork()
    await routes.staff_dismissed(uow, _dismissed("p-fin", TODAY - dt.timedelta(days=30)), ENVELOPE)
    assert await _owner(uow, "FIN", NOW) == "p-ad"
    appointed = StaffAppointed(
        employment_id=uuid.uuid4(),
        person_id="p-fin",
        person_name="Eline Claes",
        entity=LegalEntity.OCMW,
        position="diensthoofd",
        unit_code="FIN",
        grade="A1a",
        statutory=True,
        start_date=TODAY,
        decision_id=uuid.uuid4(),
    )
    await routes.staff_appointed(uow, appointed, ENVELOPE)
    assert await _owner(uow, "FIN", NOW) == "p-fin"


async def test_escalation_passes_a_head_whose_service_ended_by_the_scan_day() -> None:
    uow = FakeOrganisationUnitOfWork()
    decision = adopted_decision(
        adopted_at=NOW - dt.timedelta(days=60),
        follow_up_actions=(
            FollowUpAction(
                action_id="a",
                kind=FollowUpKind.EXECUTE,
                description="Doen",
                unit_code="FIN",
                due_date=TODAY - dt.timedelta(days=5),
            ),
        ),
    )
    await routes.decision_adopted(uow, decision, ENVELOPE)
    await routes.staff_dismissed(uow, _dismissed("p-ruimte", TODAY - dt.timedelta(days=1)), ENVELOPE)
    await routes.scan_overdue(uow, ScanOverdue(command_id="s" * 8, as_of=TODAY))
    [escalated] = [e for e in uow.events() if isinstance(e, TaskEscalated)]
    assert (escalated.from_person_id, escalated.to_person_id) == ("p-fin", "p-ad")
