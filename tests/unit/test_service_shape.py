"""One shape for every service (issue 10, DESIGN §9): the rules a newcomer can rely on.

* the service layer is split by role: `commands/`, `reactions.py`, `views.py`, none over 400 lines;
* no domain module imports a message contract (a `Command` or `Event`, found by resolving imports);
* commands and reactions never see a contract: the service's translation is the only place that does;
* no service layer or entrypoint catches a rule violation: `shared.messaging` turns it into a
  rejected reply or a dead letter, and a refusal that is a fact is a value (`Refusal`), not an error;
* a rejected reply is built only in `shared.messaging`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import runpy
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from shared.contracts.base import Command, Event
from shared.kernel import RuleViolation

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _python(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py")) if folder.is_dir() else ([folder] if folder.exists() else [])


def _imported(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """`(line, module, name)` for every absolute import; `name` is None for `import module`."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.lineno, node.module, alias.name


def _is_message(obj: object) -> bool:
    return inspect.isclass(obj) and issubclass(obj, Command | Event)


def _defines_messages(module: ModuleType) -> bool:
    return any(_is_message(v) and v.__module__ == module.__name__ for v in vars(module).values())


def contract_imports(path: Path) -> list[str]:
    """Imports in `path` that bring in a message contract, resolved by importing what is named."""
    found = []
    for line, module_name, name in _imported(path):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        target = getattr(module, name) if name is not None and hasattr(module, name) else None
        if name is not None and target is None:
            try:
                target = importlib.import_module(f"{module_name}.{name}")
            except ImportError:
                continue
        if target is None:
            target = module
        if _is_message(target) or (isinstance(target, ModuleType) and _defines_messages(target)):
            found.append(f"{path.relative_to(ROOT)}:{line} imports {module_name}{'.' + name if name else ''}")
    return found


def caught_rule_errors(path: Path, namespace: dict[str, object] | None = None) -> list[str]:
    """`except` clauses in `path` that would catch a `RuleViolation` (or anything at all)."""
    names_in_scope = namespace if namespace is not None else vars(importlib.import_module(_module_name(path)))
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ExceptHandler):
            continue
        names = (
            [] if node.type is None else [node.type] if not isinstance(node.type, ast.Tuple) else list(node.type.elts)
        )
        caught = [ast.unparse(n) for n in names] or ["(bare)"]
        # Resolved in the module's own namespace, so an alias or a base class is caught too.
        resolved = [eval(c, dict(names_in_scope)) if c != "(bare)" else BaseException for c in caught]
        if any(inspect.isclass(r) and (issubclass(RuleViolation, r) or issubclass(r, RuleViolation)) for r in resolved):
            found.append(f"{path.name}:{node.lineno} catches {', '.join(caught)}")
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_layer_is_split_by_role(service: str) -> None:
    layer = ROOT / "services" / service / "service_layer"
    assert (layer / "commands" / "__init__.py").exists(), f"{service}: service_layer/commands/ is missing"
    assert (layer / "reactions.py").exists(), f"{service}: service_layer/reactions.py is missing"
    assert (layer / "views.py").exists(), f"{service}: service_layer/views.py is missing"
    assert not (layer / "handlers.py").exists(), f"{service}: handlers.py is split into commands/, reactions, views"
    sizes = {p.relative_to(ROOT): len(p.read_text().splitlines()) for p in _python(layer)}
    long = [f"{path} ({n} lines)" for path, n in sizes.items() if n > MAX_LINES]
    assert not long, f"over {MAX_LINES} lines: {long}"


@pytest.mark.parametrize("service", SERVICES)
def test_no_domain_module_imports_a_message_contract(service: str) -> None:
    offenders = [hit for path in _python(ROOT / "services" / service / "domain") for hit in contract_imports(path)]
    assert not offenders, "domain code speaks the vocabulary, not the messages:\n" + "\n".join(offenders)


@pytest.mark.parametrize("service", SERVICES)
def test_commands_and_reactions_never_see_a_contract(service: str) -> None:
    layer = ROOT / "services" / service / "service_layer"
    paths = [*_python(layer / "commands"), *_python(layer / "reactions.py")]
    offenders = [hit for path in paths for hit in contract_imports(path)]
    assert not offenders, "the translation maps contracts to the service's own commands:\n" + "\n".join(offenders)


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_layer_or_entrypoint_catches_a_rule_violation(service: str) -> None:
    home = ROOT / "services" / service
    paths = [*_python(home / "service_layer"), *_python(home / "entrypoints")]
    offenders = [hit for path in paths for hit in caught_rule_errors(path)]
    assert not offenders, "shared.messaging turns rule violations into replies and dead letters:\n" + "\n".join(
        offenders
    )


def test_a_rejected_reply_is_built_only_in_shared_messaging() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for folder in ("services", "shared", "cli", "deploy")
        for path in _python(ROOT / folder)
        if "shared/messaging" not in str(path)
        for node in ast.walk(ast.parse(path.read_text()))
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "REJECTED"
            and isinstance(node.value, ast.Name)
            and node.value.id == "CommandStatus"
        )
        or (isinstance(node, ast.Name) and node.id in {"rejected_reply", "CommandRejected"})
    ]
    assert not offenders, "\n".join(offenders)


def test_the_scans_find_what_they_look_for(tmp_path: Path) -> None:
    domain = ROOT / "services" / "notifications" / "domain" / "model.py"
    assert contract_imports(domain) == []
    assert contract_imports(ROOT / "services" / "notifications" / "adapters" / "translation.py")
    module = tmp_path / "handler.py"
    module.write_text(
        "from shared.kernel import RuleViolation as Refused\n"
        "try:\n    pass\nexcept (KeyError, Refused):\n    pass\n"
        "try:\n    pass\nexcept Exception:\n    pass\n"
        "try:\n    pass\nexcept KeyError:\n    pass\n"
    )
    assert caught_rule_errors(module, runpy.run_path(str(module))) == [
        "handler.py:4 catches KeyError, Refused",
        "handler.py:8 catches Exception",
    ]
