"""`rw finance import|credits|totals|visums|commitments|export` against a running finance."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import cli.finance
from cli.main import app
from tests.integration.test_finance_flow import start_stack, stop_stack


async def test_the_finance_commands_show_and_export_the_plan(
    nats_server: Any, pg_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.finance, "console", Console(width=250))
    stack, _ = await start_stack(nats_server, pg_dsn, meetings=False)
    env = {"RW_NATS_URL": nats_server.url, "RW_OPERATOR_NATS_PASSWORD": nats_server.passwords["operator"]}
    runner = CliRunner()

    def rw(*args: str) -> Any:
        return runner.invoke(app, ["finance", *args], env=env, terminal_width=200)

    try:
        plan = tmp_path / "plan.csv"
        plan.write_text(
            "entity,financial_year,economic_account,policy_field,action,amount,description\n"
            "gemeente,2028,6140000,0119,AC-1.1.1,0.10,Nieuw\n"
            "gemeente,2028,6130000,0119,AC-1.2.1,0.20,Nieuw\n",
            encoding="utf-8",
        )
        result = await asyncio.to_thread(rw, "import", str(plan))
        assert result.exit_code == 0, result.output
        assert "2 credits added" in result.output
        bad = tmp_path / "bad.csv"
        bad.write_text(
            "entity,financial_year,economic_account,policy_field,action,amount,description\n"
            "gemeente,2028,6140000,0119,AC-1.1.9,1.00,ok\n"
            "gemeente,2028,6140000,0119,AC-1.1.8,1.2.3,fout\n",
            encoding="utf-8",
        )
        result = await asyncio.to_thread(rw, "import", str(bad))
        assert result.exit_code == 1
        assert "invalid_plan: line 3, column amount" in result.output

        result = await asyncio.to_thread(rw, "totals", "--entity", "gemeente", "--year", "2028")
        assert result.exit_code == 0, result.output
        assert "0.30" in result.output, result.output
        result = await asyncio.to_thread(rw, "credits", "--entity", "ocmw")
        assert result.exit_code == 0, result.output
        assert "ocmw/2026/6140000/0900/AC-3.1.1" in result.output
        assert "gemeente/" not in result.output
        for command in ("visums", "commitments"):
            result = await asyncio.to_thread(rw, command)
            assert result.exit_code == 0, result.output
        out = tmp_path / "totals.csv"
        result = await asyncio.to_thread(rw, "export", "totals", "--output", str(out))
        assert result.exit_code == 0, result.output
        assert "gemeente,2028,operating,0.30,0.00,0.30" in out.read_text(encoding="utf-8").splitlines()
        result = await asyncio.to_thread(rw, "export", "nonsense")
        assert result.exit_code == 2
    finally:
        await stop_stack(stack)
