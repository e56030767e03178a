"""Dependency rules (DESIGN §9): services never import each other; domain code does no I/O."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())
IO_LIBRARIES = {
    "sqlalchemy", "asyncpg", "faststream", "nats", "structlog", "alembic", "httpx", "requests",
    "socket", "subprocess", "aiohttp", "urllib", "psycopg",
}  # fmt: skip


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def test_the_seven_services_exist() -> None:
    assert set(SERVICES) >= {"organisation", "hr", "finance", "meetings", "external", "notifications", "audit"}


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in (ROOT / "services" / service).rglob("*.py")
        for line, module in _imports(path)
        if module.startswith("services.") and module.split(".")[1] != service
    ]
    assert not offenders, "services talk only through events and commands:\n" + "\n".join(offenders)


@pytest.mark.parametrize("service", SERVICES)
def test_domain_code_imports_no_io_library(service: str) -> None:
    domain = ROOT / "services" / service / "domain"
    assert domain.is_dir(), f"{service} has no domain/ package"
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in domain.rglob("*.py")
        for line, module in _imports(path)
        if module.split(".")[0] in IO_LIBRARIES or module.startswith(("shared.db", "shared.messaging"))
    ]
    assert not offenders, "domain/ must stay free of I/O:\n" + "\n".join(offenders)


def test_shared_imports_no_service() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in (ROOT / "shared").rglob("*.py")
        for line, module in _imports(path)
        if module.startswith("services")
    ]
    assert not offenders, "\n".join(offenders)


def test_the_rule_detects_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from services.finance.domain import model\nimport sqlalchemy\n")
    assert [m for _, m in _imports(bad)] == ["services.finance.domain", "sqlalchemy"]


def test_no_test_imports_from_a_conftest() -> None:
    # A conftest is pytest's to load; what tests share lives in a module of its own.
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in (ROOT / "tests").rglob("*.py")
        for line, module in _imports(path)
        if module.split(".")[-1] == "conftest"
    ]
    assert not offenders, "\n".join(offenders)
