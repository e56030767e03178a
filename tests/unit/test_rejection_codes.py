"""Every rejection code a service can return is documented for the people who receive it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rejection-codes.md"
#: `RuleViolation("code", ...)` and `Refusal("code", ...)` anywhere, and the codes the command
#: wrapper itself returns.
RAISED = re.compile(r'\b(?:RuleViolation|Refusal|rejected_reply)\(\s*(?:[^,()]*?,\s*)?"([a-z][a-z_]+)"')


def raised_codes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py")]:
        for code in RAISED.findall(path.read_text()):
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def documented_codes() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", DOC.read_text(), flags=re.M))


def test_the_scan_finds_codes() -> None:
    codes = raised_codes()
    assert {"invalid_command", "quorum_not_reached", "agenda_deadline_passed"} <= set(codes)


def test_every_rejection_code_is_documented() -> None:
    missing = {code: sorted(paths) for code, paths in raised_codes().items() if code not in documented_codes()}
    assert not missing, f"document these in docs/rejection-codes.md: {missing}"
