"""`rw audit`, `rw dlq` and `rw replay` against the whole system, as an operator types them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.system import RunningSystem


# Nine `rw` processes in a row, each importing every contract (seconds of CPU apiece) on two cores
# the freshly started system still shares: the default 120 s is for one step, not for nine.
@pytest.mark.timeout(360)
def test_an_operator_follows_verifies_exports_and_replays_the_demo_flow(system: RunningSystem, tmp_path: Path) -> None:
    demo = system.rw("demo", "--timeout", "90")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    match = re.search(r"correlation ([0-9a-f-]{36})", demo.stdout)
    assert match is not None, demo.stdout
    correlation_id = match.group(1)

    trail = system.rw("audit", "trail", correlation_id)
    assert trail.returncode == 0, trail.stderr
    assert "meetings.decision.adopted" in trail.stdout
    for consumer in ("finance_decisions", "organisation_decisions", "hr_decisions", "external_decisions"):
        assert f"acked by {consumer}" in trail.stdout or f"duplicate by {consumer}" in trail.stdout, consumer

    checkpoint = system.rw("audit", "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    assert (system.data_dir / "audit-keys" / "current").exists(), "make run keeps the key outside the database"

    verify = system.rw("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "ledger intact" in verify.stdout

    search = system.rw("audit", "search", "--subject", "meetings.decision.>", "--limit", "5")
    assert search.returncode == 0, search.stderr
    assert "meetings.decision.adopted" in search.stdout

    out = tmp_path / "ledger.jsonl"
    export = system.rw("audit", "export", "-o", str(out))
    assert export.returncode == 0, export.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines
    assert {"seq", "payload", "row_hash", "prev_hash"} <= set(json.loads(lines[0]))
    sidecar = json.loads((tmp_path / "ledger.jsonl.checkpoint.json").read_text())
    assert sidecar["records"] == len(lines)
    assert sidecar["public_keys"]

    dlq = system.rw("dlq", "list")
    assert dlq.returncode == 0, dlq.stderr

    replay = system.rw("replay", "finance_decisions", "--from", "0")
    assert replay.returncode == 0, replay.stderr
    assert " 0 took effect" in replay.stdout, replay.stdout


def test_a_refused_retry_is_one_line(system: RunningSystem) -> None:
    result = system.rw("dlq", "retry", "finance", "999999999")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "unknown_dead_letter" in lines[0]
