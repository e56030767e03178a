"""Internal control: the system, the risk register, reviews that escalate, incidents, audit findings, the
afsprakennota, and the algemeen directeur's yearly report, counted by hand from each test's own records."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypeVar

import pytest

from services.organisation.bootstrap import handlers_of
from services.organisation.domain.policy import TaskPolicy
from services.organisation.entrypoints.subscriptions import registry
from shared.clock import FixedClock
from shared.contracts import control as ic
from shared.contracts.base import Command, Query, QueryReply
from shared.contracts.organisation import CompleteTask, ListTasks, ListTasksReply, ScanOverdue, TaskCreated
from shared.kernel import Accepted, RuleViolation
from tests.actors import proven
from tests.unit.organisation.fakes import FakeOrganisationUnitOfWork

R = TypeVar("R", bound=QueryReply)
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
PARTIES = ("college", "burgemeester", "vast_bureau", "voorzitter_vast_bureau", "bcsd", "voorzitter_bcsd")


def cid() -> str:
    return uuid.uuid4().hex


class Office:
    """organisation's registry on fakes, its clock moved on by the test."""

    def __init__(self) -> None:
        self.clock = FixedClock(START)
        self.registry = registry(handlers_of(TaskPolicy(), self.clock))
        self.uow = FakeOrganisationUnitOfWork()

    def on(self, day: dt.date) -> None:
        self.clock.at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)

    async def send(self, command: Command, *, by: str = "p-ad") -> Accepted:
        with proven(by):
            return await self.registry.send(self.uow, command)

    async def ask(self, query: Query, reply: type[R]) -> R:
        answer = await self.registry.ask(self.uow, query)
        assert isinstance(answer, reply)
        return answer

    async def risk(self, unit: str = "RUIMTE", likelihood: int = 3, impact: int = 4, **fields: Any) -> uuid.UUID:
        reply = await self.send(
            ic.RegisterRisk.model_validate(
                {
                    "command_id": cid(),
                    "entity": "gemeente",
                    "process": "Omgevingsvergunningen",
                    "unit_code": unit,
                    "title": "Termijn van een vergunning overschreden",
                    "likelihood": likelihood,
                    "impact": impact,
                    "owner_person_id": {"RUIMTE": "p-ruimte", "FIN": "p-fin"}.get(unit, "p-ad"),
                    **fields,
                }
            )
        )
        return uuid.UUID(reply.ids["risk_id"])

    async def measure(
        self, risk: uuid.UUID, first_review: dt.date, owner: str = "p-ruimte"
    ) -> tuple[uuid.UUID, uuid.UUID]:
        reply = await self.send(
            ic.AddControlMeasure(
                command_id=cid(),
                risk_id=risk,
                description="Termijnbewaking in het dossiersysteem",
                owner_person_id=owner,
                first_review=first_review,
                review_every_days=180,
            )
        )
        return uuid.UUID(reply.ids["measure_id"]), uuid.UUID(reply.ids["task_id"])

    async def tasks(self, source: uuid.UUID) -> ListTasksReply:
        return await self.ask(ListTasks(command_id=cid(), decision_id=source), ListTasksReply)

    async def report(self, year: int) -> ic.GetInternalControlReportReply:
        return await self.ask(
            ic.GetInternalControlReport(command_id=cid(), year=year), ic.GetInternalControlReportReply
        )


async def test_only_the_algemeen_directeur_sets_up_the_system_within_the_councils_framework() -> None:
    office = Office()
    framework = (uuid.uuid4(), uuid.uuid4())
    with pytest.raises(RuleViolation) as refused:
        await office.send(ic.SetUpInternalControl(command_id=cid(), framework_decision_ids=framework), by="p-fin")
    assert refused.value.code == "not_the_director"
    await office.send(ic.SetUpInternalControl(command_id=cid(), framework_decision_ids=framework))
    assert (await office.report(2026)).system_set_up_on == START.date()
    assert (await office.report(2025)).system_set_up_on is None


