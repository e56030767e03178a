"""The whole system as `make run` started it, as the end-to-end tests see it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RunningSystem"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RunningSystem:
    """A `deploy.run` process that reached its ready line."""

    process: subprocess.Popen[str]
    data_dir: Path
    ready_line: str
    output: list[str]

    @property
    def run_info(self) -> dict[str, object]:
        info: dict[str, object] = json.loads((self.data_dir / "run.json").read_text())
        return info

    def rw(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`rw <args>` as an operator types it beside this system (its data folder, a wide terminal)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("RW_")} | {
            "RW_DATA_DIR": str(self.data_dir),
            "COLUMNS": "250",
        }
        return subprocess.run(
            [sys.executable, "-m", "cli.main", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
