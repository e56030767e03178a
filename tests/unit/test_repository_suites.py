"""Every repository port is covered by its contract suite, and the suite runs against both halves.

Read from the code, not from a list: the ports are the `Protocol` classes in each service's
`service_layer/ports.py` reached through a property of its unit-of-work port; the suite is
`tests/repositories/<service>.py`; the halves are the subclasses of its `*Contract` classes in
`tests/unit/<service>/` (fakes) and `tests/integration/repositories/` (SQL).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "service_layer" / "ports.py").exists())


def _classes(path: Path) -> dict[str, ast.ClassDef]:
    return {n.name: n for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)}


def _base_names(node: ast.ClassDef) -> set[str]:
    return {b.id if isinstance(b, ast.Name) else b.attr for b in node.bases if isinstance(b, ast.Name | ast.Attribute)}


def _methods(node: ast.ClassDef) -> set[str]:
    return {
        f.name
        for f in node.body
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and not f.name.startswith("_")
    }


def repository_ports(service: str) -> dict[str, set[str]]:
    """`{unit-of-work property: methods of its port}` for one service."""
    classes = _classes(ROOT / "services" / service / "service_layer" / "ports.py")
    uow = [c for name, c in classes.items() if name.endswith("UnitOfWork")]
    assert len(uow) == 1, f"{service}: one unit-of-work port expected in ports.py"
    ports: dict[str, set[str]] = {}
    for prop in uow[0].body:
        if isinstance(prop, ast.FunctionDef) and isinstance(prop.returns, ast.Name) and prop.returns.id in classes:
            ports[prop.name] = _methods(classes[prop.returns.id])
    return ports


def suite_calls(path: Path) -> set[tuple[str, str]]:
    """Every `<x>.<property>.<method>(...)` call in a suite module."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Attribute)
        ):
            found.add((node.func.value.attr, node.func.attr))
    return found


def subclassed_in(folder: Path, contracts: set[str]) -> set[str]:
    """The contract classes some test class in `folder` subclasses."""
    used: set[str] = set()
    for path in folder.rglob("test_*.py"):
        for node in _classes(path).values():
            used |= _base_names(node) & contracts
    return used


@pytest.mark.parametrize("service", SERVICES)
def test_the_suite_calls_every_method_of_every_repository_port(service: str) -> None:
    suite = ROOT / "tests" / "repositories" / f"{service}.py"
    assert suite.exists(), f"{service} has no repository contract suite ({suite.relative_to(ROOT)})"
    calls = suite_calls(suite)
    missing = sorted(
        f"uow.{prop}.{method}" for prop, methods in repository_ports(service).items() for method in methods
        if (prop, method) not in calls
    )  # fmt: skip
    assert not missing, f"{service}: the contract suite never calls {', '.join(missing)}"


@pytest.mark.parametrize("service", SERVICES)
def test_every_contract_runs_against_the_fake_and_the_sql_adapter(service: str) -> None:
    suite = ROOT / "tests" / "repositories" / f"{service}.py"
    contracts = {name for name in _classes(suite) if name.endswith("Contract")}
    assert contracts, f"{service}: no *Contract classes in {suite.relative_to(ROOT)}"
    fakes = subclassed_in(ROOT / "tests" / "unit" / service, contracts)
    sql = subclassed_in(ROOT / "tests" / "integration" / "repositories", contracts)
    assert fakes == contracts, f"{service}: not run against the fakes: {sorted(contracts - fakes)}"
    assert sql == contracts, f"{service}: not run against SQL: {sorted(contracts - sql)}"


def test_the_scan_sees_a_call_and_a_missing_one(tmp_path: Path) -> None:
    suite = tmp_path / "s.py"
    suite.write_text("async def t(uow):\n    await uow.inboxes.add_if_new(1)\n    uow.inboxes\n")
    assert suite_calls(suite) == {("inboxes", "add_if_new")}
    assert repository_ports("notifications") == {
        "inboxes": {"add_if_new", "of"},
        "seats": {"keep", "set_status", "end", "of_body"},
        "subscriptions": {"add", "get", "remove", "active"},
        "deliveries": {"add_if_new", "save", "get", "due", "dead_since", "listed"},
    }
