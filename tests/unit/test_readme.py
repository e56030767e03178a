"""The README renders as written: it starts with the two commands and closes every code block."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_code_fence_is_closed() -> None:
    fences = re.findall(r"^```", README, flags=re.M)
    assert len(fences) % 2 == 0, "a code block is left open"


def test_no_prose_is_inside_a_shell_block() -> None:
    for block in re.findall(r"^```bash\n(.*?)^```", README, flags=re.M | re.S):
        for line in block.splitlines():
            assert not line or line.startswith(("make", ".venv/", "export", "cp ", "docker", "#")), line


def test_the_two_commands_come_first() -> None:
    first = re.search(r"^```bash\n(.*?)^```", README, flags=re.M | re.S)
    assert first is not None
    assert [line.split()[:2] for line in first.group(1).splitlines()] == [["make", "run"], ["make", "test"]]
