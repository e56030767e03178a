"""Finance's queries answer typed replies; the CSV export keeps amounts exact."""

from __future__ import annotations

import uuid
from decimal import Decimal

from services.finance.service_layer import views
from shared.contracts.common import BodyKind
from shared.contracts.finance import (
    CreditLine,
    ExportReport,
    GetCommitments,
    GetCreditUse,
    GetPolicyFieldUse,
    GetTotals,
    GetVisumReport,
    GrantVisum,
    PolicyFieldLine,
    RefuseVisum,
    TotalLine,
    VisumCounts,
)
from shared.contracts.meetings import DecisionKind
from tests.factories import adopted_decision
from tests.unit.finance.driver import FD, Finance
from tests.unit.finance.fakes import FakeFinanceUnitOfWork
from tests.unit.finance.values import OC, G, adopted, credit, proposed


async def test_reports_per_total_policy_field_and_commitment_and_csv_export() -> None:
    fin = Finance()
    uow = FakeFinanceUnitOfWork(credit(), credit(account="6130000", amount="0.30"), credit(OC))
    await fin.tell(uow, adopted(uuid.uuid4(), "0.10"))
    await fin.tell(uow, adopted(uuid.uuid4(), "0.20"))
    totals = await views.get_totals(uow, GetTotals(command_id="q-0000001", entity=G))
    assert totals.totals == (
        TotalLine(
            entity=G,
            financial_year=2026,
            total="operating",
            amount=Decimal("100000.30"),
            committed=Decimal("0.30"),
            available=Decimal("100000.00"),
        ),
    )
    assert '"amount":"100000.30","committed":"0.30","available":"100000.00"' in totals.model_dump_json()
    assert (await views.get_totals(uow, GetTotals(command_id="q-0000009", financial_year=2027))).totals == ()
    fields = await views.get_policy_field_use(uow, GetPolicyFieldUse(command_id="q-0000002"))
    assert [(r.entity, r.policy_field, r.committed) for r in fields.policy_fields] == [
        (G, "0119", Decimal("0.30")),
        (OC, "0119", Decimal("0.00")),
    ]
    assert fields.policy_fields[0] == PolicyFieldLine(
        entity=G,
        financial_year=2026,
        policy_field="0119",
        amount=Decimal("100000.30"),
        committed=Decimal("0.30"),
        available=Decimal("100000.00"),
    )
    commitments = await views.get_commitments(uow, GetCommitments(command_id="q-0000003", entity=OC))
    assert commitments.commitments == ()
    gemeente = await views.get_commitments(uow, GetCommitments(command_id="q-0000006", entity=G))
    assert [(c.amount, c.ordered, c.paid, c.third_party) for c in gemeente.commitments] == [
        (Decimal("0.10"), Decimal("0.00"), Decimal("0.00"), "Aannemer NV"),
        (Decimal("0.20"), Decimal("0.00"), Decimal("0.00"), "Aannemer NV"),
    ]
    export = await views.export_report(uow, ExportReport(command_id="q-0000004", report="totals"))
    lines = export.csv.splitlines()
    assert lines[0] == "entity,financial_year,total,amount,committed,available"
    assert "gemeente,2026,operating,100000.30,0.30,100000.00" in lines
    assert export.rows == 2
    headers = {
        "credits": "credit_key,entity,total,financial_year,amount,committed,available,description",
        "policy_fields": "entity,financial_year,policy_field,amount,committed,available",
        "visums": (
            "visum_id,item_id,entity,credit_key,amount,status,conditions,reasons,decided_by,decided_at,"
            "overruled_by,overruling_decision_id"
        ),
        "commitments": (
            "commitment_id,entity,credit_key,financial_year,amount,ordered,paid,third_party,investment_project,"
            "decision_id,delegation_id,recorded_by"
        ),
    }
    for report, header in headers.items():
        reply = await views.export_report(
            uow, ExportReport.model_validate({"command_id": "q-0000005", "report": report})
        )
        assert reply.csv.splitlines()[:1] == ([header] if reply.rows else [])
    commitments_csv = (await views.export_report(uow, ExportReport(command_id="q-0000007", report="commitments"))).csv
    assert ",0.10,0.00,0.00,Aannemer NV,," in commitments_csv
    assert ",0.20,0.00,0.00,Aannemer NV,," in commitments_csv


