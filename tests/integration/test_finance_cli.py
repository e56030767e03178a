"""`rw finance import|plan|credits|totals|visums|commitments|export|adjust|carry-over` and `rw reports`
against a running finance."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import cli.finance
import cli.reports
from cli.main import app
from tests.actors import operator_env
from tests.integration.test_finance_flow import start_stack, stop_stack

HEADER = "entity,financial_year,kind,economic_account,policy_field,action,amount,description\n"


async def test_the_finance_commands_stage_show_and_export_the_plan(
    nats_server: Any, pg_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.finance, "console", Console(width=250))
    monkeypatch.setattr(cli.reports, "console", Console(width=250))
    stack, _ = await start_stack(nats_server, pg_dsn, meetings=False)
    env = {
        "RW_NATS_URL": nats_server.url,
        "RW_OPERATOR_NATS_PASSWORD": nats_server.passwords["operator"],
        **operator_env(),
    }
    runner = CliRunner()
    year = dt.date.today().year

    def rw(*args: str) -> Any:
        return runner.invoke(app, ["--as", "p-fd", *args], env=env, terminal_width=200)

    try:
        plan = tmp_path / "plan.csv"
        plan.write_text(
            HEADER
            + "gemeente,2040,expense,6140000,0119,AC-1.1.1,0.10,Nieuw\n"
            + "gemeente,2040,expense,6130000,0119,AC-1.2.1,0.20,Nieuw\n"
            + "gemeente,2040,receipt,7300000,0020,,1.00,Belastingen\n",
            encoding="utf-8",
        )
        result = await asyncio.to_thread(rw, "finance", "import", str(plan))
        assert result.exit_code == 0, result.output
        assert "gemeente: change staged" in result.output
        assert "(3 added, 0 changed, 0 unchanged)" in result.output
        assert "in financial balance; the gemeenteraad adopts it" in result.output
        unbalanced = tmp_path / "unbalanced.csv"
        unbalanced.write_text(
            HEADER + "ocmw,2041,expense,6140000,0900,AC-3.1.1,5.00,Zonder dekking\n", encoding="utf-8"
        )
        result = await asyncio.to_thread(rw, "finance", "import", str(unbalanced))
        assert result.exit_code == 0, result.output
        assert "NOT in financial balance" in result.output
        assert "self-financing margin of the last year, 2041" in result.output
        bad = tmp_path / "bad.csv"
        bad.write_text(
            HEADER
            + "gemeente,2040,expense,6140000,0119,AC-1.1.9,1.00,ok\n"
            + "gemeente,2040,expense,6140000,0119,AC-1.1.8,1.2.3,fout\n",
            encoding="utf-8",
        )
        result = await asyncio.to_thread(rw, "finance", "import", str(bad))
        assert result.exit_code == 1
        assert "invalid_plan: line 3, column amount" in result.output

        result = await asyncio.to_thread(rw, "finance", "plan", "--entity", "gemeente")
        assert result.exit_code == 0, result.output
        assert "proposed" in result.output, result.output
        assert "applied" in result.output, result.output
        assert "financial balance of the plan in force" in result.output
        result = await asyncio.to_thread(rw, "finance", "totals", "--entity", "gemeente", "--year", "2040")
        assert result.exit_code == 0, result.output
        assert "0.30" not in result.output, "staged, not in force"
        result = await asyncio.to_thread(rw, "finance", "credits", "--entity", "ocmw")
        assert result.exit_code == 0, result.output
        assert f"ocmw/{year}/6140000/0900/AC-3.1.1" in result.output
        assert "gemeente/" not in result.output
        for command in ("visums", "commitments"):
            result = await asyncio.to_thread(rw, "finance", command)
            assert result.exit_code == 0, result.output

        result = await asyncio.to_thread(
            rw, "finance", "adjust", "--entity", "gemeente", "--year", str(year),
            "--from", "6100000/0190/-", "--to", "6140000/0119/AC-1.1.1", "--amount", "1000.00",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "adjusted: 1000.00 from 6100000/0190/- to 6140000/0119/AC-1.1.1" in result.output
        out = tmp_path / "totals.csv"
        result = await asyncio.to_thread(rw, "finance", "export", "totals", "--output", str(out))
        assert result.exit_code == 0, result.output
        operating = f"gemeente,{year},operating,"
        [line] = [x for x in out.read_text(encoding="utf-8").splitlines() if x.startswith(operating)]
        assert line.endswith(",0.00," + line.split(",")[3]), "nothing committed; an adjustment keeps the total"
        result = await asyncio.to_thread(rw, "finance", "export", "nonsense")
        assert result.exit_code == 2

        result = await asyncio.to_thread(rw, "finance", "carry-over", "--entity", "gemeente", "--from-year", str(year))
        assert result.exit_code == 0, result.output
        assert "carry-over staged" in result.output
        assert f"the college decides it before 1 March {year + 1}" in result.output
        assert f"gemeente/{year}/2210000/0200/AC-2.1.1" in result.output

        result = await asyncio.to_thread(
            rw, "reports", "budget-holders", "--year", str(year), "-o", str(tmp_path / "bh.csv")
        )
        assert result.exit_code == 0, result.output
        assert f"no budget holder committed anything in {year}" in result.output
        assert (tmp_path / "bh.csv").read_text(encoding="utf-8").startswith("person_id,delegation_id,")
    finally:
        await stop_stack(stack)
