"""Owners through delegates, the task lifecycle, the overdue scan, mandates and organogram versions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable

import pytest

from services.organisation.domain.model import Delegate, Person, TaskStatus, Unit, check_tree, resolve_owner
from services.organisation.domain.policy import TaskPolicy
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind, FollowUpAction, FollowUpKind
from shared.contracts.hr import DelegationGranted, DelegationPower, DelegationRevoked, StaffDismissed
from shared.contracts.meetings import DecisionAdopted, DecisionKind
from shared.contracts.organisation import (
    ApplyOrganogram,
    CancelTask,
    ChangeMandateStatus,
    ClaimTask,
    CommentTask,
    CompleteTask,
    DecisionExecuted,
    DraftOrganogram,
    EndMandate,
    GetOrganogram,
    ListMandates,
    ListTasks,
    MandateEnded,
    MandateRole,
    MandateStarted,
    MandateStatus,
    MandateStatusChanged,
    OrganogramApplied,
    OrganogramUnit,
    ReassignTask,
    ScanOverdue,
    StartMandate,
    TaskCompleted,
    TaskEscalated,
    TaskOverdue,
)
from shared.kernel import RuleViolation
from shared.messaging.envelope import Envelope
from tests.factories import adopted_decision
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork, demo_organogram
from tests.unit.organisation.routes import NOW, Routes

ENVELOPE = Envelope(id="m", type="t", source="/test", time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), correlation_id="c")
ADOPTED = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
DAY = ADOPTED.date()
routes = Routes()


def _delegate(
    *,
    from_person: str = "p-ruimte",
    to_person: str = "p-deputy",
    power: str = "decide",
    entity: LegalEntity = LegalEntity.GEMEENTE,
    valid_from: dt.date = dt.date(2026, 1, 1),
    valid_until: dt.date | None = None,
    revoked_on: dt.date | None = None,
) -> Delegate:
    return Delegate(uuid.uuid4(), from_person, to_person, power, entity, valid_from, valid_until, revoked_on)


def _organogram_with_deputy() -> FakeOrganisationUnitOfWork:
    uow = FakeOrganisationUnitOfWork()
    uow.organogram.persons["p-deputy"] = Person("p-deputy", "Dirk")
    return uow


# -- owner resolution: unit -> head -> delegate ----------------------------------------------------


def _owner(delegates: list[Delegate], *, kind: FollowUpKind = FollowUpKind.EXECUTE, unit: str = "RUIMTE") -> str:
    organogram = demo_organogram()
    organogram = type(organogram)(
        units=organogram.units, persons={**organogram.persons, "p-deputy": Person("p-deputy", "Dirk")}
    )
    person, _, _ = resolve_owner(organogram, unit, entity=LegalEntity.GEMEENTE, kind=kind, on=DAY, delegates=delegates)
    return person.person_id


def test_an_active_delegate_of_the_head_owns_the_task() -> None:
    assert _owner([_delegate()]) == "p-deputy"


@pytest.mark.parametrize(
    "delegate",
    [
        _delegate(valid_until=dt.date(2026, 2, 1)),
        _delegate(valid_from=dt.date(2026, 4, 1)),
        _delegate(revoked_on=dt.date(2026, 3, 1)),
        _delegate(entity=LegalEntity.OCMW),
        _delegate(power="budget_holder"),
        _delegate(from_person="p-fin"),
    ],
    ids=["expired", "not_yet", "revoked", "other_entity", "other_power", "other_grantor"],
)
def test_a_delegation_that_does_not_fit_leaves_the_head(delegate: Delegate) -> None:
    assert _owner([delegate]) == "p-ruimte"


def test_a_signature_task_needs_a_signature_delegation() -> None:
    assert _owner([_delegate()], kind=FollowUpKind.SIGN) == "p-ruimte"
    assert _owner([_delegate(power="sign")], kind=FollowUpKind.SIGN) == "p-deputy"


def test_an_inactive_head_passes_the_task_up() -> None:
    organogram = demo_organogram()
    persons = {**organogram.persons, "p-ruimte": Person("p-ruimte", "Chloë", active=False)}
    organogram = type(organogram)(units=organogram.units, persons=persons)
    person, unit, _ = resolve_owner(
        organogram, "RUIMTE", entity=LegalEntity.GEMEENTE, kind=FollowUpKind.EXECUTE, on=DAY
    )
    assert (person.person_id, unit) == ("p-ad", "RUIMTE")


# -- the task lifecycle -------------------------------------------------------------------------


def _decision(*actions: FollowUpAction, entity: LegalEntity = LegalEntity.GEMEENTE) -> DecisionAdopted:
    return adopted_decision(
        body=BodyKind.COLLEGE if entity is LegalEntity.GEMEENTE else BodyKind.VAST_BUREAU,
        adopted_at=ADOPTED,
        confidentiality=Confidentiality.CLOSED,
        follow_up_actions=actions,
    )


def _act(action_id: str, unit: str | None, due: dt.date | None = None) -> FollowUpAction:
    return FollowUpAction(
        action_id=action_id, kind=FollowUpKind.EXECUTE, description=f"Doe {action_id}", unit_code=unit, due_date=due
    )


async def _three_tasks(uow: FakeOrganisationUnitOfWork) -> DecisionAdopted:
    decision = _decision(
        _act("a", "RUIMTE", DAY + dt.timedelta(days=10)),
        _act("b", "FIN", DAY + dt.timedelta(days=30)),
        _act("c", "SECR", DAY + dt.timedelta(days=30)),
        entity=LegalEntity.OCMW,
    )
    await routes.decision_adopted(uow, decision, ENVELOPE)
    return decision


def _task_id(uow: FakeOrganisationUnitOfWork, action: str) -> uuid.UUID:
    return next(t.task_id for t in uow.tasks.rows.values() if t.action_id == action)


async def _reject(outcome: Awaitable[object], code: str) -> None:
    with pytest.raises(RuleViolation) as info:
        await outcome
    assert info.value.code == code


async def test_the_delegate_from_hr_gets_new_tasks() -> None:
    uow = _organogram_with_deputy()
    granted = DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ruimte",
        to_person_id="p-deputy",
        power=DelegationPower.DECIDE,
        entity=LegalEntity.OCMW,
        valid_from=dt.date(2026, 1, 1),
        valid_until=None,
    )
    await routes.delegation_granted(uow, granted, ENVELOPE)
    await _three_tasks(uow)
    task = uow.tasks.rows[next(k for k in uow.tasks.rows if k[1] == "a")]
    assert (task.owner_person_id, task.delegation_id) == ("p-deputy", granted.delegation_id)
    revoked = DelegationRevoked(
        delegation_id=granted.delegation_id,
        to_person_id="p-deputy",
        power=DelegationPower.DECIDE,
        revoked_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        reason="einde",
    )
    await routes.delegation_revoked(uow, revoked, ENVELOPE)
    later = _decision(_act("x", "RUIMTE"), entity=LegalEntity.OCMW)
    await routes.decision_adopted(uow, later, ENVELOPE)
    assert uow.tasks.rows[(later.decision_id, "x")].owner_person_id == "p-ruimte"


async def test_claim_complete_and_the_decision_is_executed_when_cancelled_ones_remain() -> None:
    uow = FakeOrganisationUnitOfWork()
    decision = await _three_tasks(uow)
    a, b, c = (_task_id(uow, x) for x in "abc")
    await _reject(routes.claim_task(uow, ClaimTask(command_id="c" * 8, task_id=a), by="p-fin"), "not_owner")
    reply = await routes.claim_task(uow, ClaimTask(command_id="c" * 8, task_id=a), by="p-ruimte")
    assert reply.data["status"] == "in_progress"
    await routes.complete_task(uow, CompleteTask(command_id="d" * 8, task_id=a), by="p-ruimte")
    await _reject(
        routes.complete_task(uow, CompleteTask(command_id="d" * 8, task_id=a), by="p-ruimte"),
        "task_closed",
    )
    await _reject(
        routes.cancel_task(uow, CancelTask(command_id="e" * 8, task_id=b, reason=" "), by="p-ad"),
        "reason_required",
    )
    await routes.cancel_task(uow, CancelTask(command_id="e" * 8, task_id=b, reason="niet meer nodig"), by="p-ad")
    assert not [e for e in uow.events() if isinstance(e, DecisionExecuted)]
    await routes.complete_task(uow, CompleteTask(command_id="f" * 8, task_id=c), by="p-ad")
    executed = [e for e in uow.events() if isinstance(e, DecisionExecuted)]
    assert [(e.decision_id, e.entity, e.task_count) for e in executed] == [(decision.decision_id, LegalEntity.OCMW, 2)]
    assert [e.executed_at for e in executed] == [NOW]
    assert {e.completed_at for e in uow.events() if isinstance(e, TaskCompleted)} == {NOW}
    assert {env.confidentiality for _, env in uow.emitted} == {Confidentiality.CLOSED}


async def test_only_cancelled_tasks_do_not_execute_a_decision() -> None:
    uow = FakeOrganisationUnitOfWork()
    await routes.decision_adopted(uow, _decision(_act("a", "FIN")), ENVELOPE)
    await routes.cancel_task(uow, CancelTask(command_id="e" * 8, task_id=_task_id(uow, "a"), reason="x"), by="p-ad")
    assert not [e for e in uow.events() if isinstance(e, DecisionExecuted)]


async def test_reassign_and_comment() -> None:
    uow = FakeOrganisationUnitOfWork()
    await _three_tasks(uow)
    a = _task_id(uow, "a")
    await _reject(
        routes.reassign_task(uow, ReassignTask(command_id="r" * 8, task_id=a, to_person_id="nobody"), by="p-ad"),
        "unknown_person",
    )
    await _reject(
        routes.reassign_task(uow, ReassignTask(command_id="r" * 8, task_id=a, to_person_id="p-ruimte"), by="p-ad"),
        "same_owner",
    )
    await routes.reassign_task(uow, ReassignTask(command_id="r" * 8, task_id=a, to_person_id="p-fin"), by="p-ad")
    reply = await routes.views.list_tasks(uow, ListTasks(command_id="l" * 8, owner_person_id="p-fin"))
    assert sorted(t.action_id for t in reply.tasks) == ["a", "b"]
    await routes.comment_task(uow, CommentTask(command_id="k" * 8, task_id=a, text="bezig"), by="p-fin")
    assert [c.text for c in await uow.tasks.comments(a)] == ["bezig"]
    await _reject(
        routes.comment_task(uow, CommentTask(command_id="k" * 8, task_id=uuid.uuid4(), text="x"), by="p-fin"),
        "unknown_task",
    )
    await _reject(routes.views.list_tasks(uow, ListTasks(command_id="l" * 8, status="late")), "unknown_status")


async def test_overdue_scan_marks_escalates_once_per_level_and_is_idempotent() -> None:
    uow = FakeOrganisationUnitOfWork()
    await _three_tasks(uow)
    a = _task_id(uow, "a")
    as_of = DAY + dt.timedelta(days=11)
    reply = await routes.scan_overdue(uow, ScanOverdue(command_id="s" * 8, as_of=as_of))
    assert reply.data == {"overdue": 1, "escalated": 1, "as_of": as_of.isoformat()}
    overdue = [e for e in uow.events() if isinstance(e, TaskOverdue)]
    escalated = [e for e in uow.events() if isinstance(e, TaskEscalated)]
    assert [(e.task_id, e.owner_person_id) for e in overdue] == [(a, "p-ruimte")]
    assert [(e.from_person_id, e.to_person_id, e.level) for e in escalated] == [("p-ruimte", "p-ad", 1)]
    task = await uow.tasks.get(a)
    assert task is not None
    assert (task.status, task.owner_person_id) == (TaskStatus.OVERDUE, "p-ad")
    again = await routes.scan_overdue(uow, ScanOverdue(command_id="t" * 8, as_of=as_of + dt.timedelta(days=15)))
    assert again.data["overdue"] == 0
    assert again.data["escalated"] == 0  # the algemeen directeur is the top
    listed = await routes.views.list_tasks(uow, ListTasks(command_id="l" * 8, status="overdue"))
    assert [t.action_id for t in listed.tasks] == ["a"]
    assert uow.scans.runs[as_of][0] == NOW  # each run is recorded with the clock's time


def _three_levels() -> FakeOrganisationUnitOfWork:
    """MT (p-ad) > RUIMTE (p-ruimte) > TEAM (p-team)."""
    organogram = demo_organogram()
    units = {**organogram.units, "TEAM": Unit("TEAM", "Team", "RUIMTE", "p-team")}
    persons = {**organogram.persons, "p-team": Person("p-team", "Tom")}
    return FakeOrganisationUnitOfWork(type(organogram)(units=units, persons=persons, version=1))


@pytest.mark.parametrize(("again_after", "second_level_on"), [(2, 3), (5, 6)])
async def test_an_overdue_task_escalates_again_after_the_policy_term(again_after: int, second_level_on: int) -> None:
    uow = _three_levels()
    scan = Routes(TaskPolicy(escalate_again_after_days=again_after)).scan_overdue
    await routes.decision_adopted(uow, _decision(_act("t", "TEAM", DAY)), ENVELOPE)
    levels: list[tuple[int, int]] = []
    for days in range(1, second_level_on + 2):
        reply = await scan(uow, ScanOverdue(command_id=f"scan-{days:04}", as_of=DAY + dt.timedelta(days=days)))
        levels.append((int(str(reply.data["overdue"])), int(str(reply.data["escalated"]))))
    expected = [(0, 0)] * (second_level_on + 1)
    expected[0], expected[second_level_on - 1] = (1, 1), (0, 1)
    assert levels == expected
    escalated = [e for e in uow.events() if isinstance(e, TaskEscalated)]
    assert [(e.from_person_id, e.to_person_id, e.level) for e in escalated] == [
        ("p-team", "p-ruimte", 1),
        ("p-ruimte", "p-ad", 2),
    ]


# -- mandates -----------------------------------------------------------------------------------


async def test_a_council_seat_starts_the_linked_rmw_seat() -> None:
    uow = FakeOrganisationUnitOfWork()
    cmd = StartMandate(
        command_id="m" * 8, person_id="m-1", person_name="Jan", body=BodyKind.GEMEENTERAAD, start=dt.date(2025, 1, 2)
    )
    reply = await routes.start_mandate(uow, cmd)
    started = [e for e in uow.events() if isinstance(e, MandateStarted)]
    assert {e.body for e in started} == {BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}
    gr, rmw = (uuid.UUID(reply.ids[b]) for b in ("gemeenteraad", "raad_maatschappelijk_welzijn"))
    assert {e.mandate_id: e.linked_mandate_id for e in started} == {gr: rmw, rmw: gr}
    await _reject(routes.start_mandate(uow, cmd), "mandate_exists")
    await routes.change_mandate_status(
        uow,
        ChangeMandateStatus(
            command_id="s" * 8, mandate_id=gr, status=MandateStatus.PREVENTED, since=dt.date(2026, 1, 1)
        ),
    )
    changed = [e for e in uow.events() if isinstance(e, MandateStatusChanged)]
    assert {(e.mandate_id, e.status) for e in changed} == {
        (gr, MandateStatus.PREVENTED),
        (rmw, MandateStatus.PREVENTED),
    }
    await routes.end_mandate(uow, EndMandate(command_id="e" * 8, mandate_id=gr, end=dt.date(2026, 6, 30)))
    assert {e.mandate_id for e in uow.events() if isinstance(e, MandateEnded)} == {gr, rmw}
    running = await routes.views.list_mandates(uow, ListMandates(command_id="l" * 8, on=dt.date(2026, 7, 1)))
    assert running.mandates == ()


async def test_the_mayor_chairs_the_vast_bureau_and_a_mandate_cannot_end_before_it_starts() -> None:
    uow = FakeOrganisationUnitOfWork()
    cmd = StartMandate(
        command_id="m" * 8,
        person_id="m-1",
        person_name="Hilde",
        body=BodyKind.COLLEGE,
        role=MandateRole.MAYOR,
        start=dt.date(2025, 1, 2),
    )
    reply = await routes.start_mandate(uow, cmd)
    roles = {e.body: e.role for e in uow.events() if isinstance(e, MandateStarted)}
    assert roles == {BodyKind.COLLEGE: MandateRole.MAYOR, BodyKind.VAST_BUREAU: MandateRole.CHAIR}
    await _reject(
        routes.end_mandate(
            uow, EndMandate(command_id="e" * 8, mandate_id=uuid.UUID(reply.ids["college"]), end=dt.date(2024, 1, 1))
        ),
        "end_before_start",
    )
    await _reject(
        routes.end_mandate(uow, EndMandate(command_id="e" * 8, mandate_id=uuid.uuid4(), end=dt.date(2026, 1, 1))),
        "unknown_mandate",
    )


# -- organogram versions -----------------------------------------------------------------------

UNITS = (
    OrganogramUnit(code="MT", name="Managementteam", head_person_id="p-ad", management_team=True),
    OrganogramUnit(code="RUIMTE", name="Omgeving", parent="MT", head_person_id="p-fin"),
)


async def test_an_organogram_decision_applies_the_draft_from_its_effective_date() -> None:
    uow = FakeOrganisationUnitOfWork()
    await routes.draft_organogram(uow, DraftOrganogram(command_id="o" * 8, units=UNITS))
    decision = adopted_decision(
        body=BodyKind.GEMEENTERAAD,
        kind=DecisionKind.ORGANOGRAM,
        adopted_at=ADOPTED,
        effective_date=dt.date(2026, 4, 1),
        organogram_version=2,
    )
    await routes.decision_adopted(uow, decision, ENVELOPE)
    await routes.decision_adopted(uow, decision, ENVELOPE)
    applied = [e for e in uow.events() if isinstance(e, OrganogramApplied)]
    assert [(e.valid_from, e.decision_id) for e in applied] == [(dt.date(2026, 4, 1), decision.decision_id)]
    before = await routes.views.get_organogram(uow, GetOrganogram(command_id="g" * 8, on=dt.date(2026, 3, 31)))
    after = await routes.views.get_organogram(uow, GetOrganogram(command_id="g" * 8, on=dt.date(2026, 4, 1)))
    assert len(before.units) == 4
    assert [u.code for u in after.units] == ["MT", "RUIMTE"]
    assert after.management_team == ("p-ad",)
    assert (after.version, after.valid_from, after.root) == (2, dt.date(2026, 4, 1), "MT")
    assert [(u.head_person_id, u.head_name) for u in after.units] == [("p-ad", "An"), ("p-fin", "Eline")]
    rmw = adopted_decision(
        body=BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, kind=DecisionKind.ORGANOGRAM, organogram_version=2
    )
    await routes.decision_adopted(uow, rmw, ENVELOPE)  # the RMW adopts the same, joint organogram: no change
    assert len([e for e in uow.events() if isinstance(e, OrganogramApplied)]) == 1
    older = adopted_decision(body=BodyKind.GEMEENTERAAD, kind=DecisionKind.ORGANOGRAM)
    with pytest.raises(RuleViolation, match="no draft") as info:
        await routes.decision_adopted(uow, older, ENVELOPE)
    assert info.value.code == "no_organogram_draft"


async def test_organogram_commands_check_the_tree() -> None:
    uow = FakeOrganisationUnitOfWork()
    bad_parent = (*UNITS, OrganogramUnit(code="X", name="X", parent="NOPE"))
    await _reject(
        routes.apply_organogram(uow, ApplyOrganogram(command_id="a" * 8, valid_from=DAY, units=bad_parent)),
        "unknown_parent",
    )
    two_roots = (*UNITS, OrganogramUnit(code="Y", name="Y"))
    await _reject(
        routes.apply_organogram(uow, ApplyOrganogram(command_id="a" * 8, valid_from=DAY, units=two_roots)),
        "one_root_required",
    )
    await _reject(
        routes.apply_organogram(uow, ApplyOrganogram(command_id="a" * 8, valid_from=DAY)),
        "no_organogram_draft",
    )
    reply = await routes.apply_organogram(uow, ApplyOrganogram(command_id="a" * 8, valid_from=DAY, units=UNITS))
    assert reply.ids == {"version": "2"}


async def test_a_dismissed_head_no_longer_owns_new_tasks() -> None:
    uow = FakeOrganisationUnitOfWork()
    dismissed = StaffDismissed(
        employment_id=uuid.uuid4(),
        person_id="p-fin",
        entity=LegalEntity.GEMEENTE,
        end_date=dt.date(2026, 2, 1),
        decision_id=uuid.uuid4(),
    )
    await routes.staff_dismissed(uow, dismissed, ENVELOPE)
    decision = _decision(_act("a", "FIN"))
    await routes.decision_adopted(uow, decision, ENVELOPE)
    assert uow.tasks.rows[(decision.decision_id, "a")].owner_person_id == "p-ad"


@pytest.mark.parametrize(
    ("units", "code"),
    [
        ((Unit("MT", "MT", None, None), Unit("MT", "Dubbel", None, None)), "duplicate_unit"),
        ((Unit("A", "A", "B", None), Unit("B", "B", "A", None)), "one_root_required"),
        ((Unit("MT", "MT", None, None), Unit("A", "A", "B", None), Unit("B", "B", "A", None)), "cyclic_organogram"),
        ((Unit("MT", "MT", None, None), Unit("A", "A", "NOPE", None)), "unknown_parent"),
    ],
    ids=["duplicate", "no_root", "cycle", "unknown_parent"],
)
def test_an_organogram_is_one_tree(units: tuple[Unit, ...], code: str) -> None:
    with pytest.raises(RuleViolation) as info:
        check_tree(units)
    assert info.value.code == code


async def test_a_drafted_unit_needs_a_known_head() -> None:
    uow = FakeOrganisationUnitOfWork()
    unknown_head = (*UNITS, OrganogramUnit(code="X", name="X", parent="MT", head_person_id="p-nobody"))
    await _reject(
        routes.draft_organogram(uow, DraftOrganogram(command_id="o" * 8, units=unknown_head)), "unknown_person"
    )
    reply = await routes.draft_organogram(uow, DraftOrganogram(command_id="o" * 8, units=UNITS))
    assert reply.ids == {"version": "2"}
    assert not uow.events()  # a draft is not announced until it applies


def _granted(to_person: str, power: DelegationPower, entity: LegalEntity = LegalEntity.OCMW) -> DelegationGranted:
    return DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ruimte",
        to_person_id=to_person,
        power=power,
        entity=entity,
        valid_from=dt.date(2026, 1, 1),
        valid_until=None,
    )


async def test_a_delegate_of_the_owner_claims_and_completes_and_nobody_else() -> None:
    uow = FakeOrganisationUnitOfWork()
    await _three_tasks(uow)
    a, b = _task_id(uow, "a"), _task_id(uow, "b")  # owned by p-ruimte and p-fin, executing an ocmw decision
    # A delegation of another power, or for the other entity, does not let the delegate act for the owner.
    await routes.delegation_granted(uow, _granted("p-secr", DelegationPower.SIGN), ENVELOPE)
    await routes.delegation_granted(uow, _granted("p-secr", DelegationPower.DECIDE, LegalEntity.GEMEENTE), ENVELOPE)
    await _reject(routes.claim_task(uow, ClaimTask(command_id="c" * 8, task_id=a), by="p-secr"), "not_owner")
    await _reject(routes.complete_task(uow, CompleteTask(command_id="d" * 8, task_id=a), by="p-secr"), "not_owner")
    # The owner's `decide` delegation for the ocmw: the delegate claims and completes the owner's task.
    deputy = _granted("p-secr", DelegationPower.DECIDE)
    await routes.delegation_granted(uow, deputy, ENVELOPE)
    claimed = await routes.claim_task(uow, ClaimTask(command_id="c" * 8, task_id=a), by="p-secr")
    assert claimed.data["status"] == "in_progress"
    await routes.complete_task(uow, CompleteTask(command_id="d" * 8, task_id=a), by="p-secr")
    [done] = [e for e in uow.events() if isinstance(e, TaskCompleted)]
    assert (done.task_id, done.completed_by) == (a, "p-secr")
    # Only for that owner's tasks, and not once the delegation is revoked.
    await _reject(routes.claim_task(uow, ClaimTask(command_id="e" * 8, task_id=b), by="p-secr"), "not_owner")
    revoked = DelegationRevoked(
        delegation_id=deputy.delegation_id,
        to_person_id="p-secr",
        power=DelegationPower.DECIDE,
        revoked_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        reason="einde",
    )
    await routes.delegation_revoked(uow, revoked, ENVELOPE)
    c = _task_id(uow, "c")
    await routes.reassign_task(uow, ReassignTask(command_id="r" * 8, task_id=c, to_person_id="p-ruimte"))
    await _reject(routes.claim_task(uow, ClaimTask(command_id="f" * 8, task_id=c), by="p-secr"), "not_owner")