async def test_credit_use_is_by_credit_key_and_optionally_for_one_entity() -> None:
    uow = FakeFinanceUnitOfWork(credit(OC), credit(G, committed="123.40"))
    reply = await views.get_credit_use(uow, GetCreditUse(command_id="query-0001"))
    assert [c.credit_key for c in reply.credits] == ["gemeente/2026/6140000/0119/AC-1", "ocmw/2026/6140000/0119/AC-1"]
    assert reply.credits[0] == CreditLine(
        credit_key="gemeente/2026/6140000/0119/AC-1",
        entity=G,
        total="operating",
        financial_year=2026,
        amount=Decimal("100000.00"),
        committed=Decimal("123.40"),
        available=Decimal("99876.60"),
        description="6140000",
    )
    only_ocmw = await views.get_credit_use(uow, GetCreditUse(command_id="query-0002", entity=OC))
    assert [c.entity for c in only_ocmw.credits] == [OC]


async def test_the_visum_report_lists_every_visum_with_its_outcome_and_counts() -> None:
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    asked, granted, refused = proposed("20000.00"), proposed("21000.00"), proposed("22000.00")
    for item in (asked, granted, refused):
        await fin.tell(uow, item)
        fin.clock.advance(minutes=1)
    await fin.send(uow, GrantVisum(command_id="c-0000001", item_id=granted.item_id, conditions=("a", "b")), by=FD)
    await fin.send(uow, RefuseVisum(command_id="c-0000002", item_id=refused.item_id, reasons=("Nee",)), by=FD)
    report = await views.get_visum_report(uow, GetVisumReport(command_id="q-0000001"))
    assert [(v.item_id, v.status) for v in report.visums] == [
        (asked.item_id, "requested"),
        (granted.item_id, "granted"),
        (refused.item_id, "refused"),
    ], "oldest request first"
    assert report.summary == VisumCounts(requested=1, granted=1, refused=1, overruled=0)
    row = report.visums[1]
    assert (row.conditions, row.decided_by, row.decided_at, row.overruled_by) == (("a", "b"), FD, fin.clock(), None)
    export = await views.export_report(uow, ExportReport(command_id="q-0000002", report="visums"))
    assert f",{granted.item_id},gemeente,gemeente/2026/6140000/0119/AC-1,21000.00,granted,a | b,,p-fd," in export.csv
    assert export.rows == 3
    await fin.tell(uow, adopted_decision(kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=refused.item_id))
    overruled = await views.get_visum_report(uow, GetVisumReport(command_id="q-0000003"))
    assert overruled.visums[2].overruled_by is BodyKind.COLLEGE
    assert overruled.summary.overruled == 1
    assert (await views.get_visum_report(uow, GetVisumReport(command_id="q-0000004", entity=OC))).visums == ()


