"""Follow-up tasks: owners from the organogram, deadlines per kind, never doubled."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from pydantic import SecretStr

from services.organisation.bootstrap import OrganisationSettings, task_policy
from services.organisation.domain.model import kbo_check_digits_valid, resolve_owner, valid_kbo_format
from services.organisation.domain.policy import TaskPolicy
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import BodyKind, FollowUpAction, FollowUpKind
from shared.contracts.finance import CreditExhausted
from shared.contracts.meetings import DecisionAdopted, VoteTally
from shared.contracts.organisation import ListTasks, TaskCreated
from shared.contracts.sessions import PublicationTermNearing
from shared.kernel import RuleViolation
from shared.messaging.envelope import Envelope
from tests.factories import adopted_decision
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork, demo_organogram
from tests.unit.organisation.routes import NOW, Routes

ENVELOPE = Envelope(id="m", type="t", source="/test", time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), correlation_id="c")
ADOPTED = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)


def _decision(*actions: FollowUpAction, entity: LegalEntity = LegalEntity.GEMEENTE) -> DecisionAdopted:
    return adopted_decision(
        body=BodyKind.COLLEGE if entity is LegalEntity.GEMEENTE else BodyKind.VAST_BUREAU,
        title="Besluit",
        legal_basis="art. 56",
        confidentiality=Confidentiality.CLOSED,
        votes=VoteTally(in_favour=4, against=0, abstentions=0),
        adopted_at=ADOPTED,
        follow_up_actions=actions,
    )


def _action(action_id: str, kind: FollowUpKind, unit: str | None, due: dt.date | None = None) -> FollowUpAction:
    return FollowUpAction(action_id=action_id, kind=kind, description=f"Doe {action_id}", unit_code=unit, due_date=due)


def _owner(unit: str | None) -> tuple[str, str]:
    person, code, _ = resolve_owner(
        demo_organogram(), unit, entity=LegalEntity.GEMEENTE, kind=FollowUpKind.EXECUTE, on=dt.date(2026, 12, 1)
    )
    return person.person_id, code


def test_the_head_of_the_unit_owns_the_task() -> None:
    assert _owner("RUIMTE") == ("p-ruimte", "RUIMTE")


def test_a_unit_without_head_goes_up_to_its_parent() -> None:
    assert _owner("SECR") == ("p-ad", "SECR")


def test_no_unit_means_the_algemeen_directeur() -> None:
    assert _owner(None)[0] == "p-ad"


def test_an_unknown_unit_is_an_error() -> None:
    with pytest.raises(RuleViolation, match="NOPE") as info:
        _owner("NOPE")
    assert info.value.code == "unknown_unit"


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        (FollowUpKind.EXECUTE, 30),
        (FollowUpKind.NOTIFY, 5),
        (FollowUpKind.REPORT, 30),
        (FollowUpKind.SIGN, 10),
        (FollowUpKind.PUBLISH, 10),
    ],
)
def test_default_terms_per_kind(kind: FollowUpKind, days: int) -> None:
    assert TaskPolicy().due(_action("x", kind, None), ADOPTED.date()) == ADOPTED.date() + dt.timedelta(days=days)


def test_an_explicit_due_date_wins() -> None:
    due = dt.date(2026, 12, 31)
    assert TaskPolicy().due(_action("x", FollowUpKind.EXECUTE, None, due), ADOPTED.date()) == due


def test_a_deployment_overrides_only_the_terms_it_sets() -> None:
    settings = OrganisationSettings(
        service_name="organisation",
        database_url="postgresql://localhost/rw",
        nats_url="nats://localhost:4222",
        nats_password=SecretStr("dev-secret"),
        notify_days=3,
        credit_follow_up_unit="FINDIENST",
    )
    assert task_policy(settings) == TaskPolicy(notify_days=3, credit_follow_up_unit="FINDIENST")
    assert task_policy(settings).execute_days == 30


async def test_three_actions_make_three_tasks_with_their_owners() -> None:
    uow = FakeOrganisationUnitOfWork()
    decision = _decision(
        _action("a", FollowUpKind.EXECUTE, "RUIMTE"),
        _action("b", FollowUpKind.NOTIFY, "SECR"),
        _action("c", FollowUpKind.EXECUTE, "FIN"),
        entity=LegalEntity.OCMW,
    )
    await Routes().decision_adopted(uow, decision, ENVELOPE)
    created = [e for e, _ in uow.emitted]
    assert all(isinstance(e, TaskCreated) for e in created)
    owners = {e.action_id: e.owner_person_id for e in created if isinstance(e, TaskCreated)}
    assert owners == {"a": "p-ruimte", "b": "p-ad", "c": "p-fin"}
    assert {e.entity for e in created if isinstance(e, TaskCreated)} == {LegalEntity.OCMW}
    assert {env.confidentiality for _, env in uow.emitted} == {Confidentiality.CLOSED}
    assert {env.entity for _, env in uow.emitted} == {Entity.OCMW}
    assert {env.subject for _, env in uow.emitted} == {str(e.task_id) for e in created if isinstance(e, TaskCreated)}
    due = {e.action_id: e.due_date for e in created if isinstance(e, TaskCreated)}
    assert due == {"a": dt.date(2026, 4, 1), "b": dt.date(2026, 3, 7), "c": dt.date(2026, 4, 1)}
    assert {t.created_at for t in uow.tasks.rows.values()} == {NOW}


async def test_a_redelivered_decision_creates_no_second_task() -> None:
    uow = FakeOrganisationUnitOfWork()
    decision = _decision(_action("a", FollowUpKind.EXECUTE, "RUIMTE"))
    routes = Routes()
    await routes.decision_adopted(uow, decision, ENVELOPE)
    await routes.decision_adopted(uow, decision, ENVELOPE)
    assert len(uow.tasks.rows) == 1
    assert len(uow.emitted) == 1


async def test_a_decision_without_actions_creates_nothing() -> None:
    uow = FakeOrganisationUnitOfWork()
    await Routes().decision_adopted(uow, _decision(), ENVELOPE)
    assert not uow.tasks.rows


async def test_an_unknown_unit_dead_letters_the_decision() -> None:
    uow = FakeOrganisationUnitOfWork()
    with pytest.raises(RuleViolation) as info:
        await Routes().decision_adopted(uow, _decision(_action("a", FollowUpKind.SIGN, "NOPE")), ENVELOPE)
    assert info.value.code == "unknown_unit"
    assert not uow.tasks.rows


async def test_tasks_can_be_listed_by_decision_and_owner() -> None:
    uow = FakeOrganisationUnitOfWork()
    routes = Routes()
    decision = _decision(_action("a", FollowUpKind.EXECUTE, "RUIMTE"), _action("b", FollowUpKind.EXECUTE, "FIN"))
    await routes.decision_adopted(uow, decision, ENVELOPE)
    reply = await routes.views.list_tasks(
        uow, ListTasks(command_id="q" * 8, decision_id=decision.decision_id, owner_person_id="p-fin")
    )
    assert [t.action_id for t in reply.tasks] == ["b"]
    [line] = reply.tasks
    assert (line.owner_name, line.unit_code, line.entity, line.status, line.due_date) == (
        "Eline",
        "FIN",
        LegalEntity.GEMEENTE,
        "open",
        dt.date(2026, 4, 1),
    )
    assert reply.model_dump(mode="json")["status"] == "accepted"


@pytest.mark.parametrize(
    ("kbo", "fmt", "checksum"),
    [("0207.451.227", True, True), ("0207.451.228", True, False), ("207451227", False, False)],
)
def test_kbo_numbers(kbo: str, fmt: bool, checksum: bool) -> None:
    assert valid_kbo_format(kbo) is fmt
    assert kbo_check_digits_valid(kbo) is checksum


def _exhausted() -> CreditExhausted:
    return CreditExhausted(
        decision_id=uuid.uuid4(),
        entity=LegalEntity.OCMW,
        amount=Decimal("1200.00"),
        available=Decimal("800.00"),
        credit_key="ocmw/2026/6140000/0950/AC-3.1.1",
        reason="insufficient_credit",
    )


async def test_an_exhausted_credit_gives_the_financial_service_a_task_once() -> None:
    uow = FakeOrganisationUnitOfWork()
    exhausted = _exhausted()
    routes = Routes()
    social = Envelope(
        id="m",
        type="t",
        source="/raderwerk/finance",
        time=NOW,
        correlation_id="c",
        confidentiality=Confidentiality.SOCIAL,
    )
    await routes.credit_exhausted(uow, exhausted, social)
    await routes.credit_exhausted(uow, exhausted, social)
    [(task, envelope)] = uow.emitted
    assert isinstance(task, TaskCreated)
    assert (task.decision_id, task.entity, task.unit_code, task.owner_person_id) == (
        exhausted.decision_id,
        LegalEntity.OCMW,
        "FIN",
        "p-fin",
    )
    assert "800.00" in task.title
    assert "1200.00" in task.title
    assert task.due_date == NOW.date() + dt.timedelta(days=10)
    assert envelope.confidentiality is Confidentiality.SOCIAL


async def test_the_credit_follow_up_unit_and_term_come_from_the_policy() -> None:
    uow = FakeOrganisationUnitOfWork()
    routes = Routes(TaskPolicy(credit_follow_up_unit="RUIMTE", credit_follow_up_days=3))
    await routes.credit_exhausted(uow, _exhausted(), ENVELOPE)
    [task] = uow.events()
    assert isinstance(task, TaskCreated)
    assert (task.unit_code, task.owner_person_id, task.due_date) == ("RUIMTE", "p-ruimte", dt.date(2026, 3, 6))


async def test_the_tasks_of_a_district_decision_are_assigned_to_its_district() -> None:
    uow = FakeOrganisationUnitOfWork()
    decision = _decision(_action("a", FollowUpKind.EXECUTE, "RUIMTE")).model_copy(update={"district": "noord"})
    await Routes().decision_adopted(uow, decision, ENVELOPE)
    (created,) = [e for e, _ in uow.emitted if isinstance(e, TaskCreated)]
    assert created.district == "noord"
    assert {t.district for t in uow.tasks.rows.values()} == {"noord"}


async def test_a_municipal_decision_assigns_its_tasks_to_no_district() -> None:
    uow = FakeOrganisationUnitOfWork()
    await Routes().decision_adopted(uow, _decision(_action("a", FollowUpKind.EXECUTE, "RUIMTE")), ENVELOPE)
    assert {e.district for e, _ in uow.emitted if isinstance(e, TaskCreated)} == {None}


def _term_nearing(meeting_id: uuid.UUID, due_on: dt.date) -> PublicationTermNearing:
    return PublicationTermNearing(
        meeting_id=meeting_id,
        body=BodyKind.GEMEENTERAAD,
        entity=LegalEntity.GEMEENTE,
        document_kind="decision_list",
        due_on=due_on,
        action=FollowUpAction(
            action_id="publish-decision_list",
            kind=FollowUpKind.PUBLISH,
            description="Publiceer de besluitenlijst",
            due_date=due_on,
        ),
    )


async def test_a_publication_term_nearing_its_end_gives_the_secretariat_a_task_once() -> None:
    uow = FakeOrganisationUnitOfWork()
    routes = Routes()
    consume = routes.registry.consumers["organisation_decisions"][PublicationTermNearing]
    meeting, due = uuid.uuid4(), NOW.date() + dt.timedelta(days=2)
    await consume(uow, _term_nearing(meeting, due), ENVELOPE)
    await consume(uow, _term_nearing(meeting, due), ENVELOPE)
    [task] = uow.events()
    assert isinstance(task, TaskCreated)
    # No unit set: the organogram's root, the algemeen directeur's, who keeps the register.
    assert (task.owner_person_id, task.due_date, task.kind) == ("p-ad", due, FollowUpKind.PUBLISH)
    other = Routes(TaskPolicy(publication_follow_up_unit="RUIMTE"))
    uow2 = FakeOrganisationUnitOfWork()
    await other.registry.consumers["organisation_decisions"][PublicationTermNearing](
        uow2, _term_nearing(meeting, due), ENVELOPE
    )
    [moved] = uow2.events()
    assert isinstance(moved, TaskCreated)
    assert (moved.unit_code, moved.owner_person_id) == ("RUIMTE", "p-ruimte")
