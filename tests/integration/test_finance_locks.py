"""Row locks on the limitative total and on the credit, in PostgreSQL, without the broker.

Concurrent commitments on two credits of one total, internal adjustments between them and a
budget change, all at once, each in its own transaction: no deadlock, no lost update, and the
invariants hold afterwards (each total is the sum of its credits, nothing overspent).
Also: money stays exact from the contract to the database to the report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.finance.adapters.demo import seed
from services.finance.adapters.tables import metadata
from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.bootstrap import FinanceSettings, handlers_of
from services.finance.domain.policy import FinancePolicy
from services.finance.entrypoints.subscriptions import registry
from services.finance.service_layer import views
from shared.clock import system_clock
from shared.contracts.base import LegalEntity
from shared.contracts.common import BodyKind, FinancialImpact
from shared.contracts.finance import (
    AdjustCredits,
    CreditChange,
    CreditCoding,
    ExportReport,
    GetCreditUse,
    GetCreditUseReply,
    GetTotals,
    ProposeBudgetChange,
)
from shared.contracts.meetings import DecisionAdopted, DecisionKind
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
from shared.kernel import RuleViolation
from shared.messaging.envelope import Envelope
from tests.actors import proven
from tests.factories import adopted_decision
from tests.integration.processes import prepare_runtime_schema

ROOT = Path(__file__).resolve().parents[2]
ENVELOPE = Envelope(id="e", type="t", source="/test", time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), correlation_id="c")
#: The demo plan is seeded for the current year (and the five after it).
YEAR = dt.datetime.now(dt.UTC).year
A = ("gemeente", YEAR, "6140000", "0119", "AC-1.1.1")  # 12 500 000.00 in the demo plan of 2026, operating
B = ("gemeente", YEAR, "6130000", "0119", "AC-1.2.1")  # 1 200 000.00 in 2026, operating

T = TypeVar("T")

# The routes of the registry the broker binds, on the system clock.
_registry = registry(handlers_of(FinancePolicy(financial_director="p-fd"), system_clock))
propose_budget_change = _registry.commands[ProposeBudgetChange]
adjust_credits = _registry.commands[AdjustCredits]
decision_adopted = _registry.consumers["finance_decisions"][DecisionAdopted]


class Db:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = make_session_factory(engine)
        self.tables = messaging_tables(metadata)

    def uow(self) -> SqlFinanceUnitOfWork:
        return SqlFinanceUnitOfWork(self.sessions, self.tables)

    async def run(self, handler: Callable[[SqlFinanceUnitOfWork], Awaitable[T]]) -> T:
        """One transaction, as the messaging wrapper runs a handler, for the financial director."""
        with proven("p-fd"):
            async with self.uow() as uow:
                result = await handler(uow)
                await uow.commit()
                return result

    async def rows(self, sql: str) -> list[Any]:
        async with self.engine.connect() as conn:
            return list((await conn.execute(text(sql))).all())


@pytest.fixture
async def db(pg_dsn: str) -> AsyncIterator[Db]:
    schema = f"t_finlock_{uuid.uuid4().hex[:8]}"
    # As finance runs: its own runtime role, which must be allowed every lock the handlers take.
    dsn, password = await asyncio.to_thread(
        prepare_runtime_schema, ROOT / "services" / "finance" / "migrations", pg_dsn, schema
    )
    settings = FinanceSettings(
        service_name="finance",
        database_url=dsn,
        database_password=password,
        db_schema=schema,
        nats_url="nats://unused",
        nats_password=SecretStr("x"),
        financial_director_person_id="p-fd",
    )
    await seed(settings)
    engine = make_engine(dsn, schema, pool_size=40, password=password)
    try:
        yield Db(engine)
    finally:
        await engine.dispose()


def _coding(key: tuple[str, int, str, str, str]) -> CreditCoding:
    return CreditCoding(
        entity=LegalEntity(key[0]), financial_year=key[1], economic_account=key[2], policy_field=key[3], action=key[4]
    )


def _impact(key: tuple[str, int, str, str, str], amount: Decimal) -> FinancialImpact:
    return FinancialImpact(
        entity=LegalEntity(key[0]),
        amount=amount,
        economic_account=key[2],
        policy_field=key[3],
        action=key[4],
        financial_year=key[1],
    )


async def test_commitments_adjustments_and_a_budget_change_at_once_keep_the_totals(db: Db) -> None:
    rng = random.Random(7)
    total_sql = (
        f"SELECT amount, committed FROM limitative_totals WHERE entity = 'gemeente' AND financial_year = {YEAR}"
        " AND total = 'operating'"
    )
    [before] = await db.rows(total_sql)
    change = await db.run(
        lambda uow: propose_budget_change(
            uow,
            ProposeBudgetChange(
                command_id="bc-00000001",
                entity=LegalEntity.GEMEENTE,
                title="Aanpassing",
                changes=(CreditChange(credit=_coding(B), change=Decimal("-10000.00")),),
            ),
        )
    )
    budget_change_id = uuid.UUID(change.ids["budget_change_id"])

    async def commit_on(key: tuple[str, int, str, str, str], amount: Decimal) -> str:
        decision = adopted_decision(financial_impact=_impact(key, amount))
        await db.run(lambda uow: decision_adopted(uow, decision, ENVELOPE))
        return "decision"

    async def adjust(amount: Decimal, forward: bool) -> str:
        src, dst = (A, B) if forward else (B, A)
        cmd = AdjustCredits(
            command_id=uuid.uuid4().hex,
            entity=LegalEntity.GEMEENTE,
            changes=(
                CreditChange(credit=_coding(src), change=-amount),
                CreditChange(credit=_coding(dst), change=amount),
            ),
        )
        try:
            await db.run(lambda uow: adjust_credits(uow, cmd))
        except RuleViolation as exc:
            return exc.code
        return "adjusted"

    async def apply_change() -> str:
        decision = adopted_decision(
            body=BodyKind.GEMEENTERAAD, kind=DecisionKind.BUDGET_CHANGE, budget_change_id=budget_change_id
        )
        await db.run(lambda uow: decision_adopted(uow, decision, ENVELOPE))
        return "budget_change"

    work: list[Awaitable[str]] = []
    for i in range(150):
        key = A if i % 2 else B
        work.append(commit_on(key, Decimal(rng.randint(100, 400_000)).scaleb(-2)))
        if i % 5 == 0:
            work.append(adjust(Decimal(rng.randint(100, 2_000_000)).scaleb(-2), forward=bool(i % 10)))
    work.insert(40, apply_change())
    outcomes = await asyncio.gather(*work)
    assert "budget_change" in outcomes

    rows = {
        r.economic_account: r
        for r in await db.rows(
            "SELECT economic_account, amount, committed FROM credits WHERE entity = 'gemeente'"
            f" AND financial_year = {YEAR} AND total = 'operating'"
        )
    }
    [total] = await db.rows(total_sql)
    assert total.amount == sum(c.amount for c in rows.values())
    assert total.committed == sum(c.committed for c in rows.values())
    [(status,)] = await db.rows(f"SELECT status FROM budget_changes WHERE budget_change_id = '{budget_change_id}'")
    assert status in {"applied", "refused"}
    lowered = Decimal("10000.00") if status == "applied" else Decimal(0)
    assert total.amount == before.amount - lowered, "only the budget change moves the total"
    assert all(0 <= c.committed <= c.amount for c in rows.values())
    [(committed,)] = await db.rows("SELECT coalesce(sum(amount), 0) FROM commitments WHERE entity = 'gemeente'")
    assert committed == total.committed
    assert {"adjusted", "decision"} <= set(outcomes)


async def _adopt(uow: SqlFinanceUnitOfWork, *, event: DecisionAdopted) -> None:
    await decision_adopted(uow, event, ENVELOPE)


async def test_money_is_cent_exact_from_contract_to_database_to_report(db: Db) -> None:
    """0.10 + 0.20 is 0.30, not 0.30000000000000004, everywhere."""
    [(estimate,)] = await db.rows(
        "SELECT amount FROM credits WHERE entity = 'gemeente' AND economic_account = '6140000'"
        f" AND financial_year = {YEAR}"
    )
    [(operating_total,)] = await db.rows(
        f"SELECT amount FROM limitative_totals WHERE entity = 'gemeente' AND financial_year = {YEAR}"
        " AND total = 'operating'"
    )
    left = estimate - Decimal("0.30")
    for amount in ("0.10", "0.20"):
        decision = adopted_decision(financial_impact=_impact(A, Decimal(amount)))
        # Through JSON as on the wire: amounts are strings in the contract.
        wire = type(decision).model_validate_json(decision.model_dump_json())
        assert '"amount":"' + amount + '"' in decision.model_dump_json()
        await db.run(partial(_adopt, event=wire))
    [(committed, total_committed)] = await db.rows(
        "SELECT c.committed, t.committed FROM credits c JOIN limitative_totals t USING (entity, financial_year, total)"
        f" WHERE c.entity = 'gemeente' AND c.economic_account = '6140000' AND c.financial_year = {YEAR}"
    )
    assert committed == Decimal("0.30")
    assert isinstance(committed, Decimal)
    assert total_committed == Decimal("0.30")
    [(db_sum,)] = await db.rows("SELECT sum(amount)::text FROM commitments")
    assert db_sum == "0.30"
    events = await db.rows("SELECT convert_from(payload, 'UTF8') AS body FROM outbox ORDER BY created_at")
    assert any(f'"remaining":"{left}"' in e.body for e in events), "events carry amounts as exact strings"

    reply: GetCreditUseReply = await db.run(lambda uow: views.get_credit_use(uow, GetCreditUse(command_id="q-0000001")))
    row = next(r for r in reply.credits if r.credit_key == f"gemeente/{YEAR}/6140000/0119/AC-1.1.1")
    assert (row.committed, row.available) == (Decimal("0.30"), left)
    assert f'"committed":"0.30","available":"{left}"' in row.model_dump_json()
    totals = await db.run(lambda uow: views.get_totals(uow, GetTotals(command_id="q-0000002")))
    operating = next(
        t
        for t in totals.totals
        if t.total == "operating" and t.entity is LegalEntity.GEMEENTE and t.financial_year == YEAR
    )
    assert (operating.committed, operating.amount) == (Decimal("0.30"), operating_total)
    assert f'"amount":"{operating_total}","committed":"0.30"' in operating.model_dump_json()
    export = await db.run(
        lambda uow: views.export_report(uow, ExportReport(command_id="q-0000003", report="commitments"))
    )
    csv_text = export.csv
    assert ",0.10," in csv_text
    assert ",0.20," in csv_text
    # Serialised replies keep the strings: a client never sees a float.
    assert '"committed":"0.30"' in reply.model_dump_json()
