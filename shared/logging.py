"""One structlog processor chain: console on a terminal, JSON otherwise (DESIGN §8)."""

from __future__ import annotations

import logging
import sys

import structlog

__all__ = ["BROKER_LOGGER", "configure_logging", "get_logger"]

#: The logger every broker is given, so FastStream never builds a plain-text one of its own.
BROKER_LOGGER = "faststream.access.nats"


def configure_logging(service: str, *, level: str = "INFO", json: bool | None = None) -> None:
    """Configure structlog and the standard library root logger for one service process."""
    use_json = (not sys.stderr.isatty()) if json is None else json
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    # Libraries (FastStream, alembic) log through the standard library: render them the same way,
    # with the `extra` fields they pass (FastStream's message id and subject) as keys.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=renderer, foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # FastStream gives its own loggers a plain-text handler and stops them from propagating; hand
    # them back to the root handler so every line of the process has one format. Imported here so
    # its module-level logger exists before it is adjusted.
    import faststream  # noqa: F401

    for name in [n for n in logging.root.manager.loggerDict if n == "faststream" or n.startswith("faststream.")]:
        library = logging.getLogger(name)
        library.handlers[:] = []
        library.propagate = True


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """A structlog logger; every line carries the bound service and message context."""
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
