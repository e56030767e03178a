"""The whole system as `make run` started it, as the end-to-end tests see it."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RunningSystem"]


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