async def test_the_risk_register_holds_risks_per_process_and_unit_highest_score_first() -> None:
    office = Office()
    low = await office.risk(likelihood=1, impact=2)
    high = await office.risk(unit="FIN", likelihood=4, impact=5, process="Kasbeheer", title="Kasverschil")
    with pytest.raises(RuleViolation) as unknown:
        await office.risk(unit="NERGENS")
    assert unknown.value.code == "unknown_unit"
    register = await office.ask(ic.GetRiskRegister(command_id=cid()), ic.GetRiskRegisterReply)
    assert [(r.risk_id, r.score, r.owner_person_id) for r in register.risks] == [
        (high, 20, "p-fin"),
        (low, 2, "p-ruimte"),
    ]
    ruimte = await office.ask(ic.GetRiskRegister(command_id=cid(), unit_code="RUIMTE"), ic.GetRiskRegisterReply)
    assert [r.risk_id for r in ruimte.risks] == [low]


async def test_an_overdue_review_escalates_like_a_task_and_the_one_who_holds_it_reviews() -> None:
    office = Office()
    risk = await office.risk()
    measure, review = await office.measure(risk, first_review=dt.date(2026, 1, 20))
    [created] = [e for e in office.uow.events() if isinstance(e, TaskCreated)]
    assert (created.task_id, created.owner_person_id, created.due_date) == (review, "p-ruimte", dt.date(2026, 1, 20))

    office.on(dt.date(2026, 1, 22))
    await office.send(ScanOverdue(command_id=cid(), as_of=dt.date(2026, 1, 22)))
    [task] = (await office.tasks(risk)).tasks
    assert (task.status, task.owner_person_id, task.escalation_level) == ("overdue", "p-ad", 1)

    with pytest.raises(RuleViolation) as passed_on:
        await office.send(
            ic.RecordControlReview(command_id=cid(), risk_id=risk, measure_id=measure, effective=True), by="p-ruimte"
        )
    assert passed_on.value.code == "not_owner", "the review went up to the algemeen directeur"
    reviewed = await office.send(
        ic.RecordControlReview(
            command_id=cid(),
            risk_id=risk,
            measure_id=measure,
            effective=False,
            note="Niet toegepast",
        )
    )
    assert reviewed.data["next_review"] == "2026-07-21"
    tasks = {t.task_id: t for t in (await office.tasks(risk)).tasks}
    assert tasks[review].status == "done"
    following = tasks[uuid.UUID(reviewed.ids["task_id"])]
    assert (following.status, following.owner_person_id, following.due_date) == (
        "open",
        "p-ruimte",
        dt.date(2026, 7, 21),
    )


async def test_an_incident_is_linked_to_the_risk_that_foresaw_it() -> None:
    office = Office()
    risk = await office.risk()
    await office.send(
        ic.RecordIncident(
            command_id=cid(),
            risk_id=risk,
            occurred_on=dt.date(2026, 1, 2),
            description="Stilzwijgende vergunning door termijnoverschrijding",
        ),
        by="p-ruimte",
    )
    with pytest.raises(RuleViolation) as future:
        await office.send(
            ic.RecordIncident(
                command_id=cid(),
                risk_id=risk,
                occurred_on=dt.date(2026, 2, 1),
                description="Later",
            )
        )
    assert future.value.code == "incident_in_future"
    with pytest.raises(RuleViolation) as unknown:
        await office.send(
            ic.RecordIncident(
                command_id=cid(),
                risk_id=uuid.uuid4(),
                occurred_on=dt.date(2026, 1, 2),
                description="?",
            )
        )
    assert unknown.value.code == "unknown_risk"
    [line] = (await office.ask(ic.GetRiskRegister(command_id=cid()), ic.GetRiskRegisterReply)).risks
    assert line.incidents == 1


