"""A legal term on an external entity's document gives the follow-up unit a task; so does what silence decided."""

from __future__ import annotations

import datetime as dt
import uuid

from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import FollowUpAction, FollowUpKind
from shared.contracts.external import ExternalDeadlineLapsed, ExternalDeadlineOpened
from shared.contracts.organisation import TaskCreated
from shared.messaging.envelope import Envelope
from shared.vocabulary import DeadlineKind, DeadlineOutcome, SilenceMeans
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork
from tests.unit.organisation.routes import NOW, Routes

ENVELOPE = Envelope(id="m", type="t", source="/raderwerk/external", time=NOW, correlation_id="c")
DEADLINE = uuid.uuid4()
LAST_DAY = dt.date(2026, 6, 9)


def _opened() -> ExternalDeadlineOpened:
    return ExternalDeadlineOpened(
        deadline_id=DEADLINE,
        entity_id=uuid.uuid4(),
        entity_code="kf-sint-martinus",
        kind=DeadlineKind.MULTI_YEAR_PLAN,
        title="Meerjarenplan 2026-2031",
        opened_on=dt.date(2026, 3, 1),
        due_on=LAST_DAY,
        silence=SilenceMeans.APPROVAL,
        municipal_entity=LegalEntity.GEMEENTE,
        follow_up=FollowUpAction(
            action_id="deadline-prepare",
            kind=FollowUpKind.EXECUTE,
            description="Meerjarenplan van Kerkfabriek Sint-Martinus voor de raad brengen",
            unit_code="SECR",
            due_date=LAST_DAY,
        ),
    )


def _lapsed() -> ExternalDeadlineLapsed:
    return ExternalDeadlineLapsed(
        deadline_id=DEADLINE,
        entity_id=uuid.uuid4(),
        entity_code="kf-sint-martinus",
        kind=DeadlineKind.MULTI_YEAR_PLAN,
        title="Meerjarenplan 2026-2031",
        due_on=LAST_DAY,
        lapsed_on=LAST_DAY + dt.timedelta(days=1),
        silence=SilenceMeans.APPROVAL,
        outcome=DeadlineOutcome.APPROVED_BY_SILENCE,
        municipal_entity=LegalEntity.GEMEENTE,
        follow_up=FollowUpAction(
            action_id="deadline-lapsed",
            kind=FollowUpKind.NOTIFY,
            description="Meerjarenplan van Kerkfabriek Sint-Martinus van rechtswege goedgekeurd",
            unit_code="SECR",
            due_date=LAST_DAY + dt.timedelta(days=11),
        ),
    )


async def test_a_term_and_its_lapse_each_give_the_secretariat_one_task() -> None:
    uow = FakeOrganisationUnitOfWork()
    routes = Routes()
    await routes.external_deadline_opened(uow, _opened(), ENVELOPE)
    await routes.external_deadline_opened(uow, _opened(), ENVELOPE)
    await routes.external_deadline_lapsed(uow, _lapsed(), ENVELOPE)
    await routes.external_deadline_lapsed(uow, _lapsed(), ENVELOPE)
    tasks = [e for e in uow.events() if isinstance(e, TaskCreated)]
    assert [(t.action_id, t.decision_id, t.unit_code, t.owner_person_id, t.due_date) for t in tasks] == [
        ("deadline-prepare", DEADLINE, "SECR", "p-ad", LAST_DAY),
        ("deadline-lapsed", DEADLINE, "SECR", "p-ad", LAST_DAY + dt.timedelta(days=11)),
    ]
    assert tasks[1].kind is FollowUpKind.NOTIFY
    assert "van rechtswege goedgekeurd" in tasks[1].title
    assert all(env.confidentiality is Confidentiality.PUBLIC for _, env in uow.emitted)
