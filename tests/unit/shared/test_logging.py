"""One log format per process: FastStream's own lines go through the same structlog chain."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from shared.logging import BROKER_LOGGER, configure_logging, get_logger


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    libraries = [logging.getLogger(n) for n in ("faststream", BROKER_LOGGER)]
    faststream = {lg.name: (lg.handlers[:], lg.propagate) for lg in libraries}
    yield
    root.handlers[:], root.level = handlers, level
    for name, (kept, propagate) in faststream.items():
        logging.getLogger(name).handlers[:] = kept
        logging.getLogger(name).propagate = propagate
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def test_library_and_service_lines_are_all_json(capsys: pytest.CaptureFixture[str], restored_logging: None) -> None:
    configure_logging("finance", json=True)
    get_logger("svc").info("service line", item="x")
    logging.getLogger("faststream").warning("broker line %s", "w")
    logging.getLogger(BROKER_LOGGER).info("access line", extra={"message_id": "m-1"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert [line["event"] for line in lines] == ["service line", "broker line w", "access line"]
    assert all(line["service"] == "finance" for line in lines)
    assert lines[2]["message_id"] == "m-1"
    assert logging.getLogger("faststream").handlers == []
