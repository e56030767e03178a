"""`rw` answers like a tool: one line naming the problem and a non-zero exit, never a traceback.

Run as a person runs it, as a process, with nothing running, with a `run.json` left from a run
that has stopped, and with NATS up but no service serving the command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.embedded import free_port
from tests.actors import operator_env
from tests.integration.servers import TestNats

ROOT = Path(__file__).resolve().parents[2]


def rw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RW_")}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["status", "demo"])
def test_nothing_running(tmp_path: Path, command: str) -> None:
    line = one_line(rw(command, env={"RW_DATA_DIR": str(tmp_path)}))
    assert "not running" in line
    assert "make run" in line


@pytest.mark.parametrize("command", ["status", "demo"])
def test_a_run_json_left_from_a_stopped_run(tmp_path: Path, command: str) -> None:
    (tmp_path / "run.json").write_text(
        json.dumps(
            {
                "nats_url": f"nats://127.0.0.1:{free_port()}",
                "operator_password": "gone",
                "services": {"meetings": {"pid": None, "http_port": free_port()}},
            }
        )
    )
    line = one_line(rw(command, env={"RW_DATA_DIR": str(tmp_path)}))
    assert "run.json" in line or "not ready" in line
    assert "make run" in line


def test_nats_up_but_no_service_serves_the_command(nats_server: TestNats) -> None:
    env = {
        "RW_NATS_URL": nats_server.url,
        "RW_OPERATOR_NATS_PASSWORD": nats_server.passwords["operator"],
        **operator_env(),
    }
    line = one_line(rw("demo", env=env))
    # The demo reads its credit in finance first, then proposes to meetings.
    assert line.startswith("rw: finance does not answer")
    assert "cmd.finance.get_credit_use" in line
    assert "rw status" in line