async def test_the_budget_holders_report_says_who_committed_how_much_on_which_credits_in_the_year() -> None:
    import datetime as dt

    from shared.contracts.finance import GetBudgetHolderReport, RecordCommitment
    from shared.contracts.hr import BudgetHolderScope, DelegationGranted, DelegationPower
    from tests.unit.finance.values import impact

    fin = Finance()
    uow = FakeFinanceUnitOfWork(credit(), credit(account="6130000"), credit(year=2027))
    delegations = {}
    for person in ("p-dh", "p-other"):
        granted = DelegationGranted(
            delegation_id=uuid.uuid4(),
            from_body=None,
            from_person_id="p-ad",
            to_person_id=person,
            power=DelegationPower.BUDGET_HOLDER,
            entity=G,
            budget_scope=BudgetHolderScope(entity=G),
            valid_from=dt.date(2026, 1, 1),
            valid_until=None,
        )
        delegations[person] = granted.delegation_id
        await fin.tell(uow, granted)

    async def record(person: str, amount: str, account: str = "6140000", year: int = 2026) -> None:
        coded = impact(amount, account=account).model_copy(update={"financial_year": year})
        await fin.send(
            uow, RecordCommitment(command_id=uuid.uuid4().hex, impact=coded, third_party="Leverancier"), by=person
        )

    await record("p-dh", "100.00")
    await record("p-dh", "50.50")
    await record("p-dh", "10.00", account="6130000")
    await record("p-other", "1.00")
    await record("p-dh", "999.00", year=2027)  # another financial year
    await fin.tell(uow, adopted(uuid.uuid4(), "7.00"))  # a decision's commitment: no budget holder's
    report = await views.get_budget_holder_report(
        uow, GetBudgetHolderReport(command_id="q-0000001", financial_year=2026)
    )
    assert [(x.person_id, x.credit_key, x.commitments, x.amount) for x in report.lines] == [
        ("p-dh", "gemeente/2026/6130000/0119/AC-1", 1, Decimal("10.00")),
        ("p-dh", "gemeente/2026/6140000/0119/AC-1", 2, Decimal("150.50")),
        ("p-other", "gemeente/2026/6140000/0119/AC-1", 1, Decimal("1.00")),
    ]
    assert {x.delegation_id for x in report.lines} == set(delegations.values())
    assert report.totals == {"p-dh": Decimal("160.50"), "p-other": Decimal("1.00")}
    assert report.financial_year == 2026
    ocmw = await views.get_budget_holder_report(
        uow, GetBudgetHolderReport(command_id="q-0000002", financial_year=2026, entity=OC)
    )
    assert (ocmw.lines, ocmw.totals) == ((), {})


async def test_the_financial_directors_yearly_report_counts_the_visums_requested_in_the_year() -> None:
    """Hand count: in 2026 one visum given, one refused, one refused and then overruled by the college;
    the visum asked in 2027 and given belongs to the next year's report."""
    fin, uow = Finance(), FakeFinanceUnitOfWork(credit())
    given, refused, overruled = proposed("20000.00"), proposed("21000.00"), proposed("22000.00")
    for item in (given, refused, overruled):
        await fin.tell(uow, item)
    await fin.send(
        uow,
        GrantVisum(
            command_id="c-0000011",
            item_id=given.item_id,
        ),
        by=FD,
    )
    for n, item in enumerate((refused, overruled)):
        await fin.send(uow, RefuseVisum(command_id=f"c-000002{n}", item_id=item.item_id, reasons=("Nee",)), by=FD)
    await fin.tell(uow, adopted_decision(kind=DecisionKind.VISUM_OVERRULING, overrules_item_id=overruled.item_id))
    fin.clock.advance(days=200)  # 2027-01-01
    later = proposed("23000.00")
    await fin.tell(uow, later)
    await fin.send(
        uow,
        GrantVisum(
            command_id="c-0000031",
            item_id=later.item_id,
        ),
        by=FD,
    )

    of_2026 = await views.get_visum_report(uow, GetVisumReport(command_id="q-0000011", year=2026))
    assert of_2026.summary == VisumCounts(requested=0, granted=1, refused=1, overruled=1)
    assert {v.item_id for v in of_2026.visums} == {given.item_id, refused.item_id, overruled.item_id}
    of_2027 = await views.get_visum_report(uow, GetVisumReport(command_id="q-0000012", year=2027))
    assert of_2027.summary == VisumCounts(requested=0, granted=1, refused=0, overruled=0)
    every = await views.get_visum_report(uow, GetVisumReport(command_id="q-0000013"))
    assert len(every.visums) == 4