async def _audit(
    office: Office, risk: uuid.UUID | None = None, *, available: dt.date | None = None
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    reply = await office.send(
        ic.RecordAuditReport(
            command_id=cid(),
            entity="gemeente",  # type: ignore[arg-type]
            title="Organisatie-audit Audit Vlaanderen",
            received_on=office.clock().date(),
            available_to_council_on=available,
            findings=(
                ic.FindingToRecord(text="Geen termijnbewaking in vergunningen", risk_id=risk),
                ic.FindingToRecord(text="Geen functiescheiding bij aankopen"),
            ),
        )
    )
    findings = reply.data["findings"]
    assert isinstance(findings, list)
    return uuid.UUID(reply.ids["report_id"]), [uuid.UUID(f) for f in findings]


async def test_an_audit_finding_is_closed_by_the_action_that_answers_it() -> None:
    office = Office()
    report, (first, second) = await _audit(office, await office.risk())
    answer = await office.send(
        ic.AnswerAuditFinding(
            command_id=cid(),
            report_id=report,
            finding_id=first,
            description="Termijnbewaking invoeren",
            unit_code="RUIMTE",
            due_date=dt.date(2026, 3, 1),
        )
    )
    action = uuid.UUID(answer.ids["task_id"])
    assert [line.finding_id for line in (await office.report(2026)).open_findings] == [first, second]
    await office.send(CompleteTask(command_id=cid(), task_id=action), by="p-ruimte")
    after = await office.report(2026)
    assert [line.finding_id for line in after.open_findings] == [second]
    assert (after.findings, after.findings_closed) == (2, 1)
    with pytest.raises(RuleViolation) as closed:
        await office.send(
            ic.AnswerAuditFinding(
                command_id=cid(),
                report_id=report,
                finding_id=first,
                description="Nog eens",
                unit_code="RUIMTE",
                due_date=dt.date(2026, 4, 1),
            )
        )
    assert closed.value.code == "finding_closed"


async def test_the_afsprakennota_is_concluded_with_every_party_and_its_objectives_are_tasks() -> None:
    office = Office()
    fields: dict[str, Any] = {
        "legislature": "2025 - heden",
        "concluded_on": dt.date(2026, 1, 5),
        "cooperation": "Tweewekelijks overleg college en managementteam",
        "conduct": "Vragen aan de administratie via de algemeen directeur",
        "delegated_powers": "Verslag over gedelegeerde beslissingen per kwartaal",
        "objectives": [
            {"objective_id": "loket", "text": "Eén digitaal loket", "unit_code": "RUIMTE", "due_date": "2026-12-31"},
            {"objective_id": "budget", "text": "Kwartaalrapport budget", "unit_code": "FIN", "due_date": "2026-06-30"},
        ],
    }
    with pytest.raises(RuleViolation) as missing:
        await office.send(
            ic.ConcludeAfsprakennota.model_validate({"command_id": cid(), "parties": PARTIES[:4], **fields})
        )
    assert missing.value.code == "afsprakennota_party_missing"
    concluded = await office.send(
        ic.ConcludeAfsprakennota.model_validate({"command_id": cid(), "parties": PARTIES, **fields})
    )
    tasks = (await office.tasks(uuid.UUID(concluded.ids["agreement_id"]))).tasks
    assert sorted((t.action_id, t.owner_person_id, str(t.due_date)) for t in tasks) == [
        ("budget", "p-fin", "2026-06-30"),
        ("loket", "p-ruimte", "2026-12-31"),
    ]


async def test_the_yearly_report_counts_what_the_year_held() -> None:
    """Hand count for 2026, from the records below:

    risks at the end of 2026: 3 (one registered in 2025, two in 2026), of which high (score >= 15): 1
    (4 × 4); measures 2; reviews held in 2026: 1, not effective: 1; review tasks overdue at the year's
    end: the first measure's second review (due 2026-08-28, 180 days after the first) and the second
    measure's first review (due 2026-11-01), neither held = 2; incidents in 2026: 1 (the
    2025 one does not count); improvement actions planned in 2026: 2 (one on a risk, one on a finding),
    done by the year's end: 1; audit reports received in 2026: 1, not made available to the council: 1;
    findings 2, closed 1; objectives 2, done 0. The report is due on 30 June 2027.
    """
    office = Office()
    office.on(dt.date(2025, 11, 3))
    old = await office.risk(likelihood=2, impact=2)
    await office.send(
        ic.RecordIncident(command_id=cid(), risk_id=old, occurred_on=dt.date(2025, 11, 1), description="Oud")
    )
    office.on(dt.date(2026, 2, 2))
    high = await office.risk(unit="FIN", likelihood=4, impact=4)
    plain = await office.risk(likelihood=3, impact=3)
    first, _ = await office.measure(high, first_review=dt.date(2026, 3, 1), owner="p-fin")
    await office.measure(plain, first_review=dt.date(2026, 11, 1))
    office.on(dt.date(2026, 3, 1))
    await office.send(
        ic.RecordControlReview(command_id=cid(), risk_id=high, measure_id=first, effective=False), by="p-fin"
    )
    await office.send(
        ic.RecordIncident(
            command_id=cid(),
            risk_id=high,
            occurred_on=dt.date(2026, 2, 20),
            description="Kasverschil",
        ),
        by="p-fin",
    )
    planned = await office.send(
        ic.PlanImprovementAction(
            command_id=cid(),
            risk_id=high,
            action_id="kluis",
            description="Tweede sleutel kluis",
            unit_code="FIN",
            due_date=dt.date(2026, 4, 1),
        )
    )
    await office.send(CompleteTask(command_id=cid(), task_id=uuid.UUID(planned.ids["task_id"])), by="p-fin")
    report, (finding, _) = await _audit(office, high)
    await office.send(
        ic.AnswerAuditFinding(
            command_id=cid(),
            report_id=report,
            finding_id=finding,
            description="Functiescheiding",
            unit_code="FIN",
            due_date=dt.date(2027, 3, 1),
        )
    )
    await office.send(
        ic.ConcludeAfsprakennota.model_validate(
            {
                "command_id": cid(),
                "legislature": "2025 - heden",
                "concluded_on": "2026-03-01",
                "parties": PARTIES,
                "cooperation": "Overleg",
                "conduct": "Omgang",
                "delegated_powers": "Verslag",
                "objectives": [
                    {"objective_id": "a", "text": "A", "unit_code": "RUIMTE", "due_date": "2026-12-31"},
                    {"objective_id": "b", "text": "B", "unit_code": "FIN", "due_date": "2027-06-30"},
                ],
            }
        )
    )
    # the finding's action is done after the year's end: it does not count for 2026
    office.on(dt.date(2027, 1, 10))
    [answered] = (await office.tasks(report)).tasks
    await office.send(CompleteTask(command_id=cid(), task_id=answered.task_id), by="p-fin")

    figures = (await office.report(2026)).model_dump(
        exclude={"command_id", "status", "code", "message", "open_findings"}
    )
    assert figures == {
        "year": 2026,
        "due_on": dt.date(2027, 6, 30),
        "system_set_up_on": None,
        "risks": 3,
        "high_risks": 1,
        "risks_registered": 2,
        "measures": 2,
        "reviews_held": 1,
        "reviews_not_effective": 1,
        "reviews_overdue": 2,
        "incidents": 1,
        "improvement_actions": 2,
        "improvement_actions_done": 1,
        "audit_reports": 1,
        "audit_reports_not_made_available": 1,
        "findings": 2,
        "findings_closed": 0,
        "objectives": 2,
        "objectives_done": 0,
    }
    assert len((await office.report(2026)).open_findings) == 2, "closed in 2027: still open at the end of 2026"
